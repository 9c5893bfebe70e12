namespace Tavus.Cvi.Interactions.Webhooks;

/// <summary>
/// <c>system.replica_joined</c>, or its 2026 duplicate <c>system.pal_joined</c> (tavus-protocol.md §E): the replica is
/// in the room. Tavus may send both for one join; deduplicate on <see cref="TavusWebhookEvent.ConversationId"/>.
/// </summary>
public sealed record ReplicaJoinedWebhookEvent : TavusWebhookEvent
{
    /// <summary>Whether this is the <c>system.pal_joined</c> spelling.</summary>
    public bool IsPalJoined => string.Equals(EventType, TavusWebhookEventTypes.PalJoined, StringComparison.Ordinal);
}
