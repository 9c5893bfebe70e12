using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Protocol;

/// <summary><c>conversation.user.stopped_speaking</c>: the user stopped speaking (legacy per-role event; tavus-protocol.md §B.3).</summary>
[JsonConverter(typeof(CviEventJsonConverter<UserStoppedSpeakingEvent>))]
public sealed record UserStoppedSpeakingEvent : CviEvent
{
    /// <summary>Creates the event with the documented <c>event_type</c>.</summary>
    public UserStoppedSpeakingEvent()
        : base(CviEventTypes.UserStoppedSpeaking, CviEventTypes.ConversationMessageType)
    {
    }
}
