using Tavus.Cvi.Interactions.Protocol;

namespace QuickStart;

/// <summary>
/// Prints events as they arrive and lets the flow wait until an event it awaited has been printed, so the console
/// reads in causal order even though printing and waiting are separate consumers of the session.
/// </summary>
internal sealed class EventPrinter(TextWriter output)
{
    private readonly HashSet<CviEvent> _printed = new(ReferenceEqualityComparer.Instance);
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Print(CviEvent cviEvent, string text)
    {
        output.WriteLine("  <- " + text);
        lock (_printed)
        {
            _printed.Add(cviEvent);
            _changed.TrySetResult();
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Awaits an event, then waits until the printer has shown it.</summary>
    public async Task<T> Expect<T>(Task<T> waiting, CancellationToken cancellationToken) where T : CviEvent
    {
        var cviEvent = await waiting.ConfigureAwait(false);
        while (true)
        {
            Task changed;
            lock (_printed)
            {
                if (_printed.Contains(cviEvent))
                {
                    return cviEvent;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }
}
