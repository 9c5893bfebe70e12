using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Protocol;

/// <summary>
/// An interaction whose <c>event_type</c> the SDK does not know, kept whole. The emulator reads what clients send
/// into this instead of dropping it; encoding writes <see cref="RawJson"/> back unchanged.
/// </summary>
[JsonConverter(typeof(CviInteractionJsonConverter<UnknownInteraction>))]
public sealed record UnknownInteraction : CviInteraction
{
    /// <summary>Creates the interaction.</summary>
    /// <param name="eventType">The wire <c>event_type</c>.</param>
    /// <param name="rawJson">The whole message as JSON text.</param>
    public UnknownInteraction(string eventType, string rawJson)
    {
        ArgumentNullException.ThrowIfNull(eventType);
        ArgumentNullException.ThrowIfNull(rawJson);
        UnknownEventType = eventType;
        RawJson = rawJson;
    }

    /// <inheritdoc/>
    public override string EventType => UnknownEventType;

    /// <summary>The wire <c>event_type</c> (the same as <see cref="EventType"/>).</summary>
    public string UnknownEventType { get; init; }

    /// <summary>The whole message as JSON text.</summary>
    public string RawJson { get; init; }
}
