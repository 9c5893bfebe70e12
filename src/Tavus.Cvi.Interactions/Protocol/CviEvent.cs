using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Protocol;

/// <summary>
/// An event: a message Tavus sends into the room (tavus-protocol.md §B). Decode one with
/// <see cref="CviJson.DecodeEvent(ReadOnlySpan{byte}, CviJsonReadOptions?)"/>, which never throws: a message it does
/// not know becomes an <see cref="UnknownEvent"/>, one it cannot read an <see cref="InvalidMessageEvent"/>.
/// </summary>
/// <remarks>
/// The envelope fields (§0.1) are here; the fields of <c>properties</c> are on the derived records. Keys the SDK does not
/// model are kept in <see cref="ExtensionData"/> (envelope) and <see cref="AdditionalProperties"/> (inside
/// <c>properties</c>) and written back by <see cref="CviJson.EncodeEvent(CviEvent)"/>. The set of events is closed.
/// </remarks>
[JsonConverter(typeof(CviEventJsonConverter<CviEvent>))]
public abstract record CviEvent
{
    private string _eventType;
    private string? _messageType;
    private string? _conversationId;
    private string? _inferenceId;
    private long? _seq;
    private int? _turnIndex;
    private DateTimeOffset? _timestamp;
    private IReadOnlyDictionary<string, JsonElement>? _extensionData;
    private IReadOnlyDictionary<string, JsonElement>? _additionalProperties;

    private protected CviEvent(string eventType, string messageType)
    {
        _eventType = eventType;
        _messageType = messageType;
    }

    /// <summary><c>message_type</c>: <c>conversation</c> or <c>system</c>.</summary>
    public string? MessageType { get => _messageType; init => _messageType = value; }

    /// <summary>
    /// <c>event_type</c> as received. For events with two spellings (such as <see cref="ReplicaInterruptedEvent"/>)
    /// this tells which one arrived; a new instance has the documented spelling.
    /// </summary>
    public string EventType
    {
        get => _eventType;
        init
        {
            ArgumentException.ThrowIfNullOrEmpty(value);
            _eventType = value;
        }
    }

    /// <summary><c>conversation_id</c>; some speaking events omit it (§0.1).</summary>
    public string? ConversationId { get => _conversationId; init => _conversationId = value; }

    /// <summary>
    /// <c>inference_id</c>: ties together the utterance, tool call and speaking events of one inference. Read from the
    /// envelope, or from <c>properties</c> where tavus-skills puts it (§B.3).
    /// </summary>
    public string? InferenceId { get => _inferenceId; init => _inferenceId = value; }

    /// <summary><c>seq</c>: monotonic across the conversation; a higher value was emitted later.</summary>
    public long? Seq { get => _seq; init => _seq = value; }

    /// <summary><c>turn_idx</c>: the turn counter, on turn-bound events only.</summary>
    public int? TurnIndex { get => _turnIndex; init => _turnIndex = value; }

    /// <summary><c>timestamp</c>: read from Unix seconds (a number) or an ISO-8601 string; written as Unix seconds.</summary>
    public DateTimeOffset? Timestamp { get => _timestamp; init => _timestamp = value; }

    /// <summary>Envelope keys the SDK does not model, kept as received.</summary>
    public IReadOnlyDictionary<string, JsonElement>? ExtensionData { get => _extensionData; init => _extensionData = value; }

    /// <summary>Keys inside <c>properties</c> the SDK does not model, kept as received.</summary>
    public IReadOnlyDictionary<string, JsonElement>? AdditionalProperties { get => _additionalProperties; init => _additionalProperties = value; }

    /// <summary>
    /// Value equality: the same record type and envelope, with <see cref="ExtensionData"/> and
    /// <see cref="AdditionalProperties"/> compared by JSON content (null and empty are equal).
    /// </summary>
    /// <param name="other">The other event.</param>
    public virtual bool Equals(CviEvent? other) =>
        ReferenceEquals(this, other) ||
        (other is not null &&
         EqualityContract == other.EqualityContract &&
         string.Equals(_eventType, other._eventType, StringComparison.Ordinal) &&
         string.Equals(_messageType, other._messageType, StringComparison.Ordinal) &&
         string.Equals(_conversationId, other._conversationId, StringComparison.Ordinal) &&
         string.Equals(_inferenceId, other._inferenceId, StringComparison.Ordinal) &&
         _seq == other._seq &&
         _turnIndex == other._turnIndex &&
         _timestamp == other._timestamp &&
         JsonEquality.DictionaryEquals(_extensionData, other._extensionData) &&
         JsonEquality.DictionaryEquals(_additionalProperties, other._additionalProperties));

    /// <inheritdoc/>
    public override int GetHashCode() =>
        HashCode.Combine(EqualityContract, _eventType, _conversationId, _inferenceId, _seq, _turnIndex, _timestamp);

    // The decoder builds the derived record with an object initializer for its own fields, then fills the envelope
    // here, so that sixteen builders do not repeat nine assignments each.
    internal void SetEnvelope(in EventEnvelope envelope)
    {
        if (envelope.EventType is not null)
        {
            _eventType = envelope.EventType;
        }

        _messageType = envelope.MessageType;
        _conversationId = envelope.ConversationId;
        _inferenceId = envelope.InferenceId;
        _seq = envelope.Seq;
        _turnIndex = envelope.TurnIndex;
        _timestamp = envelope.Timestamp;
        _extensionData = envelope.ExtensionData;
        _additionalProperties = envelope.AdditionalProperties;
    }
}
