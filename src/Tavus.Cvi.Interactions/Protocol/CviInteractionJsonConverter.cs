using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Protocol;

// Lets interactions sit inside larger JSON documents through JsonSerializer; writes the documented names.
internal sealed class CviInteractionJsonConverter<TInteraction> : JsonConverter<TInteraction>
    where TInteraction : CviInteraction
{
    public override TInteraction? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        var result = InteractionDecoder.ReadObject(ref reader, default);
        return result as TInteraction ?? throw new JsonException($"The JSON is a {result.EventType} interaction, not a {typeof(TInteraction).Name}.");
    }

    public override void Write(Utf8JsonWriter writer, TInteraction value, JsonSerializerOptions options) =>
        InteractionEncoder.Write(writer, value, CviJsonWriteOptions.Default);
}
