using System.Text;
using Tavus.Cvi.Interactions.Protocol;

namespace Tavus.Cvi.Interactions.Tests.Protocol;

// Issue 2's allocation target: decoding allocates no more than the result object and its strings. Allocated bytes
// are counted exactly per thread (no timing involved); speed itself is measured by the benchmarks.
public class AllocationTests
{
    // A generous bound for one event record: header, nine envelope fields and up to seven of its own.
    private const long RecordBound = 256;

    [Theory]
    [InlineData("""{"message_type":"conversation","event_type":"conversation.utterance","conversation_id":"c123456","inference_id":"83294d9f-6a2b-4c1e-9f3a-0d2b7c9e1a44","seq":42,"turn_idx":3,"timestamp":1746000000.123,"properties":{"role":"user","speech":"Tell me about your product."}}""", "c123456", "83294d9f-6a2b-4c1e-9f3a-0d2b7c9e1a44", "Tell me about your product.")]
    [InlineData("""{"message_type":"conversation","event_type":"conversation.utterance.streaming","conversation_id":"c1","inference_id":"i-1","seq":43,"turn_idx":3,"properties":{"role":"replica","speech":"Hello there, I","content_index":2,"final":false}}""", "c1", "i-1", "Hello there, I")]
    [InlineData("""{"message_type":"conversation","event_type":"conversation.stopped_speaking","conversation_id":"c1","inference_id":"i-2","seq":57,"turn_idx":4,"timestamp":1746000000.1,"properties":{"role":"pal","interrupted":false,"duration":3.42}}""", "c1", "i-2")]
    [InlineData("""{"message_type":"conversation","event_type":"conversation.user.started_speaking","conversation_id":"c1","inference_id":"i-3","seq":60,"turn_idx":5}""", "c1", "i-3")]
    [InlineData("""{"message_type":"system","event_type":"system.shutdown","conversation_id":"c123","properties":{"replica_id":"r79e1c033f","shutdown_reason":"participant_left_timeout reached"}}""", "c123", "r79e1c033f", "participant_left_timeout reached")]
    public void Decoding_allocates_only_the_record_and_its_strings(string json, params string[] strings)
    {
        var utf8 = Encoding.UTF8.GetBytes(json);
        CviJson.DecodeEvent(utf8).Should().NotBeOfType<InvalidMessageEvent>();

        var best = long.MaxValue;
        for (var i = 0; i < 20; i++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            GC.KeepAlive(CviJson.DecodeEvent(utf8));
            best = Math.Min(best, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        var stringBytes = strings.Sum(s => Align(22 + (2L * s.Length)));
        best.Should().BeLessThanOrEqualTo(stringBytes + RecordBound, "only the record ({0} B bound) and its strings ({1} B) should be allocated", RecordBound, stringBytes);
    }

    // Raw JSON values (tool-call arguments) and echo audio are kept as a copy of their UTF-8 bytes: the record, its
    // strings and those arrays, nothing else (no JsonDocument, no UTF-16 copy of the audio).
    [Fact]
    public void Decoding_a_tool_call_allocates_the_record_its_strings_and_the_arguments_bytes()
    {
        const string Arguments = "\"{\\\"item_name\\\": \\\"Bananas\\\", \\\"quantity\\\": 2}\"";
        var utf8 = Encoding.UTF8.GetBytes("""{"message_type":"conversation","event_type":"conversation.tool_call","conversation_id":"c123456","properties":{"tool_call_id":"call_8f2a","name":"add_to_cart","arguments":""" + Arguments + "}}");
        CviJson.DecodeEvent(utf8).Should().BeOfType<ToolCallEvent>().Which.ArgumentsJson.Should().Contain("Bananas");

        var best = Measure(() => CviJson.DecodeEvent(utf8));
        var expected = RecordBound + StringBytes("c123456", "call_8f2a", "add_to_cart") + ArrayBytes(Encoding.UTF8.GetByteCount(Arguments));
        best.Should().BeLessThanOrEqualTo(expected);
    }

    [Fact]
    public void Decoding_an_audio_echo_allocates_the_record_its_strings_and_the_base64_bytes_once()
    {
        var base64 = Convert.ToBase64String(new byte[4800]);
        var utf8 = Encoding.UTF8.GetBytes($$$"""{"message_type":"conversation","event_type":"conversation.echo","conversation_id":"c123456","properties":{"modality":"audio","audio":"{{{base64}}}","sample_rate":24000,"inference_id":"inference-id-123","done":false}}""");
        CviJson.TryDecodeInteraction(utf8, out var interaction, out _).Should().BeTrue();
        ((EchoInteraction)interaction!).Audio.Should().Be(base64);

        var best = Measure(() => CviJson.TryDecodeInteraction(utf8, out var i, out _) ? i : null);
        var expected = RecordBound + StringBytes("c123456", "inference-id-123") + ArrayBytes(base64.Length);
        best.Should().BeLessThanOrEqualTo(expected, "the 6.4 KB of base64 is held once, as bytes, not as a 12.8 KB string");
    }

    private static long Measure(Func<object?> decode)
    {
        var best = long.MaxValue;
        for (var i = 0; i < 20; i++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            GC.KeepAlive(decode());
            best = Math.Min(best, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        return best;
    }

    private static long StringBytes(params string[] strings) => strings.Sum(s => Align(22 + (2L * s.Length)));

    private static long ArrayBytes(int length) => Align(24 + length);

    private static long Align(long size) => (size + 7) & ~7L;
}
