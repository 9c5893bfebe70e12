using System.Diagnostics;

namespace Tavus.Cvi.Interactions.Benchmarks.Codec;

// A paired, interleaved comparison for a noisy shared machine: for every message, the three implementations run in
// alternation (round robin, by default 15 rounds of ~20 ms each) and the fastest round of each is kept. Load that
// comes and goes then hits all three alike, so the ratios are far steadier than those of separate BenchmarkDotNet
// runs; under heavy load many short rounds (300 of 1 ms) steady them further. Allocation figures come from the
// BenchmarkDotNet [MemoryDiagnoser] table.
internal static class PairedCodecRun
{
    public static void Run(int rounds = 15, string? only = null, int roundMilliseconds = 20)
    {
        var decode = only is null or "decode";
        var encode = only is null or "encode";

        // Run every implementation of every message first, for at least three seconds, so that no row measures code
        // the JIT has not yet recompiled at its final tier (on a loaded machine the background recompilation lags,
        // and without this the first rows came out up to twice as slow as when measured later).
        var warmUp = Stopwatch.StartNew();
        do
        {
            foreach (var name in EventCodecBenchmarks.Names)
            {
                var b = new EventCodecBenchmarks { Event = name };
                b.Setup();
                Warm(() => b.Decode_JsonNode(), () => b.Decode_StjReflection(), () => b.Decode_Sdk(), () => b.Encode_JsonNode(), () => b.Encode_StjReflection(), () => b.Encode_Sdk());
            }

            foreach (var name in InteractionCodecBenchmarks.Names)
            {
                var b = new InteractionCodecBenchmarks { Interaction = name };
                b.Setup();
                Warm(() => b.Decode_JsonNode(), () => b.Decode_StjReflection(), () => b.Decode_Sdk(), () => b.Encode_JsonNode(), () => b.Encode_StjReflection(), () => b.Encode_Sdk());
            }
        }
        while (warmUp.Elapsed < TimeSpan.FromSeconds(3));

        Console.WriteLine("| op | message | JsonNode | STJ reflection | SDK | JsonNode ÷ SDK | STJ ÷ SDK |");
        Console.WriteLine("|---|---|---:|---:|---:|---:|---:|");
        var ratios = new Dictionary<string, List<double>>();
        foreach (var name in EventCodecBenchmarks.Names)
        {
            var b = new EventCodecBenchmarks { Event = name };
            b.Setup();
            if (decode)
            {
                Report("Decode", $"event `{name}`", rounds, roundMilliseconds, ratios, () => b.Decode_JsonNode(), () => b.Decode_StjReflection(), () => b.Decode_Sdk());
            }

            if (encode)
            {
                Report("Encode", $"event `{name}`", rounds, roundMilliseconds, ratios, () => b.Encode_JsonNode(), () => b.Encode_StjReflection(), () => b.Encode_Sdk());
            }
        }

        foreach (var name in InteractionCodecBenchmarks.Names)
        {
            var b = new InteractionCodecBenchmarks { Interaction = name };
            b.Setup();
            if (decode)
            {
                Report("Decode", $"interaction `{name}`", rounds, roundMilliseconds, ratios, () => b.Decode_JsonNode(), () => b.Decode_StjReflection(), () => b.Decode_Sdk());
            }

            if (encode)
            {
                Report("Encode", $"interaction `{name}`", rounds, roundMilliseconds, ratios, () => b.Encode_JsonNode(), () => b.Encode_StjReflection(), () => b.Encode_Sdk());
            }
        }

        foreach (var (op, list) in ratios)
        {
            var geo = Math.Exp(list.Average(Math.Log));
            Console.WriteLine($"{op}: JsonNode ÷ SDK geometric mean {geo:F2}×, min {list.Min():F2}×, max {list.Max():F2}× over {list.Count} messages");
        }
    }

    private static void Report(string op, string message, int rounds, int roundMilliseconds, Dictionary<string, List<double>> ratios, params Func<object?>[] implementations)
    {
        var best = new double[implementations.Length];
        Array.Fill(best, double.MaxValue);
        var iterations = new int[implementations.Length];
        for (var i = 0; i < implementations.Length; i++)
        {
            iterations[i] = Calibrate(implementations[i], roundMilliseconds);
        }

        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < implementations.Length; i++)
            {
                var run = implementations[i];
                var watch = Stopwatch.StartNew();
                for (var n = 0; n < iterations[i]; n++)
                {
                    GC.KeepAlive(run());
                }

                best[i] = Math.Min(best[i], watch.Elapsed.TotalNanoseconds / iterations[i]);
            }
        }

        var ratio = best[0] / best[2];
        (ratios.TryGetValue(op, out var list) ? list : ratios[op] = []).Add(ratio);
        Console.WriteLine($"| {op} | {message} | {Format(best[0])} | {Format(best[1])} | **{Format(best[2])}** | {ratio:F1}× | {best[1] / best[2]:F1}× |");
    }

    private static void Warm(params Func<object?>[] implementations)
    {
        foreach (var run in implementations)
        {
            for (var i = 0; i < 2000; i++)
            {
                GC.KeepAlive(run());
            }
        }
    }

    // Enough iterations for about roundMilliseconds per round.
    private static int Calibrate(Func<object?> run, int roundMilliseconds)
    {
        for (var i = 0; i < 1000; i++)
        {
            GC.KeepAlive(run());
        }

        var watch = Stopwatch.StartNew();
        var count = 0;
        while (watch.Elapsed.TotalMilliseconds < 5)
        {
            GC.KeepAlive(run());
            count++;
        }

        return Math.Max(1, count * roundMilliseconds / 5);
    }

    private static string Format(double ns) => ns >= 1000 ? $"{ns / 1000:F2} µs" : $"{ns:F0} ns";
}
