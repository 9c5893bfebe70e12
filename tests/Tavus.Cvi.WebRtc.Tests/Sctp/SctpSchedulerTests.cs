using Tavus.Cvi.WebRtc.Sctp;
using Tavus.Cvi.WebRtc.Tests.Simulation;

namespace Tavus.Cvi.WebRtc.Tests.Sctp;

/// <summary>
/// The per-stream round-robin send scheduler: no head-of-line blocking across streams, fairness between busy streams,
/// and the per-stream bookkeeping (buffered amount, low-water events, abandoning, resets) on top of it.
/// </summary>
public class SctpSchedulerTests
{
    private const int BacklogMessages = 200;
    private const int BacklogSize = 16 * 1024;

    [Fact]
    public void A_message_sent_later_on_another_stream_overtakes_the_backlog()
    {
        var pair = new SctpTestPair(21, new NetworkConditions { Delay = TimeSpan.FromMilliseconds(10) });
        pair.Connect();
        for (int i = 0; i < BacklogMessages; i++)
        {
            pair.A.Association.Send(0, 53, TestMessages.Create(i, BacklogSize), default, pair.Now);
        }

        // Let the backlog start flowing, then send one small message on stream 2.
        pair.Network.RunUntil(() => pair.B.Messages.Count >= 5, TimeSpan.FromMinutes(1)).Should().BeTrue();
        long backlogLeft = pair.A.Association.BufferedAmount(0);
        int started = BacklogMessages - (int)(backlogLeft / BacklogSize);
        backlogLeft.Should().BeGreaterThan(100L * BacklogSize, "most of the backlog must still be queued");
        pair.A.Association.Send(2, 51, "urgent"u8, default, pair.Now);
        pair.A.Association.BufferedAmount(2).Should().Be(6);

        pair.Network.RunUntil(() => pair.B.Messages.Any(m => m.StreamId == 2), TimeSpan.FromMinutes(1)).Should().BeTrue();
        pair.A.Association.BufferedAmount(2).Should().Be(0);
        int backlogBefore = pair.B.Messages.TakeWhile(m => m.StreamId != 2).Count();
        // The scheduler switches at message boundaries: the urgent message waits at most for the backlog message
        // being fragmented when it was queued (and those already fully on the wire), never for the rest.
        backlogBefore.Should().BeLessThanOrEqualTo(started);
        pair.A.Association.BufferedAmount(0).Should().BeGreaterThan(90L * BacklogSize, "the backlog must not have drained first");

        pair.Network.RunUntil(() => pair.B.Messages.Count == BacklogMessages + 1, TimeSpan.FromMinutes(5)).Should().BeTrue();
        pair.B.Messages.Where(m => m.StreamId == 0).Select(m => TestMessages.IndexOf(m.Data.Span)).Should().Equal(Enumerable.Range(0, BacklogMessages));
        pair.A.Association.CheckInvariants().Should().BeNull();
    }

    [Fact]
    public void Two_busy_streams_share_the_association_message_by_message()
    {
        var pair = new SctpTestPair(22, new NetworkConditions { Delay = TimeSpan.FromMilliseconds(10) });
        pair.Connect();
        // Stream 1 queues everything first; a single queue would send all of it before stream 3's first message.
        for (int i = 0; i < 100; i++)
        {
            pair.A.Association.Send(1, 53, TestMessages.Create(i, 3000), default, pair.Now);
        }

        for (int i = 0; i < 100; i++)
        {
            pair.A.Association.Send(3, 53, TestMessages.Create(1000 + i, 3000), default, pair.Now);
        }

        pair.Network.RunUntil(() => pair.B.Messages.Count == 200, TimeSpan.FromMinutes(5)).Should().BeTrue();
        int one = 0, three = 0;
        foreach (SctpMessageReceived m in pair.B.Messages)
        {
            _ = m.StreamId == 1 ? one++ : three++;
            Math.Abs(one - three).Should().BeLessThanOrEqualTo(1, "round robin alternates between busy streams");
        }

        pair.B.Messages.Where(m => m.StreamId == 3).Select(m => TestMessages.IndexOf(m.Data.Span)).Should().Equal(Enumerable.Range(1000, 100));
    }

