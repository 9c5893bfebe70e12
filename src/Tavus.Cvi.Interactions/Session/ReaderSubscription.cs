using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Tavus.Cvi.Interactions.Diagnostics;
using Tavus.Cvi.Interactions.Protocol;

namespace Tavus.Cvi.Interactions.Session;

/// <summary>The queue behind one <see cref="CviSession.ReadEventsAsync"/> enumeration.</summary>
internal sealed class ReaderSubscription : IPublisher
{
    private readonly Subscription<CviEvent> _queue;
    private int _abandoned;

    private ILogger _logger;

    public ReaderSubscription(string name, int capacity, EventBufferFullMode fullMode, ILogger logger)
    {
        _logger = logger;
        _queue = new Subscription<CviEvent>(
            name, capacity, fullMode,
            overflowed: q => Log.ConsumerOverflow(
                _logger, q.Name, q.Capacity,
                q.FullMode == EventBufferFullMode.FailReader ? "the reader was stopped" : "dropped its oldest event"));
    }

    /// <summary>
    /// The backlog kept for the first reader drops its oldest events silently while nobody reads; once a reader takes
    /// it over, the configured policy and logging apply.
    /// </summary>
    public void TakeOver(EventBufferFullMode fullMode, ILogger logger)
    {
        _logger = logger;
        _queue.FullMode = fullMode;
    }

    /// <summary>Whether the enumeration ended (the consumer stopped reading); the session then removes this reader.</summary>
    public bool IsAbandoned => Volatile.Read(ref _abandoned) != 0;

    public bool Publish(SessionNotification notification) =>
        IsAbandoned ? false : notification.Event is not { } e || _queue.Publish(e);

    public void Complete(CviSessionEndedEventArgs ended) => _queue.Complete();

    public async IAsyncEnumerable<CviEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        try
        {
            var reader = _queue.Reader;
            while (await reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (reader.TryRead(out var item))
                {
                    yield return item;
                }
            }
        }
        finally
        {
            Volatile.Write(ref _abandoned, 1);
            _queue.Complete();
        }
    }
}
