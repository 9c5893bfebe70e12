using Microsoft.Extensions.Logging;
using Tavus.Cvi.Interactions.Diagnostics;

namespace Tavus.Cvi.Interactions.Session;

/// <summary>
/// One C# event handler with its own queue and pump: it sees its events in order, on a thread-pool thread, never on
/// the receive loop; a slow or throwing handler delays or affects only itself.
/// </summary>
internal sealed class HandlerSubscription<TArgs> : IPublisher
    where TArgs : EventArgs
{
    private readonly object _sender;
    private readonly string _eventName;
    private readonly Func<SessionNotification, TArgs?> _map;
    private readonly ILogger _logger;
    private readonly Subscription<TArgs> _queue;
    private volatile bool _cancelled;

    public HandlerSubscription(
        object sender, string eventName, EventHandler<TArgs> handler, Func<SessionNotification, TArgs?> map,
        int capacity, ILogger logger)
    {
        _sender = sender;
        _eventName = eventName;
        Handler = handler;
        _map = map;
        _logger = logger;
        _queue = new Subscription<TArgs>(
            eventName, capacity, EventBufferFullMode.DropOldest,
            overflowed: q => Log.ConsumerOverflow(logger, $"handler of {eventName}", q.Capacity, "dropped its oldest event"));
        _ = Task.Run(PumpAsync);
    }

    public EventHandler<TArgs> Handler { get; }

    public string EventName => _eventName;

    public bool Publish(SessionNotification notification)
    {
        var args = _map(notification);
        return args is null || _queue.Publish(args);
    }

    /// <summary>Delivers one item directly (used to raise <c>Ended</c> for a handler added after the end).</summary>
    public void PublishArgs(TArgs args)
    {
        _queue.Publish(args);
        _queue.Complete();
    }

    public void Complete(CviSessionEndedEventArgs ended)
    {
        if (ended is TArgs args)
        {
            _queue.Publish(args);
        }

        _queue.Complete();
    }

    /// <summary>The handler was removed: it sees nothing more.</summary>
    public void Cancel()
    {
        _cancelled = true;
        _queue.Complete();
    }

    private async Task PumpAsync()
    {
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            while (reader.TryRead(out var args))
            {
                if (_cancelled) return;
                try
                {
                    Handler(_sender, args);
                }
#pragma warning disable CA1031 // A user's handler may throw anything; it must never end the session (house style).
                catch (Exception ex)
#pragma warning restore CA1031
                {
                    Log.HandlerFailed(_logger, _eventName, ex);
                }
            }
        }
    }
}
