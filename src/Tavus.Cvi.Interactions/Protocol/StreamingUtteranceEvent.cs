using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Protocol;

/// <summary><c>conversation.utterance.streaming</c>: the accumulated text of an utterance in progress (tavus-protocol.md §B.2).</summary>
[JsonConverter(typeof(CviEventJsonConverter<StreamingUtteranceEvent>))]
public sealed record StreamingUtteranceEvent : CviEvent
{
    /// <summary>Creates the event with the documented <c>event_type</c>.</summary>
    public StreamingUtteranceEvent()
        : base(CviEventTypes.UtteranceStreaming, CviEventTypes.ConversationMessageType)
    {
    }

    /// <summary><c>role</c>; PAL streams are duplicated as <c>pal</c> and <c>replica</c>.</summary>
    public ParticipantRole? Role { get; init; }

    /// <summary><c>speech</c>: the accumulated text so far (not a delta). On the final message, only the words actually spoken.</summary>
    public string? Speech { get; init; }

    /// <summary><c>content_index</c>: 0-based, increasing per inference; orders the stream.</summary>
    public int? ContentIndex { get; init; }

    /// <summary><c>final</c>: whether this is the last message of the stream.</summary>
    public bool? IsFinal { get; init; }

    /// <summary><c>is_interrupted</c>: on replica messages, whether the final message was cut off by the user.</summary>
    public bool? IsInterrupted { get; init; }
}
