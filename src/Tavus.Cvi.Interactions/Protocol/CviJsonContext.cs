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
[JsonSerializable(typeof(IReadOnlyList<PerceptionFrame>))]
[JsonSerializable(typeof(IReadOnlyList<CviEvent>))]
[JsonSerializable(typeof(IReadOnlyList<CviInteraction>))]
[JsonSerializable(typeof(JsonElement))]
[JsonSerializable(typeof(string))]
internal sealed partial class CviJsonContext : JsonSerializerContext
{
}
