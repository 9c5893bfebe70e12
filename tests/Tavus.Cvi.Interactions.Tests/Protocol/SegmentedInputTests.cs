using System.Buffers;
using System.Text;
using System.Text.Json;
using Tavus.Cvi.Interactions.Protocol;

namespace Tavus.Cvi.Interactions.Tests.Protocol;

// The converter path reads from whatever reader System.Text.Json hands it, including multi-segment sequences and
// escaped property names, which the fast path of the decoder never sees from Tavus.
public class SegmentedInputTests
{
    private const string Escaped = """
        {"message_type":"conversation","\u0065vent_type":"conversation.tool\u005fcall","conversation_id":"c\u00e9",
         "seq":7,"properties":{"n\u0061me":"add","arguments":"{\"q\":2}","x_\u006beep":[1]}}
        """;

    [Fact]
    public void Escaped_names_and_values_are_read_on_the_span_path()
    {
        var evt = CviJson.DecodeEvent(Encoding.UTF8.GetBytes(Escaped));
        AssertToolCall(evt);
    }

    [Fact]
    public void One_byte_segments_are_read_through_the_serializer()
    {
        var reader = new Utf8JsonReader(OneByteSegments(Encoding.UTF8.GetBytes(Escaped)));
        var evt = JsonSerializer.Deserialize<CviEvent>(ref reader, CviJson.SerializerOptions);
        AssertToolCall(evt!);
    }

    [Fact]
    public void Unknown_events_from_segments_keep_their_raw_json()
    {
        const string json = """{"event_type":"conversation.joined","seq":3,"properties":{"a":"b"}}""";
        var reader = new Utf8JsonReader(OneByteSegments(Encoding.UTF8.GetBytes(json)));
        var evt = JsonSerializer.Deserialize<CviEvent>(ref reader, CviJson.SerializerOptions);
        var unknown = evt.Should().BeOfType<UnknownEvent>().Subject;
        unknown.Seq.Should().Be(3);
        JsonElement.DeepEquals(JsonDocument.Parse(unknown.RawJson).RootElement, JsonDocument.Parse(json).RootElement).Should().BeTrue();
    }

    [Fact]
    public void Interactions_from_segments_are_read_through_the_serializer()
    {
        const string json = """{"message_type":"conversation","event_type":"conversation.echo","conversation_id":"c","properties":{"modality":"text","text":"hi","done":"true"}}""";
        var reader = new Utf8JsonReader(OneByteSegments(Encoding.UTF8.GetBytes(json)));
        var interaction = JsonSerializer.Deserialize<CviInteraction>(ref reader, CviJson.SerializerOptions);
        interaction.Should().Be(new EchoInteraction { ConversationId = "c", Modality = EchoModality.Text, Text = "hi", Done = true });
    }

    [Fact]
    public void Invalid_input_throws_json_exception_through_the_serializer()
    {
        FluentActions.Invoking(() => JsonSerializer.Deserialize<CviEvent>("""{"event_type":"conversation.utterance","seq":"x"}""", CviJson.SerializerOptions))
            .Should().Throw<JsonException>().WithMessage("*'seq'*");
        FluentActions.Invoking(() => JsonSerializer.Deserialize<UtteranceEvent>("""{"event_type":"conversation.tool_call"}""", CviJson.SerializerOptions))
            .Should().Throw<JsonException>();
    }

    [Fact]
    public void Derived_types_serialize_and_deserialize_with_the_sdk_options()
    {
        var call = new ToolCallEvent { ConversationId = "c", Name = "n", Seq = 4 };
        var json = JsonSerializer.Serialize(call, CviJson.SerializerOptions);
        json.Should().Be("""{"message_type":"conversation","event_type":"conversation.tool_call","conversation_id":"c","seq":4,"properties":{"name":"n"}}""");
        JsonSerializer.Deserialize<ToolCallEvent>(json, CviJson.SerializerOptions).Should().Be(call);

        var echo = EchoInteraction.FromText("hi");
        var echoJson = JsonSerializer.Serialize(echo, CviJson.SerializerOptions);
        JsonSerializer.Deserialize<EchoInteraction>(echoJson, CviJson.SerializerOptions).Should().Be(echo);
        JsonSerializer.Deserialize<CviInteraction>(echoJson, CviJson.SerializerOptions).Should().Be(echo);
    }

    private static void AssertToolCall(CviEvent evt)
    {
        var call = evt.Should().BeOfType<ToolCallEvent>().Subject;
        call.EventType.Should().Be(CviEventTypes.ToolCall);
        call.ConversationId.Should().Be("cé");
        call.Seq.Should().Be(7);
        call.Name.Should().Be("add");
        call.ArgumentsJson.Should().Be("""{"q":2}""");
        call.AdditionalProperties!.Keys.Should().Equal("x_keep");
    }

    private static ReadOnlySequence<byte> OneByteSegments(byte[] bytes)
    {
        var first = new Segment(bytes.AsMemory(0, 1), 0);
        var last = first;
        for (var i = 1; i < bytes.Length; i++)
        {
            last = last.Append(bytes.AsMemory(i, 1));
        }

        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
