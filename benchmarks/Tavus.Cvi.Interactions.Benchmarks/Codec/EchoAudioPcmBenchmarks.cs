using BenchmarkDotNet.Attributes;
using Tavus.Cvi.Interactions.Protocol;

namespace Tavus.Cvi.Interactions.Benchmarks.Codec;

// What a consumer of audio echoes (the emulator's replica, an app's own test double) does with one: decode the
// 100 ms chunk and get its PCM bytes. JsonNode reads the base64 string and converts it; the SDK decodes the base64
// from the UTF-8 bytes it kept, without making the string.
[MemoryDiagnoser]
public class EchoAudioPcmBenchmarks
{
    private readonly byte[] _utf8 = Samples.Utf8(Samples.Interactions["echo.audio100ms"]);

    [Benchmark(Baseline = true)]
    public byte[]? DecodeAndPcm_JsonNode() =>
        JsonNodeCodec.DecodeInteraction(_utf8) is EchoInteraction { Audio: { } audio } ? Convert.FromBase64String(audio) : null;

    [Benchmark]
    public byte[]? DecodeAndPcm_Sdk() =>
        CviJson.TryDecodeInteraction(_utf8, out var interaction, out _) && interaction is EchoInteraction echo && echo.TryGetPcm(out var pcm)
            ? pcm
            : null;
}
