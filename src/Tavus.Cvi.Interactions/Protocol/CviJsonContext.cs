using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Protocol;

// The SDK's one source-generated context (AOT- and trim-safe). Events and interactions go through their converters;
// plain data such as perception frames through generated metadata. Exposed only as CviJson.SerializerOptions.
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    GenerationMode = JsonSourceGenerationMode.Default)]
[JsonSerializable(typeof(CviEvent))]
[JsonSerializable(typeof(CviInteraction))]
[JsonSerializable(typeof(UtteranceEvent))]
[JsonSerializable(typeof(StreamingUtteranceEvent))]
[JsonSerializable(typeof(StartedSpeakingEvent))]
[JsonSerializable(typeof(StoppedSpeakingEvent))]
[JsonSerializable(typeof(ReplicaStartedSpeakingEvent))]
[JsonSerializable(typeof(ReplicaStoppedSpeakingEvent))]
[JsonSerializable(typeof(UserStartedSpeakingEvent))]
[JsonSerializable(typeof(UserStoppedSpeakingEvent))]
[JsonSerializable(typeof(ReplicaInterruptedEvent))]
[JsonSerializable(typeof(ToolCallEvent))]
[JsonSerializable(typeof(PerceptionToolCallEvent))]
[JsonSerializable(typeof(PerceptionAnalysisEvent))]
[JsonSerializable(typeof(ReplicaJoinedEvent))]
[JsonSerializable(typeof(ShutdownEvent))]
[JsonSerializable(typeof(UnknownEvent))]
[JsonSerializable(typeof(InvalidMessageEvent))]
[JsonSerializable(typeof(EchoInteraction))]
[JsonSerializable(typeof(RespondInteraction))]
[JsonSerializable(typeof(InterruptInteraction))]
[JsonSerializable(typeof(OverwriteContextInteraction))]
[JsonSerializable(typeof(AppendContextInteraction))]
[JsonSerializable(typeof(SensitivityInteraction))]
[JsonSerializable(typeof(ToolResultInteraction))]
[JsonSerializable(typeof(RealtimeApiInteraction))]
[JsonSerializable(typeof(UnknownInteraction))]
[JsonSerializable(typeof(IReadOnlyList<PerceptionFrame>))]
[JsonSerializable(typeof(IReadOnlyList<CviEvent>))]
[JsonSerializable(typeof(IReadOnlyList<CviInteraction>))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(string))]
internal sealed partial class CviJsonContext : JsonSerializerContext
{
}
