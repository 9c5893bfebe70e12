using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Protocol;

/// <summary>
/// <c>conversation.respond</c>: injects text as if the user had just said it; the LLM answers it and
/// <c>turn_idx</c> advances (tavus-protocol.md §A.2).
/// </summary>
[JsonConverter(typeof(CviInteractionJsonConverter<RespondInteraction>))]
public sealed record RespondInteraction : CviInteraction
{
    /// <inheritdoc/>
    public override string EventType => CviEventTypes.Respond;

    /// <summary><c>text</c>: the user's words.</summary>
    public string? Text { get; init; }
}
