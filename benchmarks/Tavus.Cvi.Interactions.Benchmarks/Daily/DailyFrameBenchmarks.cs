using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using Tavus.Cvi.Interactions.Daily;

namespace Tavus.Cvi.Interactions.Benchmarks.Daily;

// The Daily transport's per-message work: measuring a payload as daily-js counts it, writing the sig-msg frame, and
// extracting msgData from an inbound frame. Baselines do the same with JsonNode (parse, rebuild, re-serialize).
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory, BenchmarkLogicalGroupRule.ByParams)]
[CategoriesColumn]
public class DailyFrameBenchmarks
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private byte[] _payload = [];
    private byte[] _inbound = [];

    [Params(256, 4000)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var text = string.Concat(Enumerable.Repeat("Caf\u00e9 <b>ok</b> ", Size / 10 + 1))[..Math.Max(1, Size - 120)];
        _payload = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["message_type"] = "conversation",
            ["event_type"] = "conversation.echo",
            ["conversation_id"] = "c123456",
            ["properties"] = new Dictionary<string, string> { ["modality"] = "text", ["text"] = text },
        });
        _inbound = Encoding.UTF8.GetBytes(
            "{\"msgStr\":\"sig-msg\",\"tag\":\"x-egassem\",\"from\":\"ac95f499-71f9-4451-b7a5-3799a05b7652\",\"to\":\"*\",\"msgData\":" +
            Encoding.UTF8.GetString(_payload) + ",\"serverTS\":1723956970762}");
    }

    [BenchmarkCategory("Measure"), Benchmark(Baseline = true)]
    public int Measure_JsonNode() => JsonNode.Parse(_payload)!.ToJsonString(Relaxed).Length;

    [BenchmarkCategory("Measure"), Benchmark]
    public int Measure_Sdk() => DailyAppMessageSize.Measure(_payload);

    [BenchmarkCategory("WriteFrame"), Benchmark(Baseline = true)]
    public byte[] WriteFrame_JsonNode() => JsonSerializer.SerializeToUtf8Bytes(new JsonObject
    {
        ["msgStr"] = "sig-msg",
        ["msgData"] = new JsonObject
        {
            ["tag"] = "x-egassem",
            ["fields"] = JsonNode.Parse(_payload),
            ["envelopeTo"] = "*",
            ["_sendTs"] = "1767225003000.7",
        },
    });

    [BenchmarkCategory("WriteFrame"), Benchmark]
    public byte[] WriteFrame_Sdk() => DailyFrames.AppMessage(_payload, null, "1767225003000.7");

    [BenchmarkCategory("ReadFrame"), Benchmark(Baseline = true)]
    public byte[] ReadFrame_JsonNode() => Encoding.UTF8.GetBytes(JsonNode.Parse(_inbound)!["msgData"]!.ToJsonString());

    [BenchmarkCategory("ReadFrame"), Benchmark]
    public byte[] ReadFrame_Sdk()
    {
        using var document = JsonDocument.Parse(_inbound);
        return JsonMarshal.GetRawUtf8Value(document.RootElement.GetProperty("msgData")).ToArray();
    }
}
