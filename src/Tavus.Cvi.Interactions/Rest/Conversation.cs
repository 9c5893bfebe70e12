using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Rest;

/// <summary>
/// A Tavus conversation as the REST API returns it (tavus-protocol.md §D.2–§D.4). Fields Tavus adds that this SDK
/// does not model, and the records that <c>?verbose=true</c> adds, are kept in <see cref="AdditionalProperties"/>.
/// </summary>
public sealed record Conversation
{
    private readonly string? _palId;
    private readonly string? _faceId;

    /// <summary>The conversation id (<c>conversation_id</c>), such as <c>ca4301628cb9</c>.</summary>
    [JsonPropertyName("conversation_id")]
    public string ConversationId { get; init; } = string.Empty;

    /// <summary>The conversation's name (<c>conversation_name</c>).</summary>
    [JsonPropertyName("conversation_name")]
    public string? ConversationName { get; init; }

    /// <summary>
    /// The Daily room of the conversation (<c>conversation_url</c>), such as <c>https://tavus.daily.co/ca4301628cb9</c>.
    /// Pass it to <c>CviSession.JoinAsync</c>.
    /// </summary>
    [JsonPropertyName("conversation_url")]
    public Uri? ConversationUrl { get; init; }

    /// <summary>The status (<c>status</c>): <see cref="ConversationStatus.Active"/> or <see cref="ConversationStatus.Ended"/>.</summary>
    [JsonPropertyName("status")]
    public ConversationStatus? Status { get; init; }

    /// <summary>Where Tavus POSTs this conversation's webhooks (<c>callback_url</c>).</summary>
    [JsonPropertyName("callback_url")]
    public Uri? CallbackUrl { get; init; }

    /// <summary>
    /// The PAL of the conversation: <c>pal_id</c>, or the older <c>persona_id</c> when only that is present (§0).
    /// </summary>
    [JsonPropertyName("pal_id")]
    public string? PalId
    {
        get => _palId ?? ReadString("persona_id");
        init => _palId = value;
    }

    /// <summary>
    /// The face of the conversation: <c>face_id</c>, or the older <c>replica_id</c> when only that is present (§0).
    /// </summary>
    [JsonPropertyName("face_id")]
    public string? FaceId
    {
        get => _faceId ?? ReadString("replica_id");
        init => _faceId = value;
    }

    /// <summary>The meeting token for a private room (<c>meeting_token</c>; only with <c>require_auth</c>). A secret.</summary>
    [JsonPropertyName("meeting_token")]
    public string? MeetingToken { get; init; }

    /// <summary>When the conversation was created (<c>created_at</c>).</summary>
    [JsonPropertyName("created_at")]
    [JsonConverter(typeof(TavusTimestamp.Converter))]
    public DateTimeOffset? CreatedAt { get; init; }

    /// <summary>When the conversation last changed (<c>updated_at</c>).</summary>
    [JsonPropertyName("updated_at")]
    [JsonConverter(typeof(TavusTimestamp.Converter))]
    public DateTimeOffset? UpdatedAt { get; init; }

    /// <summary>
    /// Why the conversation ended (<c>shutdown_reason</c>; returned by a verbose get). Compare it with
    /// <see cref="Protocol.ShutdownReason.Kind"/>, which tolerates the variants Tavus writes.
    /// </summary>
    [JsonPropertyName("shutdown_reason")]
    public Protocol.ShutdownReason? ShutdownReason { get; init; }

    /// <summary>
    /// Fields this SDK does not model, as they came: the older <c>persona_id</c>/<c>replica_id</c>, the verbose
    /// event records (whose structure Tavus does not document) and anything Tavus adds.
    /// </summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }

    private string? ReadString(string name)
        => AdditionalProperties is { } extra && extra.TryGetValue(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
