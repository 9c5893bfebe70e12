using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Protocol;

/// <summary><c>conversation.user.started_speaking</c>: the user started speaking (legacy per-role event; tavus-protocol.md §B.3). With speculative inference its <see cref="CviEvent.InferenceId"/> usually differs from the later utterance's.</summary>
[JsonConverter(typeof(CviEventJsonConverter<UserStartedSpeakingEvent>))]
public sealed record UserStartedSpeakingEvent : CviEvent
{
    /// <summary>Creates the event with the documented <c>event_type</c>.</summary>
    public UserStartedSpeakingEvent()
        : base(CviEventTypes.UserStartedSpeaking, CviEventTypes.ConversationMessageType)
    {
    }
}
