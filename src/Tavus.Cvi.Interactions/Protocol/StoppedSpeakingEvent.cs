using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Protocol;

/// <summary><c>conversation.stopped_speaking</c>: someone stopped speaking (role-agnostic; tavus-protocol.md §B.3).</summary>
[JsonConverter(typeof(CviEventJsonConverter<StoppedSpeakingEvent>))]
public sealed record StoppedSpeakingEvent : CviEvent
{
    /// <summary>Creates the event with the documented <c>event_type</c>.</summary>
    public StoppedSpeakingEvent()
        : base(CviEventTypes.StoppedSpeaking, CviEventTypes.ConversationMessageType)
    {
    }

    /// <summary><c>role</c>; the PAL is duplicated as <c>pal</c> and <c>replica</c>.</summary>
    public ParticipantRole? Role { get; init; }

    /// <summary><c>interrupted</c>: whether the speech was cut off.</summary>
    public bool? Interrupted { get; init; }

    /// <summary><c>duration</c> in seconds; null when Tavus sends null or omits it.</summary>
    public double? Duration { get; init; }
}
