using Tavus.Cvi.WebRtc.Peer;
using Tavus.Cvi.WebRtc.Tests.Sctp;
using Tavus.Cvi.WebRtc.Tests.Simulation;

namespace Tavus.Cvi.WebRtc.Tests.Peer;

/// <summary>
/// Two whole peers (ICE, DTLS, SCTP, DCEP) through the simulated network on a fake clock, every datagram impaired:
/// STUN checks, DTLS flights and SCTP-in-DTLS alike. DTLS runs in lockstep (<see cref="WebRtc.Dtls.DtlsLockstep"/>), so its
/// flight retransmissions happen at deadlines of the fake clock.
/// </summary>
public class PeerSimulationTests
{
    private const int MaxMessage = 256 * 1024;

    private const ushort StunBindingRequest = 0x0001;
    private const ushort StunBindingSuccess = 0x0101;

    private static bool IsDtls(ushort kind) => (kind >> 8) is >= 20 and <= 63;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void The_handshake_completes_under_loss_reordering_and_duplication(int seed)
    {
        using var pair = new PeerPair(seed, NetworkConditions.Lossy());
        pair.Connect();
        pair.Offerer.States.Should().Equal(RtcPeerConnectionState.Connecting, RtcPeerConnectionState.Connected);
        pair.Answerer.States.Should().Equal(RtcPeerConnectionState.Connecting, RtcPeerConnectionState.Connected);
        pair.Offerer.Core.DtlsRole.Should().Be(WebRtc.Dtls.DtlsRole.Server);
        pair.Answerer.Core.DtlsRole.Should().Be(WebRtc.Dtls.DtlsRole.Client);
        pair.Trace.Should().Contain(t => t.Kind == StunBindingRequest, "STUN went through the network").And.Contain(t => IsDtls(t.Kind));
        pair.Offerer.Misaddressed.Should().Be(0);
        pair.Answerer.Misaddressed.Should().Be(0);
    }

