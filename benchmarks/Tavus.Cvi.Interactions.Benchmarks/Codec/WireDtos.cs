using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Benchmarks.Codec;

// The reflection baseline: what an application would write without the SDK, plain classes mirroring the wire
// (envelope + nested properties) read by System.Text.Json with reflection-based options. The SDK's public records are
// flat, which the serializer cannot map without a converter, so the baseline reads these mirrors; it pays no
// event_type dispatch and no mapping, which only favours it.
public class WireMessage<TProperties>
    where TProperties : class
{
    [JsonPropertyName("message_type")] public string? MessageType { get; set; }
    [JsonPropertyName("event_type")] public string? EventType { get; set; }
    [JsonPropertyName("conversation_id")] public string? ConversationId { get; set; }
    [JsonPropertyName("inference_id")] public string? InferenceId { get; set; }
    [JsonPropertyName("seq")] public long? Seq { get; set; }
    [JsonPropertyName("turn_idx")] public int? TurnIndex { get; set; }
    [JsonPropertyName("timestamp")] public double? Timestamp { get; set; }
    [JsonPropertyName("properties")] public TProperties? Properties { get; set; }
}

public class NoProperties
{
}

public class RoleProperties
{
    [JsonPropertyName("role")] public string? Role { get; set; }
}

public class UtteranceProperties
{
    [JsonPropertyName("role")] public string? Role { get; set; }
    [JsonPropertyName("speech")] public string? Speech { get; set; }
    [JsonPropertyName("visual_context")] public string? VisualContext { get; set; }
    [JsonPropertyName("interrupted")] public bool? Interrupted { get; set; }
}

public class StreamingProperties
{
    [JsonPropertyName("role")] public string? Role { get; set; }
    [JsonPropertyName("speech")] public string? Speech { get; set; }
    [JsonPropertyName("content_index")] public int? ContentIndex { get; set; }
    [JsonPropertyName("final")] public bool? Final { get; set; }
    [JsonPropertyName("is_interrupted")] public bool? IsInterrupted { get; set; }
}

public class StoppedProperties
{
    [JsonPropertyName("role")] public string? Role { get; set; }
    [JsonPropertyName("interrupted")] public bool? Interrupted { get; set; }
    [JsonPropertyName("duration")] public double? Duration { get; set; }
}

public class ToolCallProperties
{
    [JsonPropertyName("tool_call_id")] public string? ToolCallId { get; set; }
    [JsonPropertyName("name")] public string? Name { get; set; }
    [JsonPropertyName("modality")] public string? Modality { get; set; }
    [JsonPropertyName("arguments")] public JsonElement Arguments { get; set; }
    [JsonPropertyName("frames")] public List<FrameDto>? Frames { get; set; }
}

public class FrameDto
{
    [JsonPropertyName("data")] public string? Data { get; set; }
    [JsonPropertyName("mime_type")] public string? MimeType { get; set; }
}

public class AnalysisProperties
{
    [JsonPropertyName("analysis")] public string? Analysis { get; set; }
}

public class SystemProperties
{
    [JsonPropertyName("replica_id")] public string? ReplicaId { get; set; }
    [JsonPropertyName("face_id")] public string? FaceId { get; set; }
    [JsonPropertyName("shutdown_reason")] public string? ShutdownReason { get; set; }
}

public class EchoProperties
{
    [JsonPropertyName("modality")] public string? Modality { get; set; }
    [JsonPropertyName("text")] public string? Text { get; set; }
    [JsonPropertyName("audio")] public string? Audio { get; set; }
    [JsonPropertyName("sample_rate")] public int? SampleRate { get; set; }
    [JsonPropertyName("inference_id")] public string? InferenceId { get; set; }
    [JsonPropertyName("done")] public bool? Done { get; set; }
}

public class TextProperties
{
    [JsonPropertyName("text")] public string? Text { get; set; }
}

public class ContextProperties
{
    [JsonPropertyName("context")] public string? Context { get; set; }
    [JsonPropertyName("job_status")] public string? JobStatus { get; set; }
}

public class SensitivityProperties
{
    [JsonPropertyName("participant_pause_sensitivity")] public string? Pause { get; set; }
    [JsonPropertyName("participant_interrupt_sensitivity")] public string? Interrupt { get; set; }
}

public class ToolResultProperties
{
    [JsonPropertyName("tool_call_id")] public string? ToolCallId { get; set; }
    [JsonPropertyName("output")] public JsonElement Output { get; set; }
    [JsonPropertyName("status")] public string? Status { get; set; }
}

internal static class WireDtos
{
    // The Type of the mirror for each sample, so the baseline deserializes straight into the right shape.
    public static Type For(string sample) => sample switch
    {
        "utterance" => typeof(WireMessage<UtteranceProperties>),
        "utterance.streaming" => typeof(WireMessage<StreamingProperties>),
        "started_speaking" => typeof(WireMessage<RoleProperties>),
        "stopped_speaking" or "replica.stopped" => typeof(WireMessage<StoppedProperties>),
        "replica.started" or "user.started" or "user.stopped" or "replica_interrupted" or "interrupt" => typeof(WireMessage<NoProperties>),
        "tool_call" or "perception_tool" => typeof(WireMessage<ToolCallProperties>),
        "perception_analysis" => typeof(WireMessage<AnalysisProperties>),
        "replica_joined" or "shutdown" => typeof(WireMessage<SystemProperties>),
        "echo.text" or "echo.audio100ms" => typeof(WireMessage<EchoProperties>),
        "respond" => typeof(WireMessage<TextProperties>),
        "overwrite_context" or "append_context" => typeof(WireMessage<ContextProperties>),
        "sensitivity" => typeof(WireMessage<SensitivityProperties>),
        "tool_result" => typeof(WireMessage<ToolResultProperties>),
        "realtime_api" => typeof(WireMessage<Dictionary<string, JsonElement>>),
        _ => throw new ArgumentOutOfRangeException(nameof(sample), sample, null),
    };
}
