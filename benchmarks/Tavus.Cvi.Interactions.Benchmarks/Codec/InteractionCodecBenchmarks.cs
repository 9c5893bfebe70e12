using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Tavus.Cvi.Interactions.Protocol;

namespace Tavus.Cvi.Interactions.Benchmarks.Codec;

// Decode and encode of each interaction type: the SDK codec against JsonNode (baseline) and reflection-based
// System.Text.Json, in the same run. Ratio is against JsonNode within each category.
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class InteractionCodecBenchmarks
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
    private CviInteraction _interaction = null!;

    [ParamsSource(nameof(Names))]
    public string Interaction { get; set; } = "echo.text";

    public static IEnumerable<string> Names => Samples.Interactions.Keys;

    [GlobalSetup]
    public void Setup()
    {
        _utf8 = Samples.Utf8(Samples.Interactions[Interaction]);
        _dtoType = WireDtos.For(Interaction);
        _dto = JsonSerializer.Deserialize(_utf8, _dtoType, Reflection)!;
        if (!CviJson.TryDecodeInteraction(_utf8, out var interaction, out var error) || interaction is UnknownInteraction)
        {
            throw new InvalidOperationException($"Sample {Interaction} does not decode: {error}");
        }

        _interaction = interaction!;
    }

    [Benchmark(Baseline = true), BenchmarkCategory("Decode")]
    public CviInteraction Decode_JsonNode() => JsonNodeCodec.DecodeInteraction(_utf8);

    [Benchmark, BenchmarkCategory("Decode")]
    public object Decode_StjReflection() => JsonSerializer.Deserialize(_utf8, _dtoType, Reflection)!;

    [Benchmark, BenchmarkCategory("Decode")]
    public CviInteraction? Decode_Sdk() => CviJson.TryDecodeInteraction(_utf8, out var interaction, out _) ? interaction : null;

    [Benchmark(Baseline = true), BenchmarkCategory("Encode")]
    public byte[] Encode_JsonNode() => JsonNodeCodec.EncodeInteraction(_interaction);

    [Benchmark, BenchmarkCategory("Encode")]
    public byte[] Encode_StjReflection() => JsonSerializer.SerializeToUtf8Bytes(_dto, _dtoType, Reflection);

    [Benchmark, BenchmarkCategory("Encode")]
    public byte[] Encode_Sdk() => CviJson.EncodeInteraction(_interaction);
}
