using CsCheck;
using Tavus.Cvi.Interactions.Session;

namespace Tavus.Cvi.Interactions.Tests.Session;

public class SeqReorderBufferTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void In_order_items_pass_straight_through()
    {
        var buffer = new SeqReorderBuffer<long>(8, TimeSpan.FromSeconds(1));
        var released = new List<long>();
        for (long s = 100; s < 105; s++) buffer.Push(s, s, T0, released);
        released.Should().Equal(100, 101, 102, 103, 104);
        buffer.Count.Should().Be(0);
        buffer.NextDeadline.Should().BeNull();
    }

    [Fact]
    public void A_gap_holds_later_items_until_it_fills()
    {
        var buffer = new SeqReorderBuffer<long>(8, TimeSpan.FromSeconds(1));
        var released = new List<long>();
        buffer.Push(1, 1, T0, released);
        buffer.Push(3, 3, T0, released);
        buffer.Push(4, 4, T0.AddMilliseconds(10), released);
        released.Should().Equal(1);
        buffer.NextDeadline.Should().Be(T0.AddSeconds(1));

        buffer.Push(2, 2, T0.AddMilliseconds(20), released);
        released.Should().Equal(1, 2, 3, 4);
        buffer.Count.Should().Be(0);
    }

    [Fact]
    public void The_timeout_gives_up_on_a_gap()
    {
        var buffer = new SeqReorderBuffer<long>(8, TimeSpan.FromSeconds(1));
        var released = new List<long>();
        buffer.Push(1, 1, T0, released);
        buffer.Push(3, 3, T0, released);
        buffer.Push(5, 5, T0.AddMilliseconds(500), released);

        buffer.OnTimer(T0.AddMilliseconds(999), released);
        released.Should().Equal(1);
        buffer.OnTimer(T0.AddSeconds(1), released);
        // 3 waited its full timeout; 5 has not, and seq 4 may still come.
        released.Should().Equal(1, 3);
        buffer.NextDeadline.Should().Be(T0.AddMilliseconds(1500));

        buffer.Push(4, 4, T0.AddMilliseconds(1200), released);
        released.Should().Equal(1, 3, 4, 5);
    }

    [Fact]
    public void The_capacity_gives_up_on_a_gap()
    {
        var buffer = new SeqReorderBuffer<long>(2, TimeSpan.FromSeconds(10));
        var released = new List<long>();
        buffer.Push(1, 1, T0, released);
        buffer.Push(3, 3, T0, released);
        buffer.Push(4, 4, T0, released);
        released.Should().Equal(1);
        buffer.Push(6, 6, T0, released);
        released.Should().Equal(1, 3, 4);
        buffer.Count.Should().Be(1);
    }

    [Fact]
    public void Items_without_seq_and_late_items_are_released_at_once()
    {
        var buffer = new SeqReorderBuffer<string>(8, TimeSpan.FromSeconds(1));
        var released = new List<string>();
        buffer.Push("a", 10, T0, released);
        buffer.Push("c", 12, T0, released);
        buffer.Push("none", null, T0, released);
        buffer.Push("late", 5, T0, released);
        buffer.Push("dup", 10, T0, released);
        released.Should().Equal("a", "none", "late", "dup");
    }

    [Fact]
    public void Any_arrival_order_releases_every_item_exactly_once_and_a_shuffle_within_capacity_comes_out_sorted()
    {
        Gen.Int[1, 40].SelectMany(n => Gen.Shuffle(Enumerable.Range(0, n).Select(i => (long)i).ToArray()))
            .Sample(order =>
            {
                var buffer = new SeqReorderBuffer<long>(64, TimeSpan.FromSeconds(1));
                var released = new List<long>();
                // The first item sets the expectation; start from 0 so a full shuffle can be sorted.
                buffer.Push(-1, -1, T0, released);
                foreach (var s in order) buffer.Push(s, s, T0, released);
                buffer.Count.Should().Be(0);
                released.Should().Equal(Enumerable.Range(-1, order.Length + 1).Select(i => (long)i));
            });

        Gen.Long[0, 30].Nullable(0.2).Array[0, 60].Select(Gen.Int[1, 8], (seqs, cap) => (seqs, cap))
            .Sample(t =>
            {
                var buffer = new SeqReorderBuffer<int>(t.cap, TimeSpan.FromMilliseconds(100));
                var released = new List<int>();
                for (int i = 0; i < t.seqs.Length; i++)
                {
                    var now = T0.AddMilliseconds(i * 30);
                    buffer.OnTimer(now, released);
                    buffer.Push(i, t.seqs[i], now, released);
                    buffer.Count.Should().BeLessThanOrEqualTo(t.cap);
                }

                buffer.Flush(released);
                released.Should().BeEquivalentTo(Enumerable.Range(0, t.seqs.Length), "nothing is dropped or duplicated");
            });
    }
}
