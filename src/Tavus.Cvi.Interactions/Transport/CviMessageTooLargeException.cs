namespace Tavus.Cvi.Interactions.Transport;

/// <summary>A message exceeds the room's maximum app-message size. Nothing was sent.</summary>
public sealed class CviMessageTooLargeException : CviException
{
    /// <summary>Creates the exception.</summary>
    public CviMessageTooLargeException() { }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public CviMessageTooLargeException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public CviMessageTooLargeException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception for a message of a given size.</summary>
    /// <param name="size">The message size in UTF-16 code units.</param>
    /// <param name="maxSize">The room's limit in UTF-16 code units.</param>
    /// <param name="what">What was being sent, such as the event type.</param>
    public CviMessageTooLargeException(int size, int maxSize, string? what = null)
        : base($"The {what ?? "app message"} is {size} UTF-16 code units long, over the room's limit of {maxSize}. Nothing was sent.")
    {
        Size = size;
        MaxSize = maxSize;
    }

    /// <summary>The message size in UTF-16 code units (as Daily counts).</summary>
    public int Size { get; }

    /// <summary>The room's limit in UTF-16 code units.</summary>
    public int MaxSize { get; }
}
