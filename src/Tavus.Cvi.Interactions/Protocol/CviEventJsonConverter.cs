using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Protocol;

// Lets events sit inside larger JSON documents (logs, test fixtures, the emulator's recordings) through
// JsonSerializer. Unlike CviJson.DecodeEvent it throws JsonException on invalid input, as converters must.
internal sealed class CviEventJsonConverter : JsonConverter<CviEvent>
{
    public override CviEvent? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var result = EventDecoder.Read(ref reader);
        return typeToConvert.IsInstanceOfType(result)
            ? result
            : throw new JsonException($"The JSON is a {result.EventType} event, not a {typeToConvert.Name}.");
    }

    public override bool CanConvert(Type typeToConvert) => typeof(CviEvent).IsAssignableFrom(typeToConvert);

    public override void Write(Utf8JsonWriter writer, CviEvent value, JsonSerializerOptions options) => EventEncoder.Write(writer, value);
}
