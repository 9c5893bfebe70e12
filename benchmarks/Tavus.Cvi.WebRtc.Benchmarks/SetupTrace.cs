using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Tavus.Cvi.WebRtc.Peer;

namespace Tavus.Cvi.WebRtc.Benchmarks;

/// <summary>
/// <c>datachannel-setup-trace wrtc|ndc [runs]</c>: connects our peer (offerer) to a native stack and prints our
/// Debug log with milliseconds since the offer, to see where a slow setup waits.
/// </summary>
internal static class SetupTrace
{
    public static async Task<int> RunAsync(string[] args)
    {
        string stack = args.Length > 0 ? args[0] : "ndc";
        int runs = args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 3;
        for (int run = 0; run < runs; run++)
        {
            var clock = Stopwatch.StartNew();
            using var factory = LoggerFactory.Create(b => b.SetMinimumLevel(LogLevel.Debug).AddProvider(new Provider(clock)));
            await using var node = await NodeStack.StartPeerAsync(stack);
            await using var ours = new RtcPeerConnection(new RtcConfiguration { IncludeInterfaceCandidates = false, LoggerFactory = factory });
            var channel = ours.CreateDataChannel("trace");
            clock.Restart();
            await node.SendAsync(new { cmd = "answer", sdp = (await ours.CreateOfferAsync()).Sdp, channels = Array.Empty<object>() });
            var answer = await node.WaitForAsync("answer");
            await ours.SetRemoteDescriptionAsync(new RtcSessionDescription(RtcSdpType.Answer, (string)answer["sdp"]!));
            await channel.WaitUntilOpenAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await node.WaitForAsync("channel");
            Console.WriteLine($"--- run {run + 1}: open after {clock.Elapsed.TotalMilliseconds:F1} ms");
        }

        return 0;
    }

    private sealed class Provider(Stopwatch clock) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new Logger(clock, categoryName);

        public void Dispose()
        {
        }
    }

    private sealed class Logger(Stopwatch clock, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Console.WriteLine($"{clock.Elapsed.TotalMilliseconds,8:F1} {category[(category.LastIndexOf('.') + 1)..],-16} {formatter(state, exception)}");
    }
}
