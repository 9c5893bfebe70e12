using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Tavus.Cvi.Interactions.Protocol;

namespace Tavus.Cvi.Interactions.Benchmarks.Codec;

// The SDK's decoder keeps a few values as their UTF-8 bytes and materializes them on first read: tool-call and
// perception-tool `arguments`, a tool result's `output`, a realtime body, an echo's base64 `audio`. The plain Decode
// rows of the codec benchmarks therefore do less work for those messages than the JsonNode baseline, which builds
// every value. These rows decode *and read the deferred value* on both sides, so the comparison is like for like.
// Reading means what forces the value into being: the JsonElement's kind, or the base64 string's length.
// EchoAudioPcmBenchmarks measures what an audio consumer does instead: decode, then get the PCM bytes.
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class DeferredFieldBenchmarks
{
    private byte[] _utf8 = [];
    private bool _isEvent;

    [ParamsSource(nameof(Names))]
    public string Message { get; set; } = "tool_call";

    public static IEnumerable<string> Names => ["tool_call", "perception_tool", "tool_result", "realtime_api", "echo.audio100ms"];

    [GlobalSetup]
    public void Setup()
    {
        _isEvent = Samples.Events.ContainsKey(Message);
        _utf8 = Samples.Utf8(_isEvent ? Samples.Events[Message] : Samples.Interactions[Message]);
    }

    [Benchmark(Baseline = true), BenchmarkCategory("DecodeAndRead")]
    public int DecodeAndRead_JsonNode() => Read(_isEvent ? JsonNodeCodec.DecodeEvent(_utf8) : JsonNodeCodec.DecodeInteraction(_utf8));

    [Benchmark, BenchmarkCategory("DecodeAndRead")]
    public int DecodeAndRead_Sdk() => Read(_isEvent
        ? CviJson.DecodeEvent(_utf8)
        : CviJson.TryDecodeInteraction(_utf8, out var interaction, out _) ? interaction : null);

    // Reads the value that may be deferred, returning something of it so the JIT cannot drop the read.
    private static int Read(object? message) => message switch
    {
        ToolCallEvent e => (int)e.Arguments.ValueKind,
        PerceptionToolCallEvent e => (int)e.Arguments.ValueKind,
        ToolResultInteraction i => (int)i.Output.ValueKind,
        RealtimeApiInteraction i => (int)i.Body.ValueKind,
        EchoInteraction i => i.Audio?.Length ?? -1,
        _ => throw new InvalidOperationException($"{message?.GetType().Name} has no deferred value."),
    };
}
