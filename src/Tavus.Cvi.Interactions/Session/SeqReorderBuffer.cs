namespace Tavus.Cvi.Interactions.Session;

/// <summary>
/// Re-orders items by their <c>seq</c> (tavus-protocol.md §0.1: monotonic across the conversation, "use it to re-order
/// events that arrive out of order"). Sans-IO: the caller passes the time in and arms a timer for
/// <see cref="NextDeadline"/>.
/// </summary>
/// <remarks>
/// An item whose seq is the next expected one is released at once, with any buffered successors. An item from the
/// future waits for the gap to fill, at most <c>timeout</c> and at most <c>capacity</c> items; then the gap is given
/// up and the lowest buffered items are released in order. An item without a seq, or one older than what was already
/// released (late or duplicated), is released at once: never dropped. The first seq seen sets the expectation, since
/// a client may join a conversation mid-way.
/// </remarks>
internal sealed class SeqReorderBuffer<T>
{
    private readonly SortedDictionary<long, Queue<(T Item, DateTimeOffset Arrived)>> _pending = [];
    private readonly int _capacity;
    private readonly TimeSpan _timeout;
    private long? _expected;
    private int _count;

    public SeqReorderBuffer(int capacity, TimeSpan timeout)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ArgumentOutOfRangeException.ThrowIfLessThan(timeout, TimeSpan.Zero);
        _capacity = capacity;
        _timeout = timeout;
    }

    /// <summary>The number of items held back.</summary>
    public int Count => _count;

    /// <summary>When the oldest held item must be released, or <see langword="null"/> when nothing is held.</summary>
    public DateTimeOffset? NextDeadline
    {
        get
        {
            if (_count == 0) return null;
            DateTimeOffset oldest = DateTimeOffset.MaxValue;
            foreach (var queue in _pending.Values)
            {
                foreach (var (_, arrived) in queue)
                {
                    if (arrived < oldest) oldest = arrived;
                }
            }

            return oldest + _timeout;
        }
    }

    /// <summary>Adds an item; appends what is ready, in order, to <paramref name="released"/>.</summary>
    public void Push(T item, long? seq, DateTimeOffset now, List<T> released)
    {
        if (seq is not { } s || (_expected is { } e0 && s < e0))
        {
            released.Add(item);
            return;
        }

        _expected ??= s;
        if (s == _expected)
        {
            released.Add(item);
            _expected = s + 1;
            Drain(released);
            return;
        }

        if (!_pending.TryGetValue(s, out var queue))
        {
            queue = new Queue<(T, DateTimeOffset)>(1);
            _pending.Add(s, queue);
        }

        queue.Enqueue((item, now));
        _count++;
        while (_count > _capacity)
        {
            ReleaseLowest(released);
        }
    }

    /// <summary>Releases whatever waited past the timeout (and what follows it without a gap).</summary>
    public void OnTimer(DateTimeOffset now, List<T> released)
    {
        while (NextDeadline is { } deadline && deadline <= now)
        {
            ReleaseLowest(released);
        }
    }

    /// <summary>Releases everything held, in seq order.</summary>
    public void Flush(List<T> released)
    {
        while (_count > 0)
        {
            ReleaseLowest(released);
        }
    }

    private void ReleaseLowest(List<T> released)
    {
        // Give up on the gap: jump the expectation to the lowest held seq.
        using var enumerator = _pending.GetEnumerator();
        if (!enumerator.MoveNext()) return;
        _expected = enumerator.Current.Key;
        Drain(released);
    }

    private void Drain(List<T> released)
    {
        while (_expected is { } e && _pending.Remove(e, out var queue))
        {
            foreach (var (item, _) in queue)
            {
                released.Add(item);
            }

            _count -= queue.Count;
            _expected = e + 1;
        }
    }
}
