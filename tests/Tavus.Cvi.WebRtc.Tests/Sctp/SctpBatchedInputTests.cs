using System.Buffers.Binary;
using Tavus.Cvi.WebRtc.Sctp;

namespace Tavus.Cvi.WebRtc.Tests.Sctp;

/// <summary>
/// When the receiver acknowledges (RFC 9260 §6.2): at least every second packet, within the delayed-ack timeout, and
/// once for all the packets handed in before the caller next polls (the driver's batch); and what a batch must not
/// bundle (§6.10).
/// </summary>
public class SctpBatchedInputTests
{
    [Fact]
    public void Packets_handed_in_before_the_next_poll_share_one_sack_that_acknowledges_them_all()
    {
        var pair = Established();
        var data = DataPackets(pair, 10);

        foreach (byte[] packet in data)
        {
            pair.B.Association.HandlePacket(packet, pair.Now);
        }

        var replies = Drain(pair.B.Association);
        replies.Should().ContainSingle("the whole batch is acknowledged by one SACK");
        Sacks(replies).Should().Equal([LastTsn(data)], "its cumulative TSN covers every packet of the batch");
        pair.B.Association.NextDeadline.Should().BeGreaterThan(pair.Now + new SctpAssociationOptions().DelayedAckTimeout, "no delayed SACK is left pending (only the heartbeat timer runs)");

        pair.A.Association.HandlePacket(replies[0], pair.Now);
        pair.A.Association.BufferedAmount(0).Should().Be(0);
        Drain(pair.A.Association).Should().BeEmpty("everything sent is acknowledged, so nothing is retransmitted");
    }

    [Fact]
    public void Polling_between_packets_acknowledges_every_second_packet()
    {
        var pair = Established();
        var data = DataPackets(pair, 4);
        var sacks = new List<uint>();
        for (int i = 0; i < data.Count; i++)
        {
            pair.B.Association.HandlePacket(data[i], pair.Now);
            sacks.AddRange(Sacks(Drain(pair.B.Association)));
            sacks.Should().HaveCount((i + 1) / 2, $"after packet {i + 1} the receiver owes a SACK for every second packet");
        }

        sacks.Should().Equal(Tsn(data[1]), Tsn(data[3]));
    }

    [Fact]
    public void A_lone_packet_is_acknowledged_when_the_delayed_ack_timer_fires()
    {
        var pair = Established();
        var data = DataPackets(pair, 3);

        // The first packet does not empty the sender's queue, so it does not carry the I bit (RFC 7053).
        pair.B.Association.HandlePacket(data[0], pair.Now);
        Drain(pair.B.Association).Should().BeEmpty("one packet alone waits for a second one or the timer");
        var deadline = pair.B.Association.NextDeadline;
        deadline.Should().Be(pair.Now + new SctpAssociationOptions().DelayedAckTimeout);

        pair.B.Association.HandleTimeout(deadline!.Value);
        Sacks(Drain(pair.B.Association)).Should().Equal(Tsn(data[0]));
    }

    [Fact]
    public void A_gap_is_acknowledged_at_the_next_poll_without_waiting_for_a_second_packet()
    {
        var pair = Established();
        var data = DataPackets(pair, 3);

        pair.B.Association.HandlePacket(data[1], pair.Now);
        var replies = Drain(pair.B.Association);
        Sacks(replies).Should().Equal([Tsn(data[0]) - 1], "the cumulative TSN stays before the missing packet");
        GapBlockCount(replies[0]).Should().Be(1);
    }

