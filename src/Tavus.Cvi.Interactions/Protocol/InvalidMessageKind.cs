namespace Tavus.Cvi.Interactions.Protocol;

/// <summary>Why an <see cref="InvalidMessageEvent"/> could not be read.</summary>
public enum InvalidMessageKind
{
    /// <summary>The bytes are not JSON (malformed, truncated or not UTF-8).</summary>
    NotJson = 0,

    /// <summary>The JSON is not an object (an array, a number, a string...).</summary>
    NotAnObject,

    /// <summary>The object has no string <c>event_type</c>.</summary>
    MissingEventType,

    /// <summary>A known field has the wrong type or an unreadable value.</summary>
    InvalidField,

    /// <summary>The message is larger than <see cref="CviJsonReadOptions.MaxMessageBytes"/>.</summary>
    TooLarge,
}
