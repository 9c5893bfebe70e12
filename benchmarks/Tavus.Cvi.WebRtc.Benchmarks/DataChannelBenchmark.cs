using System.Diagnostics;
using System.Globalization;
using Tavus.Cvi.WebRtc.Peer;

namespace Tavus.Cvi.WebRtc.Benchmarks;

/// <summary>
/// Side-by-side loopback scenario: setup time, 100-byte round trip, and bulk throughput of a reliable ordered channel,
/// for our peer against itself, libwebrtc and libdatachannel against themselves, and our peer against each native stack.
/// Each pair runs once to warm up, then <c>--runs</c> times (default 3); the table shows the median of each column.
/// <c>--pairs ours-ours,libwebrtc-libwebrtc</c> runs only the named pairs (names with "-" for the arrow).
/// </summary>
internal static class DataChannelBenchmark
{
    private sealed record Result(string Pair, double OfferToOpenMs, double AnswerToOpenMs, double RttP50Us, double RttP99Us, double Mbps16K, double Mbps1K);

    public static async Task<int> RunAsync(string[] args)
    {
        long bulk = Option(args, "--bytes", 64L * 1024 * 1024);
        int pings = (int)Option(args, "--pings", 1000);
        int runs = (int)Option(args, "--runs", 3);
        var pairs = new List<(string Name, Func<Task<Result>> Run)>
        {
            ("ours ↔ ours", () => OursAgainstOursAsync(bulk, pings)),
        };
        if (NodeStack.Has("@roamhq/wrtc"))
        {
            pairs.Add(("libwebrtc ↔ libwebrtc", () => NativeSelfAsync("wrtc", "libwebrtc ↔ libwebrtc", bulk, pings)));
            pairs.Add(("ours ↔ libwebrtc", () => OursAgainstNodeAsync("wrtc", "ours ↔ libwebrtc", bulk, pings)));
        }

        if (NodeStack.Has("node-datachannel"))
        {
            pairs.Add(("libdatachannel ↔ libdatachannel", () => NativeSelfAsync("ndc", "libdatachannel ↔ libdatachannel", bulk, pings)));
            pairs.Add(("ours ↔ libdatachannel", () => OursAgainstNodeAsync("ndc", "ours ↔ libdatachannel", bulk, pings)));
        }

        // --pairs ours,libwebrtc: run only the pairs whose name contains one of the words (whole table by default).
        int filterAt = Array.IndexOf(args, "--pairs");
        if (filterAt >= 0 && filterAt + 1 < args.Length)
        {
            string[] words = args[filterAt + 1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            pairs.RemoveAll(p => !words.Any(w => p.Name.Replace(" ↔ ", "-", StringComparison.Ordinal).Equals(w, StringComparison.OrdinalIgnoreCase)));
        }

        Console.WriteLine($"| pair | offer → open | answer → open | RTT p50 / p99 (100 B) | {bulk / (1024 * 1024)} MiB in 16 KiB msgs | {bulk / 4 / (1024 * 1024)} MiB in 1 KiB msgs |");
        Console.WriteLine("|---|---|---|---|---|---|");
        foreach (var (name, run) in pairs)
        {
            var results = new List<Result>();
            // Run -1 is a warm-up (JIT, BouncyCastle's first handshake) and is not counted.
            for (int i = -1; i < runs; i++)
            {
                try
                {
                    var result = await run();
                    if (i >= 0)
                    {
                        results.Add(result);
                    }
                }
                catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or OperationCanceledException)
                {
                    Console.Error.WriteLine($"{name}: run {i + 1} failed: {ex.Message}");
                }
            }

            if (results.Count == 0)
            {
                Console.WriteLine($"| {name} | failed | | | | |");
                continue;
            }

            static double Median(IEnumerable<double> values)
            {
                var sorted = values.OrderBy(v => v).ToArray();
                return sorted[sorted.Length / 2];
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {name} | {Median(results.Select(r => r.OfferToOpenMs)):F1} ms | {Median(results.Select(r => r.AnswerToOpenMs)):F1} ms | " +
                $"{Median(results.Select(r => r.RttP50Us)):F0} / {Median(results.Select(r => r.RttP99Us)):F0} µs | " +
                $"{Median(results.Select(r => r.Mbps16K)):F1} MB/s | {Median(results.Select(r => r.Mbps1K)):F1} MB/s |"));
        }

