namespace Tavus.Cvi.Interactions.Daily;

/// <summary>The arguments of <see cref="IDailyPeerConnection.ConnectionFailed"/>.</summary>
public sealed class DailyPeerConnectionFailedEventArgs : EventArgs
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="reason">Why the connection ended, in a few words (no secrets: it goes into exception messages).</param>
    public DailyPeerConnectionFailedEventArgs(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        Reason = reason;
    }

    /// <summary>Why the connection ended, in a few words, for example <c>failed</c> or <c>disconnected</c>.</summary>
    public string Reason { get; }
}
