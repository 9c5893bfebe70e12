using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Protocol;

/// <summary><c>conversation.started_speaking</c>: someone started speaking (role-agnostic, sent alongside the legacy per-role events; tavus-protocol.md §B.3).</summary>
[JsonConverter(typeof(CviEventJsonConverter<StartedSpeakingEvent>))]
public sealed record StartedSpeakingEvent : CviEvent
{
    /// <summary>Creates the event with the documented <c>event_type</c>.</summary>
    public StartedSpeakingEvent()
        : base(CviEventTypes.StartedSpeaking, CviEventTypes.ConversationMessageType)
    {
    }

    /// <summary><c>role</c>; the PAL is duplicated as <c>pal</c> and <c>replica</c>.</summary>
    public ParticipantRole? Role { get; init; }
}
