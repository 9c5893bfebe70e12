using System.Text;
using Tavus.Cvi.Interactions.Protocol;

namespace Tavus.Cvi.Interactions.Tests.Protocol;

// DecodeEvent never throws: every input that is not a readable event becomes an InvalidMessageEvent whose reason
// names what is wrong (tavus-protocol.md: "never drop a message you do not understand").
public class BadInputTests
{
    public static TheoryData<string, InvalidMessageKind, string> Cases => new()
    {
        { "", InvalidMessageKind.NotJson, "empty" },
        { "   ", InvalidMessageKind.NotJson, "empty" },
        { "nul", InvalidMessageKind.NotJson, "JSON" },
        { "{", InvalidMessageKind.NotJson, "JSON" },
        { "{\"event_type\":\"conversation.utterance\",\"properties\":{\"speech\":\"x\"", InvalidMessageKind.NotJson, "JSON" },
        { "{\"event_type\":\"conversation.utterance\"}x", InvalidMessageKind.NotJson, "JSON" },
        { "{\"event_type\":\"conversation.utterance\"}{}", InvalidMessageKind.NotJson, "JSON" },
        { "{'event_type':'conversation.utterance'}", InvalidMessageKind.NotJson, "JSON" },
        { "[1,2]", InvalidMessageKind.NotAnObject, "not an object" },
        { "[{\"event_type\":\"conversation.utterance\"}]", InvalidMessageKind.NotAnObject, "not an object" },
        { "42", InvalidMessageKind.NotAnObject, "not an object" },
        { "\"conversation.utterance\"", InvalidMessageKind.NotAnObject, "not an object" },
        { "null", InvalidMessageKind.NotAnObject, "not an object" },
        { "[1,", InvalidMessageKind.NotJson, "JSON" },
        { "{}", InvalidMessageKind.MissingEventType, "event_type" },
        { "{\"message_type\":\"conversation\",\"properties\":{\"event_type\":\"conversation.utterance\"}}", InvalidMessageKind.MissingEventType, "event_type" },
        { "{\"event_type\":null}", InvalidMessageKind.MissingEventType, "event_type" },
        { "{\"event_type\":5}", InvalidMessageKind.MissingEventType, "event_type" },
        { "{\"event_type\":\"\"}", InvalidMessageKind.MissingEventType, "event_type" },
        { "{\"event_type\":{\"name\":\"conversation.utterance\"}}", InvalidMessageKind.MissingEventType, "event_type" },
        { "{\"event_type\":\"conversation.utterance\",\"seq\":\"abc\"}", InvalidMessageKind.InvalidField, "'seq'" },
        { "{\"event_type\":\"conversation.utterance\",\"seq\":1.5}", InvalidMessageKind.InvalidField, "'seq'" },
        { "{\"event_type\":\"conversation.utterance\",\"seq\":[1]}", InvalidMessageKind.InvalidField, "'seq'" },
        { "{\"event_type\":\"conversation.utterance\",\"turn_idx\":99999999999}", InvalidMessageKind.InvalidField, "'turn_idx'" },
        { "{\"event_type\":\"conversation.utterance\",\"timestamp\":true}", InvalidMessageKind.InvalidField, "'timestamp'" },
        { "{\"event_type\":\"conversation.utterance\",\"timestamp\":\"yesterday\"}", InvalidMessageKind.InvalidField, "'timestamp'" },
        { "{\"event_type\":\"conversation.utterance\",\"timestamp\":1e300}", InvalidMessageKind.InvalidField, "'timestamp'" },
        { "{\"event_type\":\"conversation.utterance\",\"conversation_id\":7}", InvalidMessageKind.InvalidField, "'conversation_id'" },
        { "{\"event_type\":\"conversation.utterance\",\"message_type\":{}}", InvalidMessageKind.InvalidField, "'message_type'" },
        { "{\"event_type\":\"conversation.utterance\",\"inference_id\":false}", InvalidMessageKind.InvalidField, "'inference_id'" },
        { "{\"event_type\":\"conversation.utterance\",\"properties\":[]}", InvalidMessageKind.InvalidField, "'properties'" },
        { "{\"event_type\":\"conversation.utterance\",\"properties\":\"x\"}", InvalidMessageKind.InvalidField, "'properties'" },
        { "{\"event_type\":\"conversation.utterance\",\"properties\":{\"speech\":5}}", InvalidMessageKind.InvalidField, "'properties.speech'" },
        { "{\"event_type\":\"conversation.utterance\",\"properties\":{\"role\":5}}", InvalidMessageKind.InvalidField, "'properties.role'" },
        { "{\"event_type\":\"conversation.utterance\",\"properties\":{\"interrupted\":\"perhaps\"}}", InvalidMessageKind.InvalidField, "'properties.interrupted'" },
        { "{\"event_type\":\"conversation.utterance\",\"properties\":{\"inference_id\":1}}", InvalidMessageKind.InvalidField, "'properties.inference_id'" },
        { "{\"event_type\":\"conversation.utterance.streaming\",\"properties\":{\"final\":\"maybe\"}}", InvalidMessageKind.InvalidField, "'properties.final'" },
        { "{\"event_type\":\"conversation.utterance.streaming\",\"properties\":{\"content_index\":\"x\"}}", InvalidMessageKind.InvalidField, "'properties.content_index'" },
        { "{\"event_type\":\"conversation.stopped_speaking\",\"properties\":{\"duration\":\"long\"}}", InvalidMessageKind.InvalidField, "'properties.duration'" },
        { "{\"event_type\":\"conversation.replica.stopped_speaking\",\"properties\":{\"duration\":{}}}", InvalidMessageKind.InvalidField, "'properties.duration'" },
        { "{\"event_type\":\"conversation.tool_call\",\"properties\":{\"arguments\":5}}", InvalidMessageKind.InvalidField, "'properties.arguments'" },
        { "{\"event_type\":\"conversation.tool_call\",\"properties\":{\"name\":[]}}", InvalidMessageKind.InvalidField, "'properties.name'" },
        { "{\"event_type\":\"conversation.perception_tool_call\",\"properties\":{\"frames\":{}}}", InvalidMessageKind.InvalidField, "'properties.frames'" },
        { "{\"event_type\":\"conversation.perception_tool_call\",\"properties\":{\"frames\":[1]}}", InvalidMessageKind.InvalidField, "'properties.frames'" },
        { "{\"event_type\":\"conversation.perception_tool_call\",\"properties\":{\"frames\":[{\"data\":5}]}}", InvalidMessageKind.InvalidField, "'properties.frames'" },
        { "{\"event_type\":\"conversation.perception_tool_call\",\"properties\":{\"modality\":true}}", InvalidMessageKind.InvalidField, "'properties.modality'" },
        { "{\"event_type\":\"system.shutdown\",\"properties\":{\"shutdown_reason\":1}}", InvalidMessageKind.InvalidField, "'properties.shutdown_reason'" },
        { "{\"event_type\":\"system.replica_joined\",\"properties\":{\"face_id\":1}}", InvalidMessageKind.InvalidField, "'properties.face_id'" },
        { "{\"event_type\":\"conversation.perception_analysis\",\"properties\":{\"analysis\":{}}}", InvalidMessageKind.InvalidField, "'properties.analysis'" },
        { "{\"event_type\":\"conversation.joined\",\"seq\":\"x\"}", InvalidMessageKind.InvalidField, "'seq'" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Bad_input_becomes_an_invalid_message_event(string json, InvalidMessageKind kind, string reasonContains)
    {
        var evt = CviJson.DecodeEvent(Encoding.UTF8.GetBytes(json));
        var invalid = evt.Should().BeOfType<InvalidMessageEvent>().Subject;
        invalid.Kind.Should().Be(kind, invalid.Reason);
        invalid.Reason.Should().Contain(reasonContains);
        invalid.RawText.Should().Be(json);
    }

    [Fact]
    public void A_wrong_field_type_keeps_the_event_type()
    {
        var invalid = (InvalidMessageEvent)CviJson.DecodeEvent(Encoding.UTF8.GetBytes("""{"event_type":"conversation.tool_call","seq":"x"}"""));
        invalid.EventType.Should().Be("conversation.tool_call");
        var noType = (InvalidMessageEvent)CviJson.DecodeEvent(Encoding.UTF8.GetBytes("[]"));
        noType.EventType.Should().Be(InvalidMessageEvent.NoEventType);
    }

    [Fact]
    public void Invalid_utf8_is_not_json_and_its_text_is_kept_with_replacement_characters()
    {
        byte[] bytes = [.. "{\"event_type\":\"conversation.utterance\",\"properties\":{\"speech\":\""u8, 0xFF, 0xFE, .. "\"}}"u8];
        var invalid = CviJson.DecodeEvent(bytes).Should().BeOfType<InvalidMessageEvent>().Subject;
        invalid.Kind.Should().Be(InvalidMessageKind.NotJson);
        invalid.RawText.Should().Contain("\uFFFD");
    }

    [Fact]
    public void Deep_nesting_is_refused()
    {
        var json = "{\"event_type\":\"conversation.utterance\",\"properties\":{\"x\":" + new string('[', 200) + new string(']', 200) + "}}";
        CviJson.DecodeEvent(Encoding.UTF8.GetBytes(json)).Should().BeOfType<InvalidMessageEvent>().Which.Kind.Should().Be(InvalidMessageKind.NotJson);
    }

    [Fact]
    public void A_one_megabyte_payload_is_too_large_and_only_its_start_is_kept()
    {
        var json = "{\"event_type\":\"conversation.utterance\",\"properties\":{\"speech\":\"" + new string('a', 1024 * 1024) + "\"}}";
        var invalid = CviJson.DecodeEvent(Encoding.UTF8.GetBytes(json)).Should().BeOfType<InvalidMessageEvent>().Subject;
        invalid.Kind.Should().Be(InvalidMessageKind.TooLarge);
        invalid.Reason.Should().Contain("bytes");
        invalid.RawText.Should().HaveLength(CviJsonReadOptions.Default.MaxRawTextChars);
        json.Should().StartWith(invalid.RawText);
    }

    [Fact]
    public void The_size_limit_is_configurable()
    {
        var json = "{\"event_type\":\"conversation.utterance\",\"properties\":{\"speech\":\"" + new string('a', 1024 * 1024) + "\"}}";
        var options = new CviJsonReadOptions { MaxMessageBytes = 2 * 1024 * 1024 };
        CviJson.DecodeEvent(Encoding.UTF8.GetBytes(json), options).Should().BeOfType<UtteranceEvent>().Which.Speech.Should().HaveLength(1024 * 1024);
        CviJson.DecodeEvent(json, options).Should().BeOfType<UtteranceEvent>();
    }

    [Fact]
    public void Interactions_over_the_limit_are_refused()
    {
        var json = "{\"event_type\":\"conversation.respond\",\"properties\":{\"text\":\"" + new string('a', 1024 * 1024) + "\"}}";
        CviJson.TryDecodeInteraction(Encoding.UTF8.GetBytes(json), out var interaction, out var error).Should().BeFalse();
        interaction.Should().BeNull();
        error.Should().Contain("bytes");
    }

    [Fact]
    public void A_too_large_string_is_refused_without_transcoding_it()
    {
        var json = "{\"event_type\":\"conversation.utterance\",\"properties\":{\"speech\":\"" + new string('a', 1024 * 1024) + "\"}}";
        var invalid = CviJson.DecodeEvent(json).Should().BeOfType<InvalidMessageEvent>().Subject;
        invalid.Kind.Should().Be(InvalidMessageKind.TooLarge);
        invalid.RawText.Should().Be(json[..4096]);
    }
}
