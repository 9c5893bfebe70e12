using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Protocol;

/// <summary><c>conversation.perception_analysis</c>: the end-of-call visual summary, sent after the call ends (tavus-protocol.md §B.7).</summary>
[JsonConverter(typeof(CviEventJsonConverter<PerceptionAnalysisEvent>))]
public sealed record PerceptionAnalysisEvent : CviEvent
{
    /// <summary>Creates the event with the documented <c>event_type</c>.</summary>
    public PerceptionAnalysisEvent()
        : base(CviEventTypes.PerceptionAnalysis, CviEventTypes.ConversationMessageType)
    {
    }

    /// <summary><c>analysis</c>: the summary text.</summary>
    public string? Analysis { get; init; }
}
