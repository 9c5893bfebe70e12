using System.Text.Json;

namespace Tavus.Cvi.Interactions.Webhooks;

/// <summary>
/// One entry of a transcript (tavus-protocol.md §E): a <see cref="Role"/> and its <see cref="Content"/>, plus the
/// timing fields the newest docs add.
/// </summary>
public sealed record TranscriptEntry
{
    /// <summary>The <c>role</c> value of the system prompt.</summary>
    public const string SystemRole = "system";

    /// <summary>The <c>role</c> value of what the user said.</summary>
    public const string UserRole = "user";

    /// <summary>The <c>role</c> value of what the replica said.</summary>
    public const string AssistantRole = "assistant";

    /// <summary>Who spoke (<c>role</c>): <c>system</c> (the system prompt is included), <c>user</c> or <c>assistant</c>.</summary>
    public required string Role { get; init; }

    /// <summary>What was said (<c>content</c>); a non-string content is kept as its JSON text.</summary>
    public required string Content { get; init; }

    /// <summary>When it was said (<c>timestamp</c>), if present.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>Seconds from the start of the conversation (<c>seconds_from_start</c>), if present.</summary>
    public double? SecondsFromStart { get; init; }

    /// <summary>How long it took to say, in seconds (<c>duration</c>), if present.</summary>
    public double? Duration { get; init; }

    /// <summary>The inference that produced it (<c>inference_id</c>), if present.</summary>
    public string? InferenceId { get; init; }

    /// <summary>The entry as it came.</summary>
    public JsonElement Raw { get; init; }
}
