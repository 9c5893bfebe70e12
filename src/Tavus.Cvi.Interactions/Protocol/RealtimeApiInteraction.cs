using System.Text.Json.Serialization;
using System.Text.Json;

namespace Tavus.Cvi.Interactions.Protocol;

/// <summary>
/// <c>conversation.realtime_api</c> (legacy): forwards an OpenAI Realtime event body, carried as <c>properties</c>
/// (tavus-protocol.md §A.8).
/// </summary>
[JsonConverter(typeof(CviInteractionJsonConverter<RealtimeApiInteraction>))]
public sealed record RealtimeApiInteraction : CviInteraction
{
    private LazyJsonElement _body;

    /// <inheritdoc/>
    public override string EventType => CviEventTypes.RealtimeApi;

    /// <summary>The body written as <c>properties</c>, such as <c>{"type":"session.update",…}</c>; it must be a JSON object.</summary>
    public JsonElement Body { get => _body.Value; init => _body = LazyJsonElement.FromElement(value); }

    // The decoder sets the wire text here, parsed on first read of Body (see LazyJsonElement).
    internal LazyJsonElement BodyValue { get => _body; init => _body = value; }

    /// <summary>Value equality; <see cref="Body"/> is compared by JSON content.</summary>
    /// <param name="other">The other interaction.</param>
    public bool Equals(RealtimeApiInteraction? other) => base.Equals(other) && JsonEquality.ElementEquals(Body, other.Body);

    /// <inheritdoc/>
    public override int GetHashCode() => base.GetHashCode();
}
