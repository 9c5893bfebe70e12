using Tavus.Cvi.WebRtc.Sctp;
using Tavus.Cvi.WebRtc.Tests.Simulation;

namespace Tavus.Cvi.WebRtc.Tests.Sctp;

/// <summary>Long deterministic runs through a hostile simulated network (10% loss, duplication, reordering, delay).</summary>
public class SctpReliabilityTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Ordered_reliable_long_run_delivers_everything_intact_and_in_order(int seed)
    {
        var pair = new SctpTestPair(seed, NetworkConditions.Lossy());
        pair.Connect();
        var random = new Random(seed);
        const int count = 2000;
        var sizes = new int[count];
        for (int i = 0; i < count; i++)
        {
            // Indices are carried in the first 4 bytes, so the smallest messages here are 4 bytes; 1-3 byte
            // messages are covered separately below.
            sizes[i] = Math.Max(4, TestMessages.Size(random, 256 * 1024));
            pair.A.Association.Send((ushort)(i % 4), 53, TestMessages.Create(i, sizes[i]), default, pair.Now);
            pair.A.Association.Send(9, 53, new byte[] { (byte)i }, default, pair.Now);
        }

        pair.Network.RunUntil(() => pair.B.Messages.Count == 2 * count, TimeSpan.FromHours(2)).Should().BeTrue(
            $"only {pair.B.Messages.Count} of {2 * count} arrived");
        pair.Network.Lost.Should().BeGreaterThan(100, "the network must actually have been lossy");

        var perStream = pair.B.Messages.GroupBy(m => m.StreamId).ToDictionary(g => g.Key, g => g.ToList());
        for (ushort s = 0; s < 4; s++)
        {
            List<SctpMessageReceived> got = perStream[s];
            got.Select(m => TestMessages.IndexOf(m.Data.Span)).Should().Equal(Enumerable.Range(0, count).Where(i => i % 4 == s));
            foreach (SctpMessageReceived m in got)
            {
                int index = TestMessages.IndexOf(m.Data.Span);
                m.Data.ToArray().Should().Equal(TestMessages.Create(index, sizes[index]));
            }
        }

        perStream[9].Select(m => m.Data.Span[0]).Should().Equal(Enumerable.Range(0, count).Select(i => (byte)i));
        pair.A.Association.Statistics.Retransmissions.Should().BeGreaterThan(0);
        pair.A.Association.State.Should().Be(SctpAssociationState.Established);
        pair.A.Association.CheckInvariants().Should().BeNull();
        pair.B.Association.CheckInvariants().Should().BeNull();
    }

    [Fact]
    public void Both_directions_at_once_under_loss()
    {
        var pair = new SctpTestPair(3, NetworkConditions.Lossy());
        pair.Connect();
        for (int i = 0; i < 500; i++)
        {
            pair.A.Association.Send(0, 53, TestMessages.Create(i, 4 + (i * 37 % 3000)), default, pair.Now);
            pair.B.Association.Send(1, 53, TestMessages.Create(i, 4 + (i * 53 % 3000)), default, pair.Now);
        }

        pair.Network.RunUntil(() => pair.A.Messages.Count == 500 && pair.B.Messages.Count == 500, TimeSpan.FromHours(1)).Should().BeTrue();
        pair.B.Messages.Select(m => TestMessages.IndexOf(m.Data.Span)).Should().Equal(Enumerable.Range(0, 500));
        pair.A.Messages.Select(m => TestMessages.IndexOf(m.Data.Span)).Should().Equal(Enumerable.Range(0, 500));
    }

    [Fact]
    public void Unordered_delivers_every_message_exactly_once()
    {
        var pair = new SctpTestPair(4, NetworkConditions.Lossy());
        pair.Connect();
        var unordered = new SctpSendOptions { Unordered = true };
        for (int i = 0; i < 1500; i++)
        {
            pair.A.Association.Send(2, 53, TestMessages.Create(i, 4 + (i * 131 % 20000)), unordered, pair.Now);
        }

        pair.Network.RunUntil(() => pair.B.Messages.Count == 1500, TimeSpan.FromHours(1)).Should().BeTrue();
        pair.Network.RunFor(TimeSpan.FromSeconds(30));
        pair.B.Messages.Should().HaveCount(1500);
        pair.B.Messages.Should().OnlyContain(m => m.Unordered);
        pair.B.Messages.Select(m => TestMessages.IndexOf(m.Data.Span)).Should().BeEquivalentTo(Enumerable.Range(0, 1500));
        foreach (SctpMessageReceived m in pair.B.Messages)
        {
            int i = TestMessages.IndexOf(m.Data.Span);
            m.Data.ToArray().Should().Equal(TestMessages.Create(i, 4 + (i * 131 % 20000)));
        }
    }

    [Theory]
    [InlineData(0, true)]
    [InlineData(1, true)]
    [InlineData(0, false)]
    [InlineData(1, false)]
    public void Limited_retransmissions_give_up_and_the_receiver_moves_on(int maxRetransmits, bool ordered)
    {
        var pair = new SctpTestPair(5 + maxRetransmits, NetworkConditions.Lossy(0.2));
        pair.Connect();
        var options = new SctpSendOptions { MaxRetransmits = maxRetransmits, Unordered = !ordered };
        const int count = 1000;
        for (int i = 0; i < count; i++)
        {
            pair.A.Association.Send(4, 53, TestMessages.Create(i, 4 + (i * 173 % 4000)), options, pair.Now);
        }

        // A reliable marker behind them on another stream proves the association is still healthy.
        pair.A.Association.Send(6, 51, "done"u8, default, pair.Now);
        pair.Network.RunUntil(() => pair.B.Messages.Any(m => m.StreamId == 6) && pair.A.Association.BufferedAmount(4) == 0, TimeSpan.FromHours(1)).Should().BeTrue();
        pair.Network.RunFor(TimeSpan.FromSeconds(60));

        List<int> got = pair.B.Messages.Where(m => m.StreamId == 4).Select(m => TestMessages.IndexOf(m.Data.Span)).ToList();
        got.Should().OnlyHaveUniqueItems();
        got.Count.Should().BeLessThan(count, "at 20% loss some messages must have been abandoned");
        got.Count.Should().BeGreaterThan(count / 2);
        pair.A.Association.Statistics.MessagesAbandoned.Should().BeGreaterThan(0);
        pair.A.Association.CheckInvariants().Should().BeNull();
        pair.B.Association.CheckInvariants().Should().BeNull();
        if (ordered)
        {
            got.Should().BeInAscendingOrder();
        }

        foreach (SctpMessageReceived m in pair.B.Messages.Where(m => m.StreamId == 4))
        {
            int i = TestMessages.IndexOf(m.Data.Span);
            m.Data.ToArray().Should().Equal(TestMessages.Create(i, 4 + (i * 173 % 4000)));
        }

        // Nothing is left in flight: the peer's cumulative TSN covers every abandoned chunk.
        pair.A.Association.NextDeadline.Should().NotBeNull("the heartbeat still runs");
        pair.A.Association.Send(4, 53, TestMessages.Create(99999, 10), default, pair.Now);
        pair.Network.RunUntil(() => pair.B.Messages.Any(m => m.StreamId == 4 && TestMessages.IndexOf(m.Data.Span) == 99999), TimeSpan.FromMinutes(1)).Should().BeTrue(
            $"A {pair.A.Association.State} {pair.A.Association.Statistics}, B {pair.B.Association.State} {pair.B.Association.Statistics}");
    }

    [Fact]
    public void Lifetime_limited_messages_expire_during_an_outage_and_later_ones_flow()
    {
        var pair = new SctpTestPair(8, NetworkConditions.Lossy());
        pair.Connect();
        var options = new SctpSendOptions { MaxLifetime = TimeSpan.FromMilliseconds(500) };
        pair.Network.AToB = pair.Network.AToB with { Loss = 1.0 };
        for (int i = 0; i < 100; i++)
        {
            pair.A.Association.Send(3, 53, TestMessages.Create(i, 2000), options, pair.Now);
        }

        pair.Network.RunFor(TimeSpan.FromSeconds(5));
        pair.Network.AToB = NetworkConditions.Lossy();
        for (int i = 100; i < 200; i++)
        {
            pair.A.Association.Send(3, 53, TestMessages.Create(i, 2000), options with { MaxLifetime = TimeSpan.FromMinutes(10) }, pair.Now);
        }

        pair.Network.RunUntil(() => pair.B.Messages.Count(m => TestMessages.IndexOf(m.Data.Span) >= 100) == 100, TimeSpan.FromMinutes(30)).Should().BeTrue();
        pair.B.Messages.Select(m => TestMessages.IndexOf(m.Data.Span)).Should().BeInAscendingOrder();
        pair.B.Messages.Count(m => TestMessages.IndexOf(m.Data.Span) < 100).Should().Be(0, "all of them expired during the outage");
        pair.A.Association.Statistics.MessagesAbandoned.Should().Be(100);
    }

    [Fact]
    public void Survives_a_total_outage_with_backoff_then_recovers()
    {
        var pair = new SctpTestPair(9, NetworkConditions.Lossy());
        pair.Connect();
        for (int i = 0; i < 200; i++)
        {
            pair.A.Association.Send(0, 53, TestMessages.Create(i, 3000), default, pair.Now);
        }

        pair.Network.RunFor(TimeSpan.FromMilliseconds(200));
        pair.Network.AToB = pair.Network.AToB with { Loss = 1.0 };
        pair.Network.BToA = pair.Network.BToA with { Loss = 1.0 };
        pair.Network.RunFor(TimeSpan.FromSeconds(40));
        SctpAssociationStatistics during = pair.A.Association.Statistics;
        during.RetransmissionTimeouts.Should().BeGreaterThanOrEqualTo(3);
        during.RetransmissionTimeout.Should().BeGreaterThanOrEqualTo(TimeSpan.FromSeconds(4), "the RTO backs off exponentially");
        pair.A.Association.State.Should().Be(SctpAssociationState.Established);

        pair.Network.AToB = NetworkConditions.Lossy();
        pair.Network.BToA = NetworkConditions.Lossy();
        pair.Network.RunUntil(() => pair.B.Messages.Count == 200, TimeSpan.FromMinutes(10)).Should().BeTrue();
        pair.B.Messages.Select(m => TestMessages.IndexOf(m.Data.Span)).Should().Equal(Enumerable.Range(0, 200));
        pair.A.Association.State.Should().Be(SctpAssociationState.Established);
    }

    [Fact]
    public void A_dead_peer_makes_the_association_abort_after_max_retransmissions()
    {
        var pair = new SctpTestPair(10);
        pair.Connect();
        pair.Network.AToB = pair.Network.AToB with { Loss = 1.0 };
        pair.A.Association.Send(0, 53, [1], default, pair.Now);
        pair.Network.RunUntil(() => pair.A.Association.State == SctpAssociationState.Closed, TimeSpan.FromHours(1)).Should().BeTrue();
        pair.A.Events.OfType<SctpAssociationClosed>().Should().ContainSingle().Which.Aborted.Should().BeTrue();
    }
}
