namespace Tavus.Cvi.Interactions.Transport;

/// <summary>Joining or staying in the room failed.</summary>
public sealed class CviConnectionException : CviException
{
    /// <summary>Creates the exception.</summary>
    public CviConnectionException() { }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong; never contains a secret.</param>
    public CviConnectionException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong; never contains a secret.</param>
    /// <param name="innerException">The cause.</param>
    public CviConnectionException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with its kind.</summary>
    /// <param name="failure">The kind of failure.</param>
    /// <param name="message">What went wrong; never contains a secret.</param>
    /// <param name="innerException">The cause, if any.</param>
    public CviConnectionException(CviConnectionFailure failure, string message, Exception? innerException = null)
        : base(message, innerException!)
    {
        Failure = failure;
    }

    /// <summary>The kind of failure.</summary>
    public CviConnectionFailure Failure { get; }
}
