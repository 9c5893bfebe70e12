using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Tavus.Cvi.WebRtc.Peer;

namespace Tavus.Cvi.WebRtc.Benchmarks;

/// <summary>
/// Where answer → open goes, ours against ours on loopback: each peer gets a logger that only records when the
/// stack's own milestone log events fire (remote description applied, ICE pair selected, DTLS connected, SCTP
/// established, data channel open), so the production code carries no stopwatch. Times are milliseconds after the
/// answer exists (the point where the <c>datachannel</c> benchmark starts its answer → open clock); each cell is the
/// median over <c>--runs</c> connections after one warm-up.
/// </summary>
internal static class SetupBreakdown
{
    // Event ids of Diagnostics/Log.*.cs: 4301 remote description applied, 4001 ICE selected pair, 4100 DTLS
    // handshake complete, 4401 SCTP association established, 4480 data channel opened.
    private static readonly (int Id, string Name)[] Milestones =
    [
        (4301, "remote applied"),
        (4001, "ICE selected"),
        (4100, "DTLS connected"),
        (4401, "SCTP established"),
        (4480, "channel open"),
    ];

    /// <summary>With <c>--interfaces</c>, both peers also advertise the machine's interface addresses (several pairs).</summary>
    private static bool s_interfaces;

    public static async Task<int> RunAsync(string[] args)
    {
        int i = Array.IndexOf(args, "--runs");
        int runs = i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : 20;
        int j = Array.IndexOf(args, "--against");
        string? stack = j >= 0 && j + 1 < args.Length ? args[j + 1] : null;
        MilestoneLoggerFactory.Trace = args.Contains("--trace");
        s_interfaces = args.Contains("--interfaces");
        var samples = new Dictionary<string, List<double>>();
        for (int run = -1; run < runs; run++)
        {
            var marks = stack is null ? await OneAsync() : await AgainstNodeAsync(stack);
            if (run < 0)
            {
                continue;
            }

            foreach (var (key, ms) in marks)
            {
                if (!samples.TryGetValue(key, out var list))
                {
                    samples[key] = list = [];
                }

                list.Add(ms);
            }
        }

        Console.WriteLine(stack is null
            ? "| milestone (ms after the answer exists) | offerer (a) | answerer (b) |"
            : $"| milestone (ms after the answer exists) | ours, offerer (a) against {stack} | |");
        Console.WriteLine("|---|---|---|");
        foreach (var (_, name) in Milestones)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {name} | {Cell(samples, "a " + name)} | {Cell(samples, "b " + name)} |"));
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| both channels open (benchmark clock) | {Cell(samples, "open")} | |"));
        return 0;
    }

    private static string Cell(Dictionary<string, List<double>> samples, string key)
    {
        if (!samples.TryGetValue(key, out var list) || list.Count == 0)
        {
            return "-";
        }

        list.Sort();
        return string.Create(CultureInfo.InvariantCulture, $"{list[list.Count / 2]:F2}");
    }

    private static async Task<List<(string Key, double Ms)>> OneAsync()
    {
        using var logA = new MilestoneLoggerFactory();
        using var logB = new MilestoneLoggerFactory();
        var config = (MilestoneLoggerFactory log) => new RtcConfiguration { IncludeInterfaceCandidates = s_interfaces, LoggerFactory = log };
        await using var a = new RtcPeerConnection(config(logA));
        await using var b = new RtcPeerConnection(config(logB));
        var remote = new TaskCompletionSource<RtcDataChannel>(TaskCreationOptions.RunContinuationsAsynchronously);
        b.DataChannelReceived += (_, e) => remote.TrySetResult(e.Channel);
        var ca = a.CreateDataChannel("bench");
        var offer = await a.CreateOfferAsync();
        await b.SetRemoteDescriptionAsync(offer);
        var answer = await b.CreateAnswerAsync();
        long answered = Stopwatch.GetTimestamp();
        await a.SetRemoteDescriptionAsync(answer);
        var cb = await remote.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Task.WhenAll(ca.WaitUntilOpenAsync(), cb.WaitUntilOpenAsync()).WaitAsync(TimeSpan.FromSeconds(30));
        long open = Stopwatch.GetTimestamp();

        var marks = new List<(string, double)> { ("open", Stopwatch.GetElapsedTime(answered, open).TotalMilliseconds) };
        foreach (var (side, log) in new[] { ("a", logA), ("b", logB) })
        {
            foreach (var (id, name) in Milestones)
            {
                // The last occurrence: b applies the offer before the answer exists, a applies the answer after.
                if (log.Last(id) is { } t && t >= answered)
                {
                    marks.Add(($"{side} {name}", Stopwatch.GetElapsedTime(answered, t).TotalMilliseconds));
                }
            }
        }

        return marks;
    }

    /// <summary>Ours as the offerer against a native stack (<c>wrtc</c> or <c>ndc</c>) answering.</summary>
    private static async Task<List<(string Key, double Ms)>> AgainstNodeAsync(string stack)
    {
        using var log = new MilestoneLoggerFactory();
        await using var node = await NodeStack.StartPeerAsync(stack);
        await using var ours = new RtcPeerConnection(new RtcConfiguration { IncludeInterfaceCandidates = false, LoggerFactory = log });
        var channel = ours.CreateDataChannel("bench");
        var offer = await ours.CreateOfferAsync();
        await node.SendAsync(new { cmd = "answer", sdp = offer.Sdp, channels = Array.Empty<object>() });
        var answer = await node.WaitForAsync("answer");
        long answered = Stopwatch.GetTimestamp();
        await ours.SetRemoteDescriptionAsync(new RtcSessionDescription(RtcSdpType.Answer, (string)answer["sdp"]!));
        await channel.WaitUntilOpenAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await node.WaitForAsync("channel");
        long open = Stopwatch.GetTimestamp();
        var marks = new List<(string, double)> { ("open", Stopwatch.GetElapsedTime(answered, open).TotalMilliseconds) };
        foreach (var (id, name) in Milestones)
        {
            if (log.Last(id) is { } t && t >= answered)
            {
                marks.Add(($"a {name}", Stopwatch.GetElapsedTime(answered, t).TotalMilliseconds));
            }
        }

        Console.Error.WriteLine($"dtls role {ours.GetType().Name}: open after {marks[0].Item2:F1} ms");
        return marks;
    }

    /// <summary>Records the time of the last occurrence of each log event id; formats nothing.</summary>
    private sealed class MilestoneLoggerFactory : ILoggerFactory, ILogger
    {
        /// <summary>With <c>--trace</c>, every Debug+ message is also written to stderr with its timestamp.</summary>
        public static bool Trace { get; set; }

        private readonly ConcurrentDictionary<int, long> _last = new();

        public long? Last(int eventId) => _last.TryGetValue(eventId, out long t) ? t : null;

        public ILogger CreateLogger(string categoryName) => this;

        public void AddProvider(ILoggerProvider provider)
        {
        }

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            long now = Stopwatch.GetTimestamp();
            _last[eventId.Id] = now;
            if (Trace)
            {
                Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{now / (Stopwatch.Frequency / 1e6):F0} µs [{eventId.Id}] {formatter(state, exception)}"));
            }
        }

        public void Dispose()
        {
        }
    }
}
