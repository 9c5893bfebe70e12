using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Protocol;

/// <summary><c>system.shutdown</c>: the conversation ended (tavus-protocol.md §E).</summary>
[JsonConverter(typeof(CviEventJsonConverter<ShutdownEvent>))]
public sealed record ShutdownEvent : CviEvent
{
    /// <summary>Creates the event with the documented <c>event_type</c>.</summary>
    public ShutdownEvent()
        : base(CviEventTypes.Shutdown, CviEventTypes.SystemMessageType)
    {
    }

    /// <summary>
    /// <c>shutdown_reason</c>, null when absent: compare <see cref="ShutdownReason.Kind"/>, because the documented values
    /// vary in their suffix.
    /// </summary>
    public ShutdownReason? Reason { get; init; }

    /// <summary><c>replica_id</c>, if present.</summary>
    public string? ReplicaId { get; init; }
}
