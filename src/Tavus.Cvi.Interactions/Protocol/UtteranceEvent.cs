using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Protocol;

/// <summary><c>conversation.utterance</c>: a complete utterance of the user or the replica (tavus-protocol.md §B.1).</summary>
[JsonConverter(typeof(CviEventJsonConverter<UtteranceEvent>))]
public sealed record UtteranceEvent : CviEvent
{
    /// <summary>Creates the event with the documented <c>event_type</c>.</summary>
    public UtteranceEvent()
        : base(CviEventTypes.Utterance, CviEventTypes.ConversationMessageType)
    {
    }

    /// <summary>
    /// <c>role</c>. PAL turns arrive twice, as <see cref="ParticipantRole.Pal"/> and <see cref="ParticipantRole.Replica"/>,
    /// with otherwise identical payloads: filter on one.
    /// </summary>
    public ParticipantRole? Role { get; init; }

    /// <summary><c>speech</c> (read also from <c>content</c>, the tavus-skills name): the full text. For the replica it is the whole LLM response, even if interrupted.</summary>
    public string? Speech { get; init; }

    /// <summary><c>visual_context</c> (older docs), if present.</summary>
    public string? VisualContext { get; init; }

    /// <summary><c>user_audio_analysis</c>: Raven perception of the user's voice, on user utterances, when not empty.</summary>
    public string? UserAudioAnalysis { get; init; }

    /// <summary><c>user_visual_analysis</c>: Raven perception of the user's video, on user utterances, when not empty.</summary>
    public string? UserVisualAnalysis { get; init; }

    /// <summary><c>interrupted</c>: present (true) when the user barged in.</summary>
    public bool? Interrupted { get; init; }
}
