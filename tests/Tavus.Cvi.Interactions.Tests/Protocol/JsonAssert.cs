using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tavus.Cvi.Interactions.Protocol;

namespace Tavus.Cvi.Interactions.Tests.Protocol;

internal static class JsonAssert
{
    // Semantic JSON equality: key order ignored, numbers compared by value, whitespace ignored.
    public static void Equivalent(byte[] actualUtf8, string expectedJson)
    {
        var actual = JsonNode.Parse(actualUtf8);
        var expected = JsonNode.Parse(expectedJson);
        JsonNode.DeepEquals(actual, expected).Should().BeTrue(
            "the JSON written should be {0} but was {1}",
            expected!.ToJsonString(),
            actual!.ToJsonString());
    }

    public static byte[] Utf8(string json) => Encoding.UTF8.GetBytes(json);

    public static T Decode<T>(string json)
        where T : CviEvent
    {
        var evt = CviJson.DecodeEvent(Utf8(json));
        if (evt is InvalidMessageEvent invalid)
        {
            throw new Xunit.Sdk.XunitException($"Expected a {typeof(T).Name} but got InvalidMessageEvent: {invalid.Reason}");
        }

        return evt.Should().BeOfType<T>().Subject;
    }

    public static T DecodeInteraction<T>(string json)
        where T : CviInteraction
    {
        CviJson.TryDecodeInteraction(Utf8(json), out var interaction, out var error).Should().BeTrue(error);
        error.Should().BeNull();
        return interaction.Should().BeOfType<T>().Subject;
    }

    public static string Text(byte[] utf8) => Encoding.UTF8.GetString(utf8);

    public static bool DeepEquals(JsonElement a, JsonElement b) =>
        a.ValueKind == JsonValueKind.Undefined || b.ValueKind == JsonValueKind.Undefined
            ? a.ValueKind == b.ValueKind
            : JsonElement.DeepEquals(a, b);
}
