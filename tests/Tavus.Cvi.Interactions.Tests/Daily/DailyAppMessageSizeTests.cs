using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using CsCheck;
using Tavus.Cvi.Interactions.Daily;

namespace Tavus.Cvi.Interactions.Tests.Daily;

public class DailyAppMessageSizeTests
{
    // Expected values are JSON.stringify(JSON.parse(input)).length as computed by JavaScript.
    [Theory]
    [InlineData("""{"a":1}""", 7)]
    [InlineData("""{ "a" : 1 ,  "b" : [ 1 , 2 ] }""", 17)]
    [InlineData("""{"text":"caf\u00e9"}""", 15)]
    [InlineData("""{"text":"café"}""", 15)]
    [InlineData("""{"t":"\u003Cb\u003E \u0026 \u0027 \u002B"}""", 17)]
    [InlineData("""{"t":"a\"b\\c\nd"}""", 18)]
    [InlineData("""{"t":"\u0001"}""", 14)]
    [InlineData("""{"t":"😀"}""", 10)]
    [InlineData("""{"t":"\ud83d\ude00"}""", 10)]
    [InlineData("""[true,false,null,{},[],""]""", 26)]
    [InlineData("""{"a":{"b":{"c":[1,{"d":2}]}}}""", 29)]
    [InlineData("\"just a string\"", 15)]
    public void Counts_utf16_units_of_the_compact_javascript_serialization(string json, int expected) =>
        DailyAppMessageSize.Measure(Encoding.UTF8.GetBytes(json)).Should().Be(expected);

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{\"a\":1}{\"b\":2}")]
    [InlineData("{\"a\":1,}")]
    [InlineData("not json")]
    public void Rejects_invalid_json(string json)
    {
        var act = () => DailyAppMessageSize.Measure(Encoding.UTF8.GetBytes(json));
        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Matches_a_relaxed_compact_serialization_for_printable_text()
    {
        // For text without control characters, quotes or backslashes, a compact serialization with relaxed escaping is
        // exactly what JSON.stringify writes; the measure must not depend on how the SDK escaped the payload.
        var relaxed = new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        // Letters, accented and Greek letters, and the characters System.Text.Json escapes by default but JavaScript
        // does not; the relaxed encoder still escapes some other ranges (C1 controls, soft hyphen), so they are left out.
        var chars = Gen.OneOf(Gen.Char['a', 'z'], Gen.Char['\u00E0', '\u00FF'], Gen.Char['\u03B1', '\u03C9'],
            Gen.Char[" <>&'+`"]);
        Gen.String[chars, 0, 200].Sample(text =>
        {
            var payload = new Dictionary<string, object> { ["message_type"] = "conversation", ["properties"] = new Dictionary<string, string> { ["text"] = text } };
            var escaped = JsonSerializer.SerializeToUtf8Bytes(payload);
            var expected = JsonSerializer.Serialize(payload, relaxed).Length;
            DailyAppMessageSize.Measure(escaped).Should().Be(expected);
        }, iter: 500);
    }
}
