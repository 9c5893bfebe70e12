using System.Threading.Channels;
using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.Interactions.Session;

/// <summary>
/// One consumer's private, bounded queue of session notifications. The receive loop publishes to every subscription
/// in the same order and never waits: a slow consumer only delays itself (and loses its oldest items, or fails, when
/// it falls too far behind: <see cref="EventBufferFullMode"/>).
/// </summary>
internal sealed class Subscription<T>
{
    private readonly Channel<T> _channel;
    private volatile EventBufferFullMode _fullMode;
    private readonly Func<T, bool>? _filter;
    private readonly Action<Subscription<T>>? _overflowed;
    private long _dropped;

    public Subscription(string name, int capacity, EventBufferFullMode fullMode, Func<T, bool>? filter = null, Action<Subscription<T>>? overflowed = null)
    {
        Name = name;
        Capacity = capacity;
        _fullMode = fullMode;
        _filter = filter;
        _overflowed = overflowed;
        _channel = Channel.CreateBounded<T>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // never awaited: TryWrite fails instead and the policy applies
            SingleReader = false, // the writer also takes the oldest item out under DropOldest
            SingleWriter = true,
            AllowSynchronousContinuations = false, // consumers never run on the receive loop
        });
    }

    public string Name { get; }

    /// <summary>The overflow policy; may change while items flow (the first reader takes over the backlog).</summary>
    public EventBufferFullMode FullMode
    {
        get => _fullMode;
        set => _fullMode = value;
    }

    public int Capacity { get; }

    /// <summary>How many items this consumer lost by falling behind.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public ChannelReader<T> Reader => _channel.Reader;

    /// <summary>Offers an item; never blocks. Returns false once the subscription is complete.</summary>
    public bool Publish(T item)
    {
        if (_filter is not null && !_filter(item)) return true;
        if (_channel.Writer.TryWrite(item)) return true;
        if (_channel.Reader.Completion.IsCompleted) return false;

        if (_fullMode == EventBufferFullMode.FailReader)
        {
            _overflowed?.Invoke(this);
            _channel.Writer.TryComplete(new CviException(
                $"The event reader fell more than {Capacity} events behind and was stopped (EventBufferFullMode.FailReader)."));
            return false;
        }

        // DropOldest: the consumer may have taken an item meanwhile; either way there is room after one TryRead.
        if (_channel.Reader.TryRead(out _))
        {
            // A stuck consumer drops every event: warn on the first drop and then every 1000th, not on each.
            long dropped = Interlocked.Increment(ref _dropped);
            if (dropped == 1 || dropped % 1000 == 0) _overflowed?.Invoke(this);
        }

        return _channel.Writer.TryWrite(item);
    }

    /// <summary>No more items: the consumer drains what it holds and ends.</summary>
    public void Complete(Exception? error = null) => _channel.Writer.TryComplete(error);
}
