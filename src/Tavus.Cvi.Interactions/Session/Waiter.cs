using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.Interactions.Session;

/// <summary>One pending awaitable helper (<c>WaitFor…Async</c>): evaluated on the receive loop, completed off it.</summary>
internal sealed class Waiter<T> : IPublisher
{
    private readonly Func<SessionNotification, (bool Matched, T Value)> _match;
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly string _what;

    public Waiter(string what, Func<SessionNotification, (bool Matched, T Value)> match)
    {
        _what = what;
        _match = match;
    }

    public Task<T> Task => _completion.Task;

    public bool Publish(SessionNotification notification)
    {
        if (_completion.Task.IsCompleted) return false;
        try
        {
            var (matched, value) = _match(notification);
            if (!matched) return true;
            _completion.TrySetResult(value);
        }
#pragma warning disable CA1031 // The user's predicate failed: that fails the wait, never the receive loop.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _completion.TrySetException(ex);
        }

        return false;
    }

    public void Complete(CviSessionEndedEventArgs ended) =>
        _completion.TrySetException(new CviConnectionException(
            CviConnectionFailure.Closed, $"The session ended ({ended.Reason}) before {_what}."));

    public void Cancel(CancellationToken cancellationToken) => _completion.TrySetCanceled(cancellationToken);

    public bool TrySetResult(T value) => _completion.TrySetResult(value);
}
