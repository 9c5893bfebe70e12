namespace Tavus.Cvi.Interactions.Session;

/// <summary>The arguments of <see cref="CviSession.Ended"/>.</summary>
public sealed class CviSessionEndedEventArgs : EventArgs
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="reason">Why the session ended.</param>
    /// <param name="message">A human-readable explanation, free of secrets.</param>
    /// <param name="exception">The failure behind the end, if any.</param>
    public CviSessionEndedEventArgs(CviSessionEndReason reason, string? message = null, Exception? exception = null)
    {
        Reason = reason;
        Message = message;
        Exception = exception;
    }

    /// <summary>Why the session ended.</summary>
    public CviSessionEndReason Reason { get; }

    /// <summary>A human-readable explanation, free of secrets.</summary>
    public string? Message { get; }

    /// <summary>The failure behind the end, if any.</summary>
    public Exception? Exception { get; }
}
