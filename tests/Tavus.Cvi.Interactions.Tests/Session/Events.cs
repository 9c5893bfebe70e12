namespace Tavus.Cvi.Interactions.Tests.Session;

/// <summary>Event payloads as Tavus sends them (tavus-protocol.md §B).</summary>
internal static class Events
{
    public static string Utterance(string role, string speech, string inferenceId = "inf-1", long? seq = null) =>
        $$"""{"message_type":"conversation","event_type":"conversation.utterance","conversation_id":"c123","inference_id":"{{inferenceId}}"{{Seq(seq)}},"turn_idx":3,"properties":{"role":"{{role}}","speech":"{{speech}}"} }""";

    public static string Streaming(string role, string speech, int contentIndex, bool final, string inferenceId = "inf-2", long? seq = null) =>
        $$"""{"message_type":"conversation","event_type":"conversation.utterance.streaming","conversation_id":"c123","inference_id":"{{inferenceId}}"{{Seq(seq)}},"properties":{"role":"{{role}}","speech":"{{speech}}","content_index":{{contentIndex}},"final":{{(final ? "true" : "false")}} } }""";

    public static string StartedSpeaking(string role, string inferenceId, long? seq = null) =>
        $$"""{"message_type":"conversation","event_type":"conversation.started_speaking","conversation_id":"c123","inference_id":"{{inferenceId}}"{{Seq(seq)}},"properties":{"role":"{{role}}"} }""";

    public static string StoppedSpeaking(string role, string inferenceId, bool interrupted = false, double duration = 1.5, long? seq = null) =>
        $$"""{"message_type":"conversation","event_type":"conversation.stopped_speaking","conversation_id":"c123","inference_id":"{{inferenceId}}"{{Seq(seq)}},"properties":{"role":"{{role}}","interrupted":{{(interrupted ? "true" : "false")}},"duration":{{duration.ToString(System.Globalization.CultureInfo.InvariantCulture)}} } }""";

    public static string ReplicaStarted(string? inferenceId, long? seq = null) =>
        $$"""{"message_type":"conversation","event_type":"conversation.replica.started_speaking","conversation_id":"c123"{{Id(inferenceId)}}{{Seq(seq)}}}""";

    public static string ReplicaStopped(string? inferenceId, long? seq = null) =>
        $$"""{"message_type":"conversation","event_type":"conversation.replica.stopped_speaking","conversation_id":"c123"{{Id(inferenceId)}}{{Seq(seq)}},"properties":{"duration":2.0} }""";

    public static string UserStarted(string inferenceId, long? seq = null) =>
        $$"""{"message_type":"conversation","event_type":"conversation.user.started_speaking","conversation_id":"c123","inference_id":"{{inferenceId}}"{{Seq(seq)}}}""";

    public static string UserStopped(string inferenceId, long? seq = null) =>
        $$"""{"message_type":"conversation","event_type":"conversation.user.stopped_speaking","conversation_id":"c123","inference_id":"{{inferenceId}}"{{Seq(seq)}}}""";

    public static string ReplicaInterrupted(string inferenceId) =>
        $$"""{"message_type":"conversation","event_type":"conversation.replica_interrupted","conversation_id":"c123","inference_id":"{{inferenceId}}"}""";

    public static string ToolCall(string name, string argumentsJson, string? toolCallId = "call-1", string inferenceId = "inf-9") =>
        $$"""{"message_type":"conversation","event_type":"conversation.tool_call","conversation_id":"c123","inference_id":"{{inferenceId}}","properties":{{{(toolCallId is null ? "" : $"\"tool_call_id\":\"{toolCallId}\",")}}"name":"{{name}}","arguments":{{System.Text.Json.JsonSerializer.Serialize(argumentsJson)}} } }""";

    public static string PerceptionAnalysis(string analysis) =>
        $$"""{"message_type":"conversation","event_type":"conversation.perception_analysis","conversation_id":"c123","properties":{"analysis":"{{analysis}}"} }""";

    public const string ReplicaJoined = """{"message_type":"system","event_type":"system.replica_joined","conversation_id":"c123","properties":{"replica_id":"r79e1c033f"} }""";

    public const string PalJoined = """{"message_type":"system","event_type":"system.pal_joined","conversation_id":"c123","properties":{"face_id":"r79e1c033f"} }""";

    public const string Shutdown = """{"message_type":"system","event_type":"system.shutdown","conversation_id":"c123","properties":{"shutdown_reason":"participant_left_timeout"} }""";

    public const string Unknown = """{"message_type":"conversation","event_type":"conversation.something_new","conversation_id":"c123","properties":{"x":1}}""";

    private static string Seq(long? seq) => seq is null ? "" : $",\"seq\":{seq}";

    private static string Id(string? inferenceId) => inferenceId is null ? "" : $",\"inference_id\":\"{inferenceId}\"";
}
