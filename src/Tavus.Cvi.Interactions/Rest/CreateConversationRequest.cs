using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Rest;

/// <summary>
/// The body of <c>POST /v2/conversations</c> (tavus-protocol.md §D.2). Unset members are not sent, so Tavus applies
/// its defaults. <see cref="PalId"/> and <see cref="FaceId"/> are written as <c>pal_id</c>/<c>face_id</c>, the
/// documented names since the 2026 rename (§0), or as <c>persona_id</c>/<c>replica_id</c> when
/// <see cref="TavusClientOptions.UseLegacyIdentityFieldNames"/> is set.
/// </summary>
public sealed record CreateConversationRequest
{
    /// <summary>The PAL (formerly persona) to talk to (<c>pal_id</c>); a default Tavus PAL when unset.</summary>
    [JsonPropertyName("pal_id")]
    public string? PalId { get; init; }

    /// <summary>
    /// The face (formerly replica) to show (<c>face_id</c>); required unless the PAL has a default face, and
    /// overrides it when set.
    /// </summary>
    [JsonPropertyName("face_id")]
    public string? FaceId { get; init; }

    /// <summary>
    /// Where Tavus POSTs the conversation's webhooks (<c>callback_url</c>, §E). Tavus does not sign webhooks: put a
    /// per-conversation secret in the query string (see <see cref="Webhooks.WebhookCallbackToken"/>).
    /// </summary>
    [JsonPropertyName("callback_url")]
    public Uri? CallbackUrl { get; init; }

    /// <summary>A name for the conversation (<c>conversation_name</c>).</summary>
    [JsonPropertyName("conversation_name")]
    public string? ConversationName { get; init; }

    /// <summary>Context appended to the PAL's context for this conversation (<c>conversational_context</c>).</summary>
    [JsonPropertyName("conversational_context")]
    public string? ConversationalContext { get; init; }

    /// <summary>The first line spoken when a participant joins (<c>custom_greeting</c>); not interruptible.</summary>
    [JsonPropertyName("custom_greeting")]
    public string? CustomGreeting { get; init; }

    /// <summary>Whether the LLM generates the greeting (<c>enable_dynamic_greeting</c>).</summary>
    [JsonPropertyName("enable_dynamic_greeting")]
    public bool? EnableDynamicGreeting { get; init; }

    /// <summary>Whether the conversation is voice-only (<c>audio_only</c>; sent as a JSON boolean).</summary>
    [JsonPropertyName("audio_only")]
    public bool? AudioOnly { get; init; }

    /// <summary>Cross-session memory store ids (<c>memory_stores</c>).</summary>
    [JsonPropertyName("memory_stores")]
    public IReadOnlyList<string>? MemoryStores { get; init; }

    /// <summary>Knowledge-base document ids (<c>document_ids</c>).</summary>
    [JsonPropertyName("document_ids")]
    public IReadOnlyList<string>? DocumentIds { get; init; }

    /// <summary>Knowledge-base document tags (<c>document_tags</c>).</summary>
    [JsonPropertyName("document_tags")]
    public IReadOnlyList<string>? DocumentTags { get; init; }

    /// <summary>How the knowledge base is searched (<c>document_retrieval_strategy</c>).</summary>
    [JsonPropertyName("document_retrieval_strategy")]
    public DocumentRetrievalStrategy? DocumentRetrievalStrategy { get; init; }

    /// <summary>
    /// Whether this is a test conversation (<c>test_mode</c>): the replica does not join, the conversation comes back
    /// ended, and it costs nothing.
    /// </summary>
    [JsonPropertyName("test_mode")]
    public bool? TestMode { get; init; }

    /// <summary>Whether the room is private (<c>require_auth</c>); the response then carries a meeting token.</summary>
    [JsonPropertyName("require_auth")]
    public bool? RequireAuth { get; init; }

    /// <summary>The most participants in the room, the replica included (<c>max_participants</c>; at least 2).</summary>
    [JsonPropertyName("max_participants")]
    public int? MaxParticipants { get; init; }

    /// <summary>A data-residency policy such as <c>eu</c> (<c>policy</c>).</summary>
    [JsonPropertyName("policy")]
    public string? Policy { get; init; }

    /// <summary>Timeouts, recording, captions, language and transport settings (<c>properties</c>).</summary>
    [JsonPropertyName("properties")]
    public ConversationProperties? Properties { get; init; }

    /// <summary>Fields this SDK does not model, sent as they are (for example a field Tavus added recently).</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
