using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.Interactions.Session;

/// <summary>The arguments of <see cref="CviSession.ConnectionStateChanged"/>.</summary>
public sealed class CviConnectionStateChangedEventArgs : EventArgs
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="change">The transport's report.</param>
    public CviConnectionStateChangedEventArgs(TransportStateChanged change)
    {
        ArgumentNullException.ThrowIfNull(change);
        State = change.State;
        CloseReason = change.CloseReason;
        Message = change.Message;
        Exception = change.Exception;
    }

    /// <summary>The new state.</summary>
    public TransportState State { get; }

    /// <summary>Why the transport closed, when <see cref="State"/> is <see cref="TransportState.Closed"/>.</summary>
    public TransportCloseReason CloseReason { get; }

    /// <summary>A human-readable explanation, free of secrets.</summary>
    public string? Message { get; }

    /// <summary>The failure behind the change, if any.</summary>
    public Exception? Exception { get; }
}
