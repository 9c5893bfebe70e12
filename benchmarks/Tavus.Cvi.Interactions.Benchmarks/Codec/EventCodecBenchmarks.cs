using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Tavus.Cvi.Interactions.Protocol;

namespace Tavus.Cvi.Interactions.Benchmarks.Codec;

// Decode and encode of each event type: the SDK codec against JsonNode (baseline) and reflection-based
// System.Text.Json, in the same run. Ratio is against JsonNode within each category.
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class EventCodecBenchmarks
{
    private static readonly JsonSerializerOptions Reflection = new()
    {
        TypeInfoResolver = new DefaultJsonTypeInfoResolver(),
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private byte[] _utf8 = [];
    private Type _dtoType = typeof(object);
    private object _dto = new();
    private CviEvent _event = null!;

    [ParamsSource(nameof(Names))]
    public string Event { get; set; } = "utterance";

    public static IEnumerable<string> Names => Samples.Events.Keys;

    [GlobalSetup]
    public void Setup()
    {
        _utf8 = Samples.Utf8(Samples.Events[Event]);
        _dtoType = WireDtos.For(Event);
        _dto = JsonSerializer.Deserialize(_utf8, _dtoType, Reflection)!;
        _event = CviJson.DecodeEvent(_utf8);
        if (_event is InvalidMessageEvent or UnknownEvent)
        {
            throw new InvalidOperationException($"Sample {Event} does not decode: {_event}");
        }
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Decode")]
    public CviEvent Decode_JsonNode() => JsonNodeCodec.DecodeEvent(_utf8);

    [Benchmark, BenchmarkCategory("Decode")]
    public object Decode_StjReflection() => JsonSerializer.Deserialize(_utf8, _dtoType, Reflection)!;

    [Benchmark, BenchmarkCategory("Decode")]
    public CviEvent Decode_Sdk() => CviJson.DecodeEvent(_utf8);

    [Benchmark(Baseline = true), BenchmarkCategory("Encode")]
    public byte[] Encode_JsonNode() => JsonNodeCodec.EncodeEvent(_event);

    [Benchmark, BenchmarkCategory("Encode")]
    public byte[] Encode_StjReflection() => JsonSerializer.SerializeToUtf8Bytes(_dto, _dtoType, Reflection);

    [Benchmark, BenchmarkCategory("Encode")]
    public byte[] Encode_Sdk() => CviJson.EncodeEvent(_event);
}
