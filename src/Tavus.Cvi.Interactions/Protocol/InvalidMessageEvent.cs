using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Protocol;

/// <summary>
/// A message that could not be read as an event: not JSON, not an object, no <c>event_type</c>, a field of the wrong
/// type, or too large. The decoder returns it instead of throwing, so one bad message never breaks a receive loop.
/// </summary>
[JsonConverter(typeof(CviEventJsonConverter<InvalidMessageEvent>))]
public sealed record InvalidMessageEvent : CviEvent
{
    /// <summary>The <see cref="CviEvent.EventType"/> of an invalid message whose own <c>event_type</c> could not be read.</summary>
    public const string NoEventType = "(invalid)";

    /// <summary>Creates the event.</summary>
    /// <param name="kind">What is wrong.</param>
    /// <param name="reason">A readable explanation naming the offending field.</param>
    /// <param name="rawText">The message text (for <see cref="InvalidMessageKind.TooLarge"/>, only its beginning).</param>
    /// <param name="eventType">The message's <c>event_type</c>, when it could be read.</param>
    public InvalidMessageEvent(InvalidMessageKind kind, string reason, string rawText, string? eventType = null)
        : base(string.IsNullOrEmpty(eventType) ? NoEventType : eventType, CviEventTypes.ConversationMessageType)
    {
        ArgumentNullException.ThrowIfNull(reason);
        ArgumentNullException.ThrowIfNull(rawText);
        Kind = kind;
        Reason = reason;
        RawText = rawText;
        MessageType = null;
    }

    /// <summary>What is wrong.</summary>
    public InvalidMessageKind Kind { get; init; }

    /// <summary>A readable explanation, naming the offending field where there is one.</summary>
    public string Reason { get; init; }

    /// <summary>
    /// The message as text (invalid UTF-8 replaced). For <see cref="InvalidMessageKind.TooLarge"/> only the first
    /// <see cref="CviJsonReadOptions.MaxRawTextChars"/> characters are kept.
    /// </summary>
    public string RawText { get; init; }
}
