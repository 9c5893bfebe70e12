using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Protocol;

/// <summary>
/// <c>conversation.append_llm_context</c>: appends to (or seeds) the conversational context (tavus-protocol.md §A.5).
/// </summary>
/// <remarks>
/// Read also from the legacy name <c>conversation.append_context</c>; written with the documented name unless
/// <see cref="CviJsonWriteOptions.UseLegacyContextEventNames"/> is set.
/// </remarks>
[JsonConverter(typeof(CviInteractionJsonConverter<AppendContextInteraction>))]
public sealed record AppendContextInteraction : CviInteraction
{
    /// <summary>The only documented <see cref="JobStatus"/> value.</summary>
    public const string JobStatusCompleted = "completed";

    /// <inheritdoc/>
    public override string EventType => CviEventTypes.AppendLlmContext;

    /// <summary><c>context</c>: the text to append.</summary>
    public string? Context { get; init; }

    /// <summary><c>job_status</c>: optionally marks an asynchronous job done (<see cref="JobStatusCompleted"/>).</summary>
    public string? JobStatus { get; init; }
}
