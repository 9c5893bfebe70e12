using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Protocol;

// Lets interactions sit inside larger JSON documents through JsonSerializer; writes the documented names.
internal sealed class CviInteractionJsonConverter : JsonConverter<CviInteraction>
{
    public override CviInteraction? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var result = InteractionDecoder.ReadObject(ref reader, default);
        return typeToConvert.IsInstanceOfType(result)
            ? result
            : throw new JsonException($"The JSON is a {result.EventType} interaction, not a {typeToConvert.Name}.");
    }

    public override bool CanConvert(Type typeToConvert) => typeof(CviInteraction).IsAssignableFrom(typeToConvert);

    public override void Write(Utf8JsonWriter writer, CviInteraction value, JsonSerializerOptions options) =>
        InteractionEncoder.Write(writer, value, CviJsonWriteOptions.Default);
}