    [Fact]
    public void Busy_streams_stay_fair_and_ordered_under_loss()
    {
        var pair = new SctpTestPair(23, NetworkConditions.Lossy());
        pair.Connect();
        var random = new Random(23);
        var sizes = new Dictionary<int, int>();
        for (int i = 0; i < 300; i++)
        {
            for (ushort s = 0; s < 3; s++)
            {
                int index = (s * 10000) + i;
                sizes[index] = Math.Max(4, TestMessages.Size(random, 64 * 1024));
                pair.A.Association.Send(s, 53, TestMessages.Create(index, sizes[index]), default, pair.Now);
            }
        }

        pair.Network.RunUntil(() => pair.B.Messages.Count == 900, TimeSpan.FromHours(1)).Should().BeTrue();
        for (ushort s = 0; s < 3; s++)
        {
            var got = pair.B.Messages.Where(m => m.StreamId == s).ToList();
            got.Select(m => TestMessages.IndexOf(m.Data.Span)).Should().Equal(Enumerable.Range(s * 10000, 300));
            foreach (SctpMessageReceived m in got)
            {
                int index = TestMessages.IndexOf(m.Data.Span);
                m.Data.ToArray().Should().Equal(TestMessages.Create(index, sizes[index]));
            }

            pair.A.Association.BufferedAmount(s).Should().Be(0);
        }

        // Each stream's low-water event is its own, raised once when that stream's queue drained.
        pair.A.Events.OfType<SctpBufferedAmountLow>().Select(e => e.StreamId).Should().BeEquivalentTo(new ushort[] { 0, 1, 2 });

        // Halfway through the deliveries every stream is well under way: none waited for another to finish.
        var firstHalf = pair.B.Messages.Take(450).GroupBy(m => m.StreamId).ToDictionary(g => g.Key, g => g.Count());
        firstHalf.Keys.Should().BeEquivalentTo(new ushort[] { 0, 1, 2 });
        firstHalf.Values.Should().OnlyContain(n => n > 100);
        pair.A.Association.CheckInvariants().Should().BeNull();
    }

    [Fact]
    public void Abandoned_messages_leave_the_other_streams_flowing()
    {
        var pair = new SctpTestPair(24, NetworkConditions.Lossy(0.2));
        pair.Connect();
        var once = new SctpSendOptions { MaxRetransmits = 0 };
        for (int i = 0; i < 300; i++)
        {
            pair.A.Association.Send(4, 53, TestMessages.Create(i, 2000), once, pair.Now);
            pair.A.Association.Send(5, 53, TestMessages.Create(5000 + i, 2000), default, pair.Now);
        }

        pair.Network.RunUntil(() => pair.B.Messages.Count(m => m.StreamId == 5) == 300 && pair.A.Association.BufferedAmount(4) == 0, TimeSpan.FromHours(1)).Should().BeTrue();
        pair.Network.RunFor(TimeSpan.FromSeconds(30));
        pair.A.Association.Statistics.MessagesAbandoned.Should().BeGreaterThan(0);
        pair.B.Messages.Where(m => m.StreamId == 5).Select(m => TestMessages.IndexOf(m.Data.Span)).Should().Equal(Enumerable.Range(5000, 300));
        pair.B.Messages.Where(m => m.StreamId == 4).Select(m => TestMessages.IndexOf(m.Data.Span)).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        pair.A.Association.CheckInvariants().Should().BeNull();
        pair.B.Association.CheckInvariants().Should().BeNull();
    }

    [Fact]
    public void A_stream_reset_waits_for_its_own_queue_not_for_other_streams()
    {
        var pair = new SctpTestPair(25, new NetworkConditions { Delay = TimeSpan.FromMilliseconds(10) });
        pair.Connect();
        for (int i = 0; i < BacklogMessages; i++)
        {
            pair.A.Association.Send(0, 53, TestMessages.Create(i, BacklogSize), default, pair.Now);
        }

        pair.A.Association.Send(6, 53, TestMessages.Create(77, 100), default, pair.Now);
        pair.A.Association.ResetStreams([6], pair.Now);
        pair.Network.RunUntil(() => pair.A.Events.OfType<SctpStreamsReset>().Any(e => e.Direction == SctpStreamResetDirection.Outgoing), TimeSpan.FromMinutes(1)).Should().BeTrue();
        pair.A.Events.OfType<SctpStreamsReset>().Single(e => e.Direction == SctpStreamResetDirection.Outgoing).StreamIds.Should().Equal((ushort)6);
        pair.B.Messages.Should().Contain(m => m.StreamId == 6, "the queued message goes out before the reset");
        pair.A.Association.BufferedAmount(0).Should().BeGreaterThan(100L * BacklogSize, "the reset did not wait for stream 0's backlog");

        // The reset stream is usable again from SSN 0 while the backlog still flows.
        pair.A.Association.Send(6, 53, TestMessages.Create(78, 100), default, pair.Now);
        pair.Network.RunUntil(() => pair.B.Messages.Count == BacklogMessages + 2, TimeSpan.FromMinutes(5)).Should().BeTrue();
        pair.B.Messages.Where(m => m.StreamId == 6).Select(m => TestMessages.IndexOf(m.Data.Span)).Should().Equal(77, 78);
        pair.A.Association.CheckInvariants().Should().BeNull();
    }
}
