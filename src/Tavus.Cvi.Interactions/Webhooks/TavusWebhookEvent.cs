using System.Text.Json;

namespace Tavus.Cvi.Interactions.Webhooks;

/// <summary>
/// A callback Tavus POSTed to a conversation's <c>callback_url</c> (tavus-protocol.md §E). The envelope is common;
/// the derived types read the event's <c>properties</c>. Every event keeps its JSON in <see cref="Raw"/>.
/// </summary>
public abstract record TavusWebhookEvent
{
    /// <summary>The event type (<c>event_type</c>), such as <c>system.shutdown</c>; empty for callbacks that have none.</summary>
    public required string EventType { get; init; }

    /// <summary>The message type (<c>message_type</c>): <c>system</c> or <c>application</c>.</summary>
    public string? MessageType { get; init; }

    /// <summary>The conversation (<c>conversation_id</c>). Check it against the one the callback URL was made for.</summary>
    public string? ConversationId { get; init; }

    /// <summary>The callback URL Tavus posted to (<c>webhook_url</c>), including any token in its query string.</summary>
    public string? WebhookUrl { get; init; }

    /// <summary>When Tavus created the event (<c>timestamp</c>), if present and readable.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>
    /// The face (formerly replica) of the conversation: <c>properties.face_id</c>, or <c>properties.replica_id</c>.
    /// </summary>
    public string? FaceId { get; init; }

    /// <summary>The event's <c>properties</c> object as it came, or an undefined element if it had none.</summary>
    public JsonElement Properties { get; init; }

    /// <summary>The whole callback body as it came.</summary>
    public JsonElement Raw { get; init; }
}
