using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Protocol;

/// <summary>
/// <c>conversation.interrupt</c>: stops the replica mid-speech. It has no <c>properties</c> key at all
/// (tavus-protocol.md §A.3).
/// </summary>
[JsonConverter(typeof(CviInteractionJsonConverter<InterruptInteraction>))]
public sealed record InterruptInteraction : CviInteraction
{
    /// <inheritdoc/>
    public override string EventType => CviEventTypes.Interrupt;
}
