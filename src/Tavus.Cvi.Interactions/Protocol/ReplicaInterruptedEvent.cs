using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Protocol;

/// <summary><c>conversation.replica_interrupted</c> (legacy; read also as <c>conversation.replica.interrupted</c>): the replica was interrupted; <see cref="CviEvent.InferenceId"/> is the interrupted utterance (tavus-protocol.md §B.4).</summary>
[JsonConverter(typeof(CviEventJsonConverter<ReplicaInterruptedEvent>))]
public sealed record ReplicaInterruptedEvent : CviEvent
{
    /// <summary>Creates the event with the documented <c>event_type</c>.</summary>
    public ReplicaInterruptedEvent()
        : base(CviEventTypes.ReplicaInterrupted, CviEventTypes.ConversationMessageType)
    {
    }
}
