using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Protocol;

/// <summary><c>conversation.replica.started_speaking</c>: the replica started speaking (legacy per-role event; tavus-protocol.md §B.3).</summary>
[JsonConverter(typeof(CviEventJsonConverter<ReplicaStartedSpeakingEvent>))]
public sealed record ReplicaStartedSpeakingEvent : CviEvent
{
    /// <summary>Creates the event with the documented <c>event_type</c>.</summary>
    public ReplicaStartedSpeakingEvent()
        : base(CviEventTypes.ReplicaStartedSpeaking, CviEventTypes.ConversationMessageType)
    {
    }
}
