using Tavus.Cvi.Interactions.Protocol;
using Tavus.Cvi.Interactions.Session;

namespace Tavus.Cvi.EndToEnd.Tests.Daily;

/// <summary>Everything a session's <c>ReadEventsAsync</c> yields (from the start), with waits on what arrived.</summary>
internal sealed class SessionEventLog
{
    private readonly List<CviEvent> _events = [];
    private readonly Lock _gate = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SessionEventLog()
    {
    }

    public Task Completion { get; private set; } = Task.CompletedTask;

    public static SessionEventLog Start(CviSession session)
    {
        var log = new SessionEventLog();
        log.Completion = Task.Run(async () =>
        {
            await foreach (var item in session.ReadEventsAsync())
            {
                log.Add(item);
            }
        });
        return log;
    }

    public IReadOnlyList<CviEvent> Snapshot()
    {
        lock (_gate)
        {
            return [.. _events];
        }
    }

    /// <summary>Waits for an event (already received or still to come) of type <typeparamref name="T"/> matching the predicate.</summary>
    public async Task<T> WaitForAsync<T>(Func<T, bool>? predicate = null, int skip = 0)
        where T : CviEvent
    {
        using var timeout = new CancellationTokenSource(EmulatorHarness.Timeout);
        while (true)
        {
            Task changed;
            lock (_gate)
            {
                var match = _events.OfType<T>().Where(e => predicate is null || predicate(e)).Skip(skip).FirstOrDefault();
                if (match is not null)
                {
                    return match;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(timeout.Token);
        }
    }

    private void Add(CviEvent item)
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
