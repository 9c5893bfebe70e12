using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.EndToEnd.Tests.Daily;

/// <summary>Everything a transport's <c>ReadEventsAsync</c> yields, with waits on what arrived.</summary>
internal sealed class TransportEventLog
{
    private readonly List<TransportEvent> _events = [];
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Completion { get; private set; } = Task.CompletedTask;

    public static TransportEventLog Start(ICviTransport transport)
    {
        var log = new TransportEventLog();
        log.Completion = Task.Run(async () =>
        {
            await foreach (var item in transport.ReadEventsAsync())
            {
                log.Add(item);
            }
        });
        return log;
    }

    public IReadOnlyList<TransportEvent> Snapshot()
    {
        lock (_gate)
        {
            return [.. _events];
        }
    }

    public async Task<T> WaitForAsync<T>(Func<T, bool>? predicate = null)
        where T : TransportEvent
    {
        using var timeout = new CancellationTokenSource(EmulatorHarness.Timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                var match = _events.OfType<T>().FirstOrDefault(e => predicate is null || predicate(e));
                if (match is not null)
                {
                    return match;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(timeout.Token);
        }
    }

    private void Add(TransportEvent item)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _events.Add(item);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }
}