    [Fact]
    public void An_init_collision_handled_in_one_batch_sends_the_init_ack_alone_and_sets_up_without_a_timeout()
    {
        // Both sides send INIT (as data channel peers do); B receives A's INIT and A's INIT-ACK before it polls.
        var pair = new SctpTestPair(62);
        pair.A.Association.Connect(pair.Now);
        pair.B.Association.Connect(pair.Now);
        byte[] initFromA = Drain(pair.A.Association).Single();
        byte[] initFromB = Drain(pair.B.Association).Single();
        pair.A.Association.HandlePacket(initFromB, pair.Now);
        byte[] initAckFromA = Drain(pair.A.Association).Single();

        pair.B.Association.HandlePacket(initFromA, pair.Now);
        pair.B.Association.HandlePacket(initAckFromA, pair.Now);
        var replies = Drain(pair.B.Association);

        // RFC 9260 §6.10: INIT ACK is never bundled; usrsctp drops a packet that bundles it with COOKIE-ECHO.
        replies.Select(ChunkTypes).Should().BeEquivalentTo(
            [new[] { SctpChunkType.InitAck }, new[] { SctpChunkType.CookieEcho }],
            o => o.WithStrictOrdering());

        foreach (byte[] packet in replies)
        {
            pair.A.Association.HandlePacket(packet, pair.Now);
        }

        pair.Network.RunUntil(() => pair.A.IsEstablished && pair.B.IsEstablished, TimeSpan.FromMilliseconds(500))
            .Should().BeTrue("the association comes up without waiting for T1-cookie (1 s)");
    }

    private static SctpChunkType[] ChunkTypes(byte[] packet)
    {
        var types = new List<SctpChunkType>();
        for (int at = 12; at + 4 <= packet.Length;)
        {
            types.Add((SctpChunkType)packet[at]);
            at += (BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(at + 2)) + 3) & ~3;
        }

        return [.. types];
    }

    private static SctpTestPair Established()
    {
        var pair = new SctpTestPair(61);
        pair.Connect();

        // Open the congestion window past the initial 4380 bytes so a batch of packets can be in flight at once.
        for (int i = 0; i < 200; i++)
        {
            pair.A.Association.Send(0, 53, TestMessages.Create(i, 1000), default, pair.Now);
        }

        pair.Network.RunUntil(() => pair.B.Messages.Count == 200, TimeSpan.FromMinutes(1)).Should().BeTrue();
        pair.Network.RunFor(TimeSpan.FromSeconds(1));
        return pair;
    }

    /// <summary>Queues <paramref name="count"/> one-packet messages on A and takes its packets off the wire unsent.</summary>
    private static List<byte[]> DataPackets(SctpTestPair pair, int count)
    {
        for (int i = 0; i < count; i++)
        {
            pair.A.Association.Send(0, 53, TestMessages.Create(i, 1000), default, pair.Now);
        }

        var packets = Drain(pair.A.Association);
        packets.Should().HaveCount(count, "a 1000-byte message fills one packet of the 1163-byte MTU");
        return packets;
    }

    private static List<byte[]> Drain(SctpAssociation association)
    {
        var packets = new List<byte[]>();
        while (association.TryPollTransmit(out byte[]? packet))
        {
            packets.Add(packet);
        }

        return packets;
    }

    private static uint Tsn(byte[] dataPacket)
    {
        ((SctpChunkType)dataPacket[12]).Should().Be(SctpChunkType.Data);
        return BinaryPrimitives.ReadUInt32BigEndian(dataPacket.AsSpan(16));
    }

    private static uint LastTsn(List<byte[]> dataPackets) => Tsn(dataPackets[^1]);

    /// <summary>The cumulative TSN ack of each SACK chunk in the packets.</summary>
    private static List<uint> Sacks(IEnumerable<byte[]> packets)
    {
        var result = new List<uint>();
        foreach (byte[] packet in packets)
        {
            for (int at = 12; at + 4 <= packet.Length;)
            {
                int length = BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(at + 2));
                if ((SctpChunkType)packet[at] == SctpChunkType.Sack)
                {
                    result.Add(BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(at + 4)));
                }

                at += (length + 3) & ~3;
            }
        }

        return result;
    }

    private static int GapBlockCount(byte[] sackPacket)
    {
        ((SctpChunkType)sackPacket[12]).Should().Be(SctpChunkType.Sack);
        return BinaryPrimitives.ReadUInt16BigEndian(sackPacket.AsSpan(12 + 12));
    }
}
