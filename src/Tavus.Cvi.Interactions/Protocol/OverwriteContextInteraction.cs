using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Protocol;

/// <summary>
/// <c>conversation.overwrite_llm_context</c>: replaces the conversational context (tavus-protocol.md §A.4).
/// </summary>
/// <remarks>
/// Read also from the legacy name <c>conversation.overwrite_context</c> and from <c>properties.text</c>; written with
/// the documented name unless <see cref="CviJsonWriteOptions.UseLegacyContextEventNames"/> is set.
/// </remarks>
[JsonConverter(typeof(CviInteractionJsonConverter<OverwriteContextInteraction>))]
public sealed record OverwriteContextInteraction : CviInteraction
{
    /// <inheritdoc/>
    public override string EventType => CviEventTypes.OverwriteLlmContext;

    /// <summary><c>context</c>: the new context.</summary>
    public string? Context { get; init; }
}
