namespace Tavus.Cvi.Interactions.Transport;

/// <summary>The base of the exceptions this SDK throws for protocol and connection failures.</summary>
public class CviException : Exception
{
    /// <summary>Creates the exception.</summary>
    public CviException() { }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong; never contains a secret.</param>
    public CviException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong; never contains a secret.</param>
    /// <param name="innerException">The cause.</param>
    public CviException(string message, Exception innerException) : base(message, innerException) { }
}
