using System.Text.Json;

namespace Tavus.Cvi.Interactions.Protocol;

// The envelope fields of an event while it is being decoded (tavus-protocol.md §0.1).
internal struct EventEnvelope
{
    public string? EventType;
    public string? MessageType;
    public string? ConversationId;
    public string? InferenceId;
    public long? Seq;
    public int? TurnIndex;
    public DateTimeOffset? Timestamp;
    public Dictionary<string, JsonElement>? ExtensionData;
    public Dictionary<string, JsonElement>? AdditionalProperties;

    public void AddAdditionalProperty(string name, JsonElement value) =>
        (AdditionalProperties ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal))[name] = value;
}
