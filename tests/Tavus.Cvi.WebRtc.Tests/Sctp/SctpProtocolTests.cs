using System.Buffers.Binary;
using Tavus.Cvi.WebRtc.Sctp;
using Tavus.Cvi.WebRtc.Tests.Simulation;

namespace Tavus.Cvi.WebRtc.Tests.Sctp;

public class SctpProtocolTests
{
    private static byte[] Packet(uint tag, params byte[][] chunks)
    {
        int length = 12 + chunks.Sum(c => (c.Length + 3) & ~3);
        byte[] packet = new byte[length];
        BinaryPrimitives.WriteUInt16BigEndian(packet, 5000);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), 5000);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), tag);
        int at = 12;
        foreach (byte[] c in chunks)
        {
            c.CopyTo(packet, at);
            at += (c.Length + 3) & ~3;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(8), Crc32c.ComputePacketChecksum(packet));
        return packet;
    }

    private static byte[] Parameter(ushort type, params byte[] value)
    {
        byte[] p = new byte[(4 + value.Length + 3) & ~3];
        BinaryPrimitives.WriteUInt16BigEndian(p, type);
        BinaryPrimitives.WriteUInt16BigEndian(p.AsSpan(2), (ushort)(4 + value.Length));
        value.CopyTo(p, 4);
        return p;
    }

    private static List<(byte Type, byte[] Chunk)> Chunks(byte[] packet)
    {
        var result = new List<(byte, byte[])>();
        for (int at = 12; at + 4 <= packet.Length;)
        {
            int length = BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(at + 2));
            result.Add((packet[at], packet[at..(at + length)]));
            at += (length + 3) & ~3;
        }

        return result;
    }

    private static List<byte[]> Drain(SctpAssociation association)
    {
        var packets = new List<byte[]>();
        while (association.TryPollTransmit(out byte[]? p))
        {
            packets.Add(p);
        }

        return packets;
    }

    [Fact]
    public void A_usrsctp_style_init_with_auth_parameters_is_answered_and_reportable_parameters_are_reported()
    {
        // What libdatachannel (usrsctp) sends: AUTH Random / HMAC-Algo / Chunk-List, supported extensions including
        // ASCONF, Forward-TSN-Supported; plus one unknown parameter whose high bits say "skip and report" (11).
        byte[] parameters =
        [
            .. Parameter(0xC000),
            .. Parameter(0x8008, 0x82, 0xC0, 0xC1, 0x80, 0x81),
            .. Parameter(0x8002, new byte[32]),
            .. Parameter(0x8004, 0, 1),
            .. Parameter(0x8003, 0x00, 0x03),
            .. Parameter(0xC123, 1, 2, 3, 4),
        ];
        byte[] init = new byte[20 + parameters.Length];
        init[0] = 1;
        BinaryPrimitives.WriteUInt16BigEndian(init.AsSpan(2), (ushort)init.Length);
        BinaryPrimitives.WriteUInt32BigEndian(init.AsSpan(4), 0xA1B2C3D4);
        BinaryPrimitives.WriteUInt32BigEndian(init.AsSpan(8), 131072);
        BinaryPrimitives.WriteUInt16BigEndian(init.AsSpan(12), 1024);
        BinaryPrimitives.WriteUInt16BigEndian(init.AsSpan(14), 2048);
        BinaryPrimitives.WriteUInt32BigEndian(init.AsSpan(16), 1000);
        parameters.CopyTo(init, 20);

        var association = new SctpAssociation(new SctpAssociationOptions { Random = new Random(1) });
        association.HandlePacket(Packet(0, init), TimeSpan.Zero);
        byte[] answer = Drain(association).Should().ContainSingle().Subject;
        BinaryPrimitives.ReadUInt32BigEndian(answer.AsSpan(4)).Should().Be(0xA1B2C3D4u, "INIT-ACK carries the peer's initiate tag");
        (byte type, byte[] initAck) = Chunks(answer).Should().ContainSingle().Subject;
        type.Should().Be(2);

        // Streams: our OS is capped by its MIS (2048), our MIS by its OS (1024) once the cookie comes back.
        bool reported = false;
        for (int at = 20; at + 4 <= initAck.Length;)
        {
            ushort ptype = BinaryPrimitives.ReadUInt16BigEndian(initAck.AsSpan(at));
            int plength = BinaryPrimitives.ReadUInt16BigEndian(initAck.AsSpan(at + 2));
            reported |= ptype == 8 && BinaryPrimitives.ReadUInt16BigEndian(initAck.AsSpan(at + 4)) == 0xC123;
            at += (plength + 3) & ~3;
        }

        reported.Should().BeTrue("a parameter of type 11xxxxxx must be reported in INIT-ACK");
        association.State.Should().Be(SctpAssociationState.Closed, "answering INIT keeps no state");
    }

    [Theory]
    [InlineData(0x3E, false, false)] // 00: stop processing the packet, do not report
    [InlineData(0x7E, false, true)]  // 01: stop and report
    [InlineData(0xBE, true, false)]  // 10: skip and continue
    [InlineData(0xFE, true, true)]   // 11: skip, continue and report
    public void Unknown_chunks_follow_their_high_bits(byte unknownType, bool dataProcessed, bool reported)
    {
        var pair = new SctpTestPair(20);
        pair.Connect();
        pair.A.Association.Send(0, 53, [1, 2, 3], default, pair.Now);
        byte[] original = Drain(pair.A.Association).Single();
        byte[] data = Chunks(original).Single(c => c.Type == 0).Chunk;
        byte[] unknown = [unknownType, 0, 0, 8, 0xDE, 0xAD, 0xBE, 0xEF];
        byte[] crafted = Packet(BinaryPrimitives.ReadUInt32BigEndian(original.AsSpan(4)), unknown, data);

        pair.B.Receive(crafted, pair.Now);
        pair.B.Messages.Count.Should().Be(dataProcessed ? 1 : 0);
        bool errorSent = Drain(pair.B.Association).SelectMany(Chunks).Any(c => c.Type == 9 && BinaryPrimitives.ReadUInt16BigEndian(c.Chunk.AsSpan(4)) == 6);
        errorSent.Should().Be(reported);
    }

    [Fact]
    public void Idle_associations_exchange_heartbeats_and_stay_up()
    {
        var pair = new SctpTestPair(21, NetworkConditions.Lossy());
        var types = new HashSet<byte>();
        pair.Network.Tap = (_, d) => types.UnionWith(Chunks(d).Select(c => c.Type));
        pair.Connect();
        pair.Network.RunFor(TimeSpan.FromMinutes(10));
        types.Should().Contain([4, 5]);
        pair.A.IsEstablished.Should().BeTrue();
        pair.B.IsEstablished.Should().BeTrue();
    }

    [Fact]
    public void Graceful_shutdown_delivers_everything_then_closes_both_sides()
    {
        var pair = new SctpTestPair(22, NetworkConditions.Lossy());
        pair.Connect();
        for (int i = 0; i < 100; i++)
        {
            pair.A.Association.Send(0, 53, TestMessages.Create(i, 4 + (i * 101 % 5000)), default, pair.Now);
        }

        pair.A.Association.Close(pair.Now);
        pair.Network.RunUntil(() => pair.A.Association.State == SctpAssociationState.Closed && pair.B.Association.State == SctpAssociationState.Closed, TimeSpan.FromMinutes(5)).Should().BeTrue();
        pair.B.Messages.Select(m => TestMessages.IndexOf(m.Data.Span)).Should().Equal(Enumerable.Range(0, 100));
        pair.A.Events.OfType<SctpAssociationClosed>().Single().Aborted.Should().BeFalse();
        pair.B.Events.OfType<SctpAssociationClosed>().Single().Aborted.Should().BeFalse();
        FluentActions.Invoking(() => pair.A.Association.Send(0, 53, [1], default, pair.Now)).Should().Throw<InvalidOperationException>();
    }

    [Fact]
    public void Abort_reaches_the_peer()
    {
        var pair = new SctpTestPair(23);
        pair.Connect();
        pair.A.Association.Abort(pair.Now);
        pair.Network.RunUntil(() => pair.B.Association.State == SctpAssociationState.Closed, TimeSpan.FromSeconds(5)).Should().BeTrue();
        pair.B.Events.OfType<SctpAssociationClosed>().Single().Aborted.Should().BeTrue();
        pair.A.Events.OfType<SctpAssociationClosed>().Single().Aborted.Should().BeTrue();
    }

    [Fact]
    public void A_tampered_cookie_creates_no_association()
    {
        var a = new SctpAssociation(new SctpAssociationOptions { Random = new Random(1) });
        var b = new SctpAssociation(new SctpAssociationOptions { Random = new Random(2) });
        a.Connect(TimeSpan.Zero);
        b.HandlePacket(Drain(a).Single(), TimeSpan.Zero);
        a.HandlePacket(Drain(b).Single(), TimeSpan.Zero);
        byte[] cookieEcho = Drain(a).Single();
        cookieEcho[^5] ^= 1;
        BinaryPrimitives.WriteUInt32LittleEndian(cookieEcho.AsSpan(8), Crc32c.ComputePacketChecksum(cookieEcho));
        b.HandlePacket(cookieEcho, TimeSpan.Zero);
        b.State.Should().Be(SctpAssociationState.Closed);
        Drain(b).Should().BeEmpty();
    }

    [Fact]
    public void A_stale_cookie_is_refused()
    {
        var a = new SctpAssociation(new SctpAssociationOptions { Random = new Random(1) });
        var b = new SctpAssociation(new SctpAssociationOptions { Random = new Random(2) });
        a.Connect(TimeSpan.Zero);
        b.HandlePacket(Drain(a).Single(), TimeSpan.Zero);
        a.HandlePacket(Drain(b).Single(), TimeSpan.Zero);
        b.HandlePacket(Drain(a).Single(), TimeSpan.FromMinutes(2));
        b.State.Should().Be(SctpAssociationState.Closed);

        // RFC 9260 §5.2.6: B reports the stale cookie, and A starts over with a new INIT.
        byte[] error = Drain(b).Should().ContainSingle().Subject;
        Chunks(error).Single().Type.Should().Be(9);
        BinaryPrimitives.ReadUInt16BigEndian(error.AsSpan(16)).Should().Be(3);
        a.HandlePacket(error, TimeSpan.FromMinutes(2));
        a.State.Should().Be(SctpAssociationState.CookieWait);
        Chunks(Drain(a).Single()).Single().Type.Should().Be(1);
    }

    [Fact]
    public void A_small_receive_window_is_respected_and_zero_window_probing_keeps_data_flowing()
    {
        var pair = new SctpTestPair(24, NetworkConditions.Lossy(), o => new SctpAssociationOptions { Random = o.Random, ReceiveWindow = 4096 });
        pair.Connect();
        byte[] big = TestMessages.Create(1, 100_000);
        pair.A.Association.Send(0, 53, big, default, pair.Now);
        for (int i = 2; i < 50; i++)
        {
            pair.A.Association.Send(0, 53, TestMessages.Create(i, 500), default, pair.Now);
        }

        pair.Network.RunUntil(() => pair.B.Messages.Count == 49, TimeSpan.FromHours(1)).Should().BeTrue();
        pair.B.Messages[0].Data.ToArray().Should().Equal(big);
    }

    [Fact]
    public void Buffered_amount_falls_and_raises_the_low_event()
    {
        var pair = new SctpTestPair(25);
        pair.Connect();
        pair.A.Association.SetBufferedAmountLowThreshold(3, 10_000);
        pair.A.Association.Send(3, 53, new byte[100_000], default, pair.Now);
        pair.A.Association.BufferedAmount(3).Should().Be(100_000);
        pair.Network.RunUntil(() => pair.B.Messages.Count == 1, TimeSpan.FromMinutes(1)).Should().BeTrue();
        pair.A.Association.BufferedAmount(3).Should().Be(0);
        pair.A.Events.OfType<SctpBufferedAmountLow>().Should().ContainSingle().Which.StreamId.Should().Be(3);
    }

    [Fact]
    public void Send_validates_its_arguments()
    {
        var pair = new SctpTestPair(26);
        pair.Connect();
        FluentActions.Invoking(() => pair.A.Association.Send(0, 53, [], default, pair.Now)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => pair.A.Association.Send(0, 53, new byte[256 * 1024 + 1], default, pair.Now)).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Stream_reset_restarts_sequence_numbers_and_waits_for_queued_data()
    {
        var pair = new SctpTestPair(27, NetworkConditions.Lossy());
        pair.Connect();
        for (int i = 0; i < 30; i++)
        {
            pair.A.Association.Send(5, 53, TestMessages.Create(i, 3000), default, pair.Now);
        }

        pair.A.Association.ResetStreams([5], pair.Now);
        pair.Network.RunUntil(() => pair.A.Events.OfType<SctpStreamsReset>().Any(), TimeSpan.FromMinutes(5)).Should().BeTrue();
        pair.A.Events.OfType<SctpStreamsReset>().Single().Should().Match<SctpStreamsReset>(r => r.Succeeded && r.Direction == SctpStreamResetDirection.Outgoing);
        pair.B.Events.OfType<SctpStreamsReset>().Single().Direction.Should().Be(SctpStreamResetDirection.Incoming);
        pair.B.Messages.Should().HaveCount(30, "data queued before the reset is delivered first");

        pair.A.Association.Send(5, 53, TestMessages.Create(100, 10), default, pair.Now);
        pair.Network.RunUntil(() => pair.B.Messages.Count == 31, TimeSpan.FromMinutes(1)).Should().BeTrue("SSN 0 after the reset is accepted");
    }

    [Fact]
    public void Sparse_messages_are_acknowledged_at_once_so_the_rtt_reflects_the_path()
    {
        // Without the I bit (RFC 7053) on the chunk that empties the send queue, each lone message waits for the
        // peer's 200 ms delayed SACK: RTT samples (and so the RTO) would be inflated by 200 ms.
        var pair = new SctpTestPair(28, new NetworkConditions { Delay = TimeSpan.FromMilliseconds(10) });
        pair.Connect();
        for (int i = 0; i < 30; i++)
        {
            pair.A.Association.Send(0, 51, "tick"u8, default, pair.Now);
            pair.Network.RunFor(TimeSpan.FromSeconds(1));
        }

        pair.B.Messages.Should().HaveCount(30);
        SctpAssociationStatistics stats = pair.A.Association.Statistics;
        stats.SmoothedRoundTripTime.Should().BeLessThan(TimeSpan.FromMilliseconds(40));
        stats.Retransmissions.Should().Be(0);
        stats.RetransmissionTimeouts.Should().Be(0);
    }

    [Fact]
    public void The_side_receiving_shutdown_first_sends_what_it_still_has_queued()
    {
        var pair = new SctpTestPair(29, NetworkConditions.Lossy());
        pair.Connect();
        for (int i = 0; i < 50; i++)
        {
            pair.A.Association.Send(0, 53, TestMessages.Create(i, 2000), default, pair.Now);
            pair.B.Association.Send(1, 53, TestMessages.Create(i, 3000), default, pair.Now);
        }

        pair.A.Association.Close(pair.Now);
        pair.Network.RunUntil(() => pair.A.Association.State == SctpAssociationState.Closed && pair.B.Association.State == SctpAssociationState.Closed, TimeSpan.FromMinutes(5)).Should().BeTrue();
        pair.B.Messages.Select(m => TestMessages.IndexOf(m.Data.Span)).Should().Equal(Enumerable.Range(0, 50));
        pair.A.Messages.Select(m => TestMessages.IndexOf(m.Data.Span)).Should().Equal(Enumerable.Range(0, 50));
        pair.A.Events.OfType<SctpAssociationClosed>().Single().Aborted.Should().BeFalse();
        pair.B.Events.OfType<SctpAssociationClosed>().Single().Aborted.Should().BeFalse();
    }

    [Fact]
    public void Both_sides_closing_at_once_still_shut_down_gracefully()
    {
        var pair = new SctpTestPair(30, NetworkConditions.Lossy());
        pair.Connect();
        pair.A.Association.Send(0, 53, [1], default, pair.Now);
        pair.B.Association.Send(0, 53, [2], default, pair.Now);
        pair.A.Association.Close(pair.Now);
        pair.B.Association.Close(pair.Now);
        pair.Network.RunUntil(() => pair.A.Association.State == SctpAssociationState.Closed && pair.B.Association.State == SctpAssociationState.Closed, TimeSpan.FromMinutes(5)).Should().BeTrue();
        pair.A.Messages.Should().ContainSingle();
        pair.B.Messages.Should().ContainSingle();
        pair.A.Events.OfType<SctpAssociationClosed>().Single().Aborted.Should().BeFalse();
        pair.B.Events.OfType<SctpAssociationClosed>().Single().Aborted.Should().BeFalse();
    }

    [Fact]
    public void A_lost_shutdown_complete_is_answered_again_from_the_closed_state()
    {
        var pair = new SctpTestPair(31);
        pair.Connect();
        SctpAssociation a = pair.A.Association;
        SctpAssociation b = pair.B.Association;
        TimeSpan now = pair.Now;
        a.Close(now);
        foreach (byte[] p in Drain(a))
        {
            b.HandlePacket(p, now);
        }

        foreach (byte[] p in Drain(b))
        {
            a.HandlePacket(p, now);
        }

        a.State.Should().Be(SctpAssociationState.Closed);
        Drain(a).SelectMany(Chunks).Should().Contain(c => c.Type == 14, "SHUTDOWN-COMPLETE, which the network loses");
        b.State.Should().Be(SctpAssociationState.ShutdownAckSent);

        now = b.NextDeadline!.Value;
        b.HandleTimeout(now);
        foreach (byte[] p in Drain(b))
        {
            a.HandlePacket(p, now);
        }

        byte[] again = Drain(a).Should().ContainSingle().Subject;
        Chunks(again).Single().Should().Match<(byte Type, byte[] Chunk)>(c => c.Type == 14 && (c.Chunk[1] & 1) == 1, "SHUTDOWN-COMPLETE with the T bit");
        b.HandlePacket(again, now);
        b.State.Should().Be(SctpAssociationState.Closed);
        pair.B.DrainEvents();
        pair.B.Events.OfType<SctpAssociationClosed>().Single().Aborted.Should().BeFalse();
    }
}