        return 0;
    }

    private static long Option(string[] args, string name, long fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? long.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    private static RtcConfiguration Config() => new() { IncludeInterfaceCandidates = false, SendBufferHighWaterMark = 1024 * 1024 };

    private static async Task<Result> OursAgainstOursAsync(long bulk, int pings)
    {
        await using var a = new RtcPeerConnection(Config());
        await using var b = new RtcPeerConnection(Config());
        var remote = new TaskCompletionSource<RtcDataChannel>(TaskCreationOptions.RunContinuationsAsynchronously);
        b.DataChannelReceived += (_, e) => remote.TrySetResult(e.Channel);
        var start = Stopwatch.GetTimestamp();
        var ca = a.CreateDataChannel("bench");
        var offer = await a.CreateOfferAsync();
        await b.SetRemoteDescriptionAsync(offer);
        var answer = await b.CreateAnswerAsync();
        var answered = Stopwatch.GetTimestamp();
        await a.SetRemoteDescriptionAsync(answer);
        var cb = await remote.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Task.WhenAll(ca.WaitUntilOpenAsync(), cb.WaitUntilOpenAsync()).WaitAsync(TimeSpan.FromSeconds(30));
        var open = Stopwatch.GetTimestamp();

        // b echoes every message; a measures round trips.
        EventHandler<RtcDataChannelMessageEventArgs> echo = (_, e) => _ = cb.SendAsync(e.Message.Data);
        cb.MessageReceived += echo;
        var (p50, p99) = await PingAsync(ca, pings);
        cb.MessageReceived -= echo;

        double mb16 = await BulkToOursAsync(ca, cb, 16 * 1024, bulk);
        double mb1 = await BulkToOursAsync(ca, cb, 1024, bulk / 4);
        return new Result("ours ↔ ours", Ms(start, open), Ms(answered, open), p50, p99, mb16, mb1);
    }

    private static async Task<Result> OursAgainstNodeAsync(string stack, string name, long bulk, int pings)
    {
        await using var node = await NodeStack.StartPeerAsync(stack);
        await using var ours = new RtcPeerConnection(Config());
        var start = Stopwatch.GetTimestamp();
        var channel = ours.CreateDataChannel("bench");
        var offer = await ours.CreateOfferAsync();
        await node.SendAsync(new { cmd = "answer", sdp = offer.Sdp, channels = Array.Empty<object>() });
        var answer = await node.WaitForAsync("answer");
        var answered = Stopwatch.GetTimestamp();
        await ours.SetRemoteDescriptionAsync(new RtcSessionDescription(RtcSdpType.Answer, (string)answer["sdp"]!));
        await channel.WaitUntilOpenAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await node.WaitForAsync("channel");
        var open = Stopwatch.GetTimestamp();

        var (p50, p99) = await PingAsync(channel, pings);
        double mb16 = await BulkToNodeAsync(channel, node, 16 * 1024, bulk);
        double mb1 = await BulkToNodeAsync(channel, node, 1024, bulk / 4);
        return new Result(name, Ms(start, open), Ms(answered, open), p50, p99, mb16, mb1);
    }

    private static async Task<Result> NativeSelfAsync(string stack, string name, long bulk, int pings)
    {
        var r = await NodeStack.SelfBenchAsync(stack, bulk, pings);
        return new Result(name, (double)r["offerToOpenMs"]!, (double)r["answerToOpenMs"]!, (double)r["rttP50Us"]!, (double)r["rttP99Us"]!, (double)r["mbps16k"]!, (double)r["mbps1k"]!);
    }

    /// <summary>Sequential round trips of 100-byte binary messages (the far side echoes); 50 warm-ups first.</summary>
    private static async Task<(double P50, double P99)> PingAsync(RtcDataChannel channel, int pings)
    {
        await using var replies = channel.ReadMessagesAsync().GetAsyncEnumerator();
        var payload = new byte[100];
        var rtts = new double[pings];
        for (int i = -50; i < pings; i++)
        {
            long t = Stopwatch.GetTimestamp();
            await channel.SendAsync(payload);
            if (!await replies.MoveNextAsync())
            {
                throw new InvalidOperationException("The channel closed during the round-trip test.");
            }

            if (i >= 0)
            {
                rtts[i] = Stopwatch.GetElapsedTime(t).TotalMicroseconds;
            }
        }

        Array.Sort(rtts);
        return (rtts[pings / 2], rtts[Math.Min(pings - 1, (int)(pings * 0.99))]);
    }

    private static async Task<double> BulkToOursAsync(RtcDataChannel sender, RtcDataChannel receiver, int size, long total)
    {
        long received = 0;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        EventHandler<RtcDataChannelMessageEventArgs> count = (_, e) =>
        {
            if ((received += e.Message.Data.Length) >= total)
            {
                done.TrySetResult();
            }
        };
        receiver.MessageReceived += count;
        var chunk = new byte[size];
        long start = Stopwatch.GetTimestamp();
        for (long sent = 0; sent < total; sent += size)
        {
            await sender.SendAsync(chunk);
        }

        await done.Task.WaitAsync(TimeSpan.FromMinutes(5));
        receiver.MessageReceived -= count;
        return total / 1e6 / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private static async Task<double> BulkToNodeAsync(RtcDataChannel sender, NodeStack node, int size, long total)
    {
        await node.SendAsync(new { cmd = "expect", label = sender.Label, bytes = total });
        await node.WaitForAsync("expecting");
        var chunk = new byte[size];
        long start = Stopwatch.GetTimestamp();
        for (long sent = 0; sent < total; sent += size)
        {
            await sender.SendAsync(chunk);
        }

        await node.WaitForAsync("counted");
        return total / 1e6 / Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    private static double Ms(long from, long to) => Stopwatch.GetElapsedTime(from, to).TotalMilliseconds;
}
