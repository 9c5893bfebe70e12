using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Protocol;

/// <summary><c>conversation.replica.stopped_speaking</c>: the replica stopped speaking (legacy per-role event; tavus-protocol.md §B.3).</summary>
[JsonConverter(typeof(CviEventJsonConverter<ReplicaStoppedSpeakingEvent>))]
public sealed record ReplicaStoppedSpeakingEvent : CviEvent
{
    /// <summary>Creates the event with the documented <c>event_type</c>.</summary>
    public ReplicaStoppedSpeakingEvent()
        : base(CviEventTypes.ReplicaStoppedSpeaking, CviEventTypes.ConversationMessageType)
    {
    }

    /// <summary><c>duration</c> in seconds; null when Tavus sends null or omits it.</summary>
    public double? Duration { get; init; }

    /// <summary><c>interrupted</c> (newer docs): whether the user cut the replica off.</summary>
    public bool? Interrupted { get; init; }
}
