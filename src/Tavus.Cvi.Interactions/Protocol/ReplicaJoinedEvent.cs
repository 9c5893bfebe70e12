using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Protocol;

/// <summary><c>system.replica_joined</c>, or its 2026 duplicate <c>system.pal_joined</c>: the replica joined the room (tavus-protocol.md §B.8, §E).</summary>
[JsonConverter(typeof(CviEventJsonConverter<ReplicaJoinedEvent>))]
public sealed record ReplicaJoinedEvent : CviEvent
{
    /// <summary>Creates the event with the documented <c>event_type</c>.</summary>
    public ReplicaJoinedEvent()
        : base(CviEventTypes.ReplicaJoined, CviEventTypes.SystemMessageType)
    {
    }

    /// <summary><c>replica_id</c>, if present.</summary>
    public string? ReplicaId { get; init; }

    /// <summary><c>face_id</c> (on <c>system.pal_joined</c>), if present.</summary>
    public string? FaceId { get; init; }

    /// <summary>Whether this is the <c>system.pal_joined</c> duplicate; dedupe on it if you handle both.</summary>
    public bool IsPalJoined => string.Equals(EventType, CviEventTypes.PalJoined, StringComparison.Ordinal);
}
