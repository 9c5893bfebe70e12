using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Protocol;

/// <summary>
/// An event whose <c>event_type</c> the SDK does not know (for example <c>conversation.joined</c>, §B.9). Nothing is
/// dropped: the envelope fields are read when valid, and <see cref="RawJson"/> holds the whole message.
/// </summary>
[JsonConverter(typeof(CviEventJsonConverter<UnknownEvent>))]
public sealed record UnknownEvent : CviEvent
{
    /// <summary>Creates the event.</summary>
    /// <param name="eventType">The wire <c>event_type</c>.</param>
    /// <param name="rawJson">The whole message as JSON text.</param>
    public UnknownEvent(string eventType, string rawJson)
        : base(eventType, CviEventTypes.ConversationMessageType)
    {
        ArgumentNullException.ThrowIfNull(rawJson);
        RawJson = rawJson;
    }

    /// <summary>The whole message as JSON text, as received.</summary>
    public string RawJson { get; init; }
}