    [Fact]
    public void Lost_dtls_flights_are_retransmitted_on_the_fake_clock()
    {
        using var pair = new PeerPair(7, new NetworkConditions { Delay = TimeSpan.FromMilliseconds(10) });
        // Lose the first ClientHello (client → server) and the first copy of the server's Certificate flight.
        int clientHellos = 0, serverFlights = 0;
        pair.Network.Drop = (from, d) =>
        {
            if (d.Length > 13 && d[0] == 22 && d[13] == 1 && from == 1)
            {
                return clientHellos++ == 0;
            }

            return d.Length > 13 && d[0] == 22 && d[13] == 11 && from == 0 && serverFlights++ == 0;
        };
        pair.Connect();

        clientHellos.Should().BeGreaterThanOrEqualTo(2, "the ClientHello was sent again");
        serverFlights.Should().BeGreaterThanOrEqualTo(2, "the server's flight was sent again");
        // The client's 1 s timer recovered the ClientHello; the server's Certificate came again after one more
        // timeout (either side's) of 1 s: the connection took over 2 s of fake time, and not many more.
        TimeSpan firstHello = pair.Trace.First(t => t.From == 1 && IsDtls(t.Kind)).At;
        TimeSpan secondHello = pair.Trace.Where(t => t.From == 1 && IsDtls(t.Kind)).Skip(1).First().At;
        (secondHello - firstHello).Should().Be(TimeSpan.FromSeconds(1), "BouncyCastle's first retransmission timer is 1 s (RFC 6347 §4.2.4.1)");
        pair.Now.Should().BeGreaterThan(TimeSpan.FromSeconds(2)).And.BeLessThan(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void The_same_seed_gives_the_same_run()
    {
        List<(TimeSpan, int, ushort)> Run()
        {
            using var pair = new PeerPair(11, NetworkConditions.Lossy(0.2));
            pair.Connect();
            var (local, _) = pair.Open(pair.Answerer, "det");
            for (int i = 0; i < 50; i++)
            {
                pair.Answerer.Send(local, TestMessages.Create(i, 4 + (i * 977 % 20000)), pair.Now);
            }

            pair.Network.RunUntil(() => pair.Offerer.Messages.Count == 50, TimeSpan.FromMinutes(10)).Should().BeTrue();
            // Datagram lengths are left out: ECDSA signatures in the DTLS flights vary by a byte or two between runs.
            return pair.Trace.Select(t => (t.At, t.From, t.Kind)).ToList();
        }

        List<(TimeSpan, int, ushort)> first = Run();
        List<(TimeSpan, int, ushort)> second = Run();
        first.Count.Should().BeGreaterThan(100);
        second.Should().Equal(first);
    }

    [Theory]
    [InlineData(1, true)]
    [InlineData(2, false)]
    public void A_long_reliable_ordered_run_arrives_intact_and_in_order(int seed, bool fromDtlsClient)
    {
        using var pair = new PeerPair(seed + 20, NetworkConditions.Lossy());
        pair.Connect();
        PeerNode sender = fromDtlsClient ? pair.DtlsClient : pair.DtlsServer;
        PeerNode receiver = fromDtlsClient ? pair.DtlsServer : pair.DtlsClient;
        var (local, remote) = pair.Open(sender, "bulk");
        var (back, _) = pair.Open(receiver, "back");

        var random = new Random(seed);
        const int count = 300;
        var sizes = new int[count];
        for (int i = 0; i < count; i++)
        {
            // Log-uniform 4 B to 256 KiB, with the largest allowed message every 50th.
            sizes[i] = i % 50 == 7 ? MaxMessage : Math.Max(4, TestMessages.Size(random, MaxMessage));
            pair.Network.RunFor(TimeSpan.FromMilliseconds(random.Next(0, 20)));
            sender.Send(local, TestMessages.Create(i, sizes[i]), pair.Now);
            if (i % 10 == 0)
            {
                sender.Send(local, $"text {i} ✓", pair.Now);
                receiver.Send(back, TestMessages.Create(10000 + i, 4 + (i % 900)), pair.Now);
            }
        }

        pair.Network.RunUntil(() => receiver.Messages.Count == count + (count / 10) && sender.Messages.Count == count / 10, TimeSpan.FromHours(1))
            .Should().BeTrue($"{receiver.Messages.Count} of {count + (count / 10)} arrived");
        pair.Network.Lost.Should().BeGreaterThan(100, "the network must actually have been lossy");
        pair.Network.Duplicated.Should().BeGreaterThan(10);

        var received = receiver.Messages.Where(m => m.Channel == remote).Select(m => m.Message).ToList();
        received.Where(m => !m.IsText).Select(m => TestMessages.IndexOf(m.Data.Span)).Should().Equal(Enumerable.Range(0, count));
        received.Where(m => m.IsText).Select(m => m.Text).Should().Equal(Enumerable.Range(0, count).Where(i => i % 10 == 0).Select(i => $"text {i} ✓"));
        foreach (RtcDataChannelMessage m in received.Where(m => !m.IsText))
        {
            int index = TestMessages.IndexOf(m.Data.Span);
            m.Data.ToArray().Should().Equal(TestMessages.Create(index, sizes[index]));
        }

        received.Max(m => m.Data.Length).Should().Be(MaxMessage);
        sender.Messages.Select(m => TestMessages.IndexOf(m.Message.Data.Span)).Should().Equal(Enumerable.Range(0, count).Where(i => i % 10 == 0).Select(i => 10000 + i));
        pair.Offerer.State.Should().Be(RtcPeerConnectionState.Connected);
        pair.Answerer.State.Should().Be(RtcPeerConnectionState.Connected);
        sender.Core.Sctp!.Statistics.Retransmissions.Should().BeGreaterThan(0);
        sender.Core.Sctp.CheckInvariants().Should().BeNull();
        receiver.Core.Sctp!.CheckInvariants().Should().BeNull();
    }

    [Theory]
    [InlineData(0, null, true)]
    [InlineData(2, null, false)]
    [InlineData(null, 150, true)]
    public void Partial_reliability_channels_give_up_as_configured(int? maxRetransmits, int? lifetimeMs, bool ordered)
    {
        using var pair = new PeerPair(30 + (maxRetransmits ?? 9), NetworkConditions.Lossy(0.2));
        pair.Connect();
        var options = new RtcDataChannelOptions
        {
            Ordered = ordered,
            MaxRetransmits = maxRetransmits,
            MaxPacketLifeTime = lifetimeMs is { } ms ? TimeSpan.FromMilliseconds(ms) : null,
        };
        var (partial, remotePartial) = pair.Open(pair.DtlsClient, "partial", options);
        var (reliable, remoteReliable) = pair.Open(pair.DtlsClient, "reliable");
        remotePartial.MaxRetransmits.Should().Be(maxRetransmits);
        remotePartial.MaxPacketLifeTime.Should().Be(options.MaxPacketLifeTime);
        remotePartial.Ordered.Should().Be(ordered);

        const int count = 400;
        for (int i = 0; i < count; i++)
        {
            pair.DtlsClient.Send(partial, TestMessages.Create(i, 4 + (i * 389 % 6000)), pair.Now);
            pair.Network.RunFor(TimeSpan.FromMilliseconds(10));
        }

        // A reliable message behind them proves the association stayed healthy; then let every timer run out.
        pair.DtlsClient.Send(reliable, "done", pair.Now);
        pair.Network.RunUntil(() => pair.DtlsServer.Messages.Any(m => m.Channel == remoteReliable), TimeSpan.FromMinutes(30)).Should().BeTrue();
        pair.Network.RunFor(TimeSpan.FromMinutes(1));

        List<int> got = pair.DtlsServer.Messages.Where(m => m.Channel == remotePartial).Select(m => TestMessages.IndexOf(m.Message.Data.Span)).ToList();
        got.Should().OnlyHaveUniqueItems();
        got.Count.Should().BeLessThan(count, "at 20% loss some messages must have been given up");
        got.Count.Should().BeGreaterThan(count / 4);
        pair.DtlsClient.Core.Sctp!.Statistics.MessagesAbandoned.Should().BeGreaterThan(0);
        if (ordered)
        {
            got.Should().BeInAscendingOrder();
        }

        foreach (var m in pair.DtlsServer.Messages.Where(m => m.Channel == remotePartial))
        {
            int i = TestMessages.IndexOf(m.Message.Data.Span);
            m.Message.Data.ToArray().Should().Equal(TestMessages.Create(i, 4 + (i * 389 % 6000)));
        }

        pair.DtlsClient.Core.Sctp.CheckInvariants().Should().BeNull();
        pair.DtlsServer.Core.Sctp!.CheckInvariants().Should().BeNull();
        pair.DtlsClient.State.Should().Be(RtcPeerConnectionState.Connected);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Closing_a_channel_frees_its_stream_for_the_next_one(bool closeFromOpener)
    {
        using var pair = new PeerPair(closeFromOpener ? 41 : 42, NetworkConditions.Lossy());
        pair.Connect();
        var (first, remoteFirst) = pair.Open(pair.DtlsServer, "first");
        ushort id = first.Id!.Value;
        (id % 2).Should().Be(1, "the DTLS server opens odd stream ids (RFC 8832 §6)");
        for (int i = 0; i < 20; i++)
        {
            pair.DtlsServer.Send(first, TestMessages.Create(i, 3000), pair.Now);
        }

        pair.Network.RunUntil(() => pair.DtlsClient.Messages.Count(m => m.Channel == remoteFirst) == 20, TimeSpan.FromMinutes(5)).Should().BeTrue();
        PeerNode closer = closeFromOpener ? pair.DtlsServer : pair.DtlsClient;
        closer.CloseChannel(closeFromOpener ? first : remoteFirst, pair.Now);
        pair.Network.RunUntil(() => pair.DtlsServer.Closed.Contains(first) && pair.DtlsClient.Closed.Contains(remoteFirst), TimeSpan.FromMinutes(5))
            .Should().BeTrue("both ends must see the close (stream reset, RFC 8831 §6.7)");
        first.State.Should().Be(RtcDataChannelState.Closed);
        remoteFirst.State.Should().Be(RtcDataChannelState.Closed);

        // The next channel from the same side gets the freed stream id, and its messages start a fresh sequence.
        var (second, remoteSecond) = pair.Open(pair.DtlsServer, "second");
        second.Id.Should().Be(id);
        remoteSecond.Should().NotBeSameAs(remoteFirst);
        for (int i = 0; i < 20; i++)
        {
            pair.DtlsServer.Send(second, TestMessages.Create(100 + i, 2000), pair.Now);
        }

        pair.Network.RunUntil(() => pair.DtlsClient.Messages.Count(m => m.Channel == remoteSecond) == 20, TimeSpan.FromMinutes(5)).Should().BeTrue();
        pair.DtlsClient.Messages.Where(m => m.Channel == remoteSecond).Select(m => TestMessages.IndexOf(m.Message.Data.Span)).Should().Equal(Enumerable.Range(100, 20));
        pair.DtlsClient.Messages.Count(m => m.Channel == remoteFirst).Should().Be(20, "nothing of the second channel went to the first");
    }

    [Fact]
    public void Ice_consent_keeps_the_connection_alive_under_loss_and_expires_in_a_partition()
    {
        using var pair = new PeerPair(50, NetworkConditions.Lossy());
        pair.Connect();
        var (local, remote) = pair.Open(pair.DtlsClient, "chat");
        TimeSpan connectedAt = pair.Now;

        // Three minutes of a message every 10 s: consent checks (every ~5 s, RFC 7675 §5.1) must keep succeeding.
        for (int i = 0; i < 18; i++)
        {
            pair.DtlsClient.Send(local, $"tick {i}", pair.Now);
            pair.Network.RunFor(TimeSpan.FromSeconds(10));
        }

        pair.DtlsServer.Messages.Where(m => m.Channel == remote).Select(m => m.Message.Text).Should().Equal(Enumerable.Range(0, 18).Select(i => $"tick {i}"));
        pair.Offerer.States.Should().NotContain(RtcPeerConnectionState.Disconnected);
        pair.Answerer.States.Should().NotContain(RtcPeerConnectionState.Disconnected);
        int Count(int from, ushort kind) => pair.Trace.Count(t => t.From == from && t.At > connectedAt && t.Kind == kind);
        for (int side = 0; side < 2; side++)
        {
            // 180 s of checks every few seconds (RFC 7675 §5.1), each answered unless the request was lost.
            Count(side, StunBindingRequest).Should().BeGreaterThanOrEqualTo(18, "each side keeps checking consent (at least every 10 s)");
            Count(side, StunBindingSuccess).Should().BeGreaterThanOrEqualTo(15, "each side answers the other's checks");
        }

        // A partition: with no response for 30 s, consent expires (RFC 7675 §5.1) and the peers stop sending.
        TimeSpan partitionedAt = pair.Now;
        pair.Network.AToB = pair.Network.BToA = new NetworkConditions { Loss = 1 };
        pair.Network.RunUntil(() => pair.Offerer.State != RtcPeerConnectionState.Connected && pair.Answerer.State != RtcPeerConnectionState.Connected, TimeSpan.FromMinutes(2))
            .Should().BeTrue();
        (pair.Now - partitionedAt).Should().BeGreaterThan(TimeSpan.FromSeconds(25)).And.BeLessThan(TimeSpan.FromSeconds(40));
        pair.Offerer.State.Should().BeOneOf(RtcPeerConnectionState.Disconnected, RtcPeerConnectionState.Failed);
    }
}
