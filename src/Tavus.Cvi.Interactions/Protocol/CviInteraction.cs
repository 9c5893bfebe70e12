using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Protocol;

/// <summary>
/// An interaction: a message the client sends into the conversation's room to steer the replica
/// (tavus-protocol.md §A). Encode it with <see cref="CviJson.EncodeInteraction(CviInteraction, CviJsonWriteOptions?)"/>.
/// </summary>
/// <remarks>
/// On the wire every interaction is <c>{"message_type":"conversation","event_type":…,"conversation_id":…,"properties":{…}}</c>
/// (§0.1); Tavus-generated envelope fields such as <c>seq</c> are never sent. The set of interactions is closed: the
/// codec knows every derived type.
/// </remarks>
[JsonConverter(typeof(CviInteractionJsonConverter<CviInteraction>))]
public abstract record CviInteraction
{
    private protected CviInteraction()
    {
    }

    /// <summary>The conversation this interaction is for (<c>conversation_id</c>). A session fills it in when null.</summary>
    public string? ConversationId { get; init; }

    /// <summary>The wire <c>event_type</c>, such as <c>conversation.echo</c>.</summary>
    public abstract string EventType { get; }

    /// <summary>
    /// Keys of <c>properties</c> the SDK does not model: kept when reading and written back after the modeled ones.
    /// </summary>
    public IReadOnlyDictionary<string, JsonElement>? AdditionalProperties { get; init; }

    /// <summary>
    /// Value equality: the same record type and conversation, with <see cref="AdditionalProperties"/> compared by JSON
    /// content (null and empty are equal).
    /// </summary>
    /// <param name="other">The other interaction.</param>
    public virtual bool Equals(CviInteraction? other) =>
        ReferenceEquals(this, other) ||
        (other is not null &&
         EqualityContract == other.EqualityContract &&
         string.Equals(ConversationId, other.ConversationId, StringComparison.Ordinal) &&
         JsonEquality.DictionaryEquals(AdditionalProperties, other.AdditionalProperties));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(EqualityContract, ConversationId);
}
