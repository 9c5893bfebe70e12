using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Protocol;

// Lets events sit inside larger JSON documents (logs, test fixtures, the emulator's recordings) through
// JsonSerializer. Unlike CviJson.DecodeEvent it throws JsonException on invalid input, as converters must.
// Generic so that each derived record names its own closed converter in its [JsonConverter] attribute: that keeps
// JsonSerializer.Serialize(toolCall) and Deserialize<UtteranceEvent> working with source generation (no
// MakeGenericType at run time).
internal sealed class CviEventJsonConverter<TEvent> : JsonConverter<TEvent>
    where TEvent : CviEvent
{
    public override TEvent? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var result = EventDecoder.Read(ref reader);
        return result as TEvent ?? throw new JsonException($"The JSON is a {result.EventType} event, not a {typeof(TEvent).Name}.");
    }

    public override void Write(Utf8JsonWriter writer, TEvent value, JsonSerializerOptions options) => EventEncoder.Write(writer, value);
}
