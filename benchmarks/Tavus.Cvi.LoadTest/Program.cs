// The live-path load program: interaction round-trip latency and idle-session capacity of the SDK through the
// emulator (in a child process), each side by side with a raw ClientWebSocket baseline in the same run.
//   dotnet run -c Release --project benchmarks/Tavus.Cvi.LoadTest -- [--iterations 2000] [--sessions 10000] [--budget 120]
//   ... -- --p2p-latency [--iterations 500] [--warmup 50]: a peer-to-peer room (data channel) next to an SFU room (relay).
using System.Globalization;
using Tavus.Cvi.LoadTest;

if (args is ["--serve-emulator", var max])
{
    return await EmulatorProcess.ServeAsync(int.Parse(max, CultureInfo.InvariantCulture));
}

if (args is ["--idle-child", var kind, var count, var seconds, var width])
{
    // One idle run in a fresh process, so its working-set delta is its own (memory a previous run freed is not
    // returned to the OS, which would skew a second run in the same process).
    return await IdleRun.RunChildAsync(kind, int.Parse(count, CultureInfo.InvariantCulture),
        TimeSpan.FromSeconds(int.Parse(seconds, CultureInfo.InvariantCulture)), int.Parse(width, CultureInfo.InvariantCulture));
}

if (args.Contains("--p2p-latency"))
{
    using var p2pCancel = new CancellationTokenSource(TimeSpan.FromMinutes(10));
    var p2pIterations = IntArg("--iterations", 500);
    var p2pWarmup = IntArg("--warmup", 50);
    Console.WriteLine($"Peer-to-peer latency: {p2pIterations} round trips each (after {p2pWarmup} warm-up), P2P and SFU alternating, in-process emulator...");
    var p2p = await PeerToPeerLatencyRun.RunAsync(p2pIterations, p2pWarmup, p2pCancel.Token);
    Console.WriteLine("| respond → user utterance (ms) | peer-to-peer room (data channel) | SFU room (signaling relay) |");
    Console.WriteLine("|---|---:|---:|");
    foreach (var p in new[] { 50.0, 90.0, 99.0 })
    {
        Console.WriteLine($"| p{p:0} | {Stats.Ms(Stats.Percentile(p2p.PeerMs, p))} | {Stats.Ms(Stats.Percentile(p2p.SfuMs, p))} |");
    }

    Console.WriteLine($"| max | {Stats.Ms(p2p.PeerMs[^1])} | {Stats.Ms(p2p.SfuMs[^1])} |");
    return 0;
}

var iterations = IntArg("--iterations", 2000);
var warmup = IntArg("--warmup", 200);
var sessions = IntArg("--sessions", 10_000);
var budget = TimeSpan.FromSeconds(IntArg("--budget", 120));
var parallelism = IntArg("--parallelism", 16);
var skipIdle = args.Contains("--skip-idle");
var skipLatency = args.Contains("--skip-latency");
using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(15));

Console.WriteLine($"Tavus.Cvi.LoadTest: {Environment.ProcessorCount} cores, .NET {Environment.Version}, server GC {System.Runtime.GCSettings.IsServerGC}");

LatencyRun.Result? latency = null;
if (!skipLatency)
{
    await using var emulator = await EmulatorProcess.StartAsync(100, cancel.Token);
    Console.WriteLine($"Latency: {iterations} round trips each (after {warmup} warm-up), SDK and baseline alternating...");
    latency = await LatencyRun.RunAsync(emulator, iterations, warmup, cancel.Token);
}

IdleRun.Result? sdkIdle = null;
IdleRun.Result? rawIdle = null;
if (!skipIdle)
{
    Console.WriteLine($"Idle sessions: up to {sessions} CviSessions (budget {budget.TotalSeconds:0} s, {parallelism} joining at once), in a fresh process...");
    sdkIdle = await IdleRun.RunInChildAsync("sdk", sessions, budget, parallelism, cancel.Token);
    Console.WriteLine($"Idle baseline: up to {sessions} raw WebSocket clients, in a fresh process...");
    rawIdle = await IdleRun.RunInChildAsync("raw", sessions, budget, parallelism, cancel.Token);
}

Console.WriteLine();
Console.WriteLine("| measure | Tavus.Cvi.Interactions (CviSession, Daily transport) | baseline (raw ClientWebSocket) |");
Console.WriteLine("|---|---:|---:|");
if (latency is not null)
{
    foreach (var p in new[] { 50.0, 90.0, 99.0 })
    {
        Console.WriteLine($"| respond → user utterance p{p:0} (ms) | {Stats.Ms(Stats.Percentile(latency.SdkMs, p))} | {Stats.Ms(Stats.Percentile(latency.RawMs, p))} |");
    }

    Console.WriteLine($"| respond → user utterance max (ms) | {Stats.Ms(latency.SdkMs[^1])} | {Stats.Ms(latency.RawMs[^1])} |");
    Console.WriteLine($"| round trips measured | {latency.SdkMs.Length} | {latency.RawMs.Length} |");
}

if (sdkIdle is not null && rawIdle is not null)
{
    Console.WriteLine($"| idle sessions held (target {sessions}) | {sdkIdle.Held} ({sdkIdle.Connected} connected) | {rawIdle.Held} |");
    Console.WriteLine($"| time to create + join them (s) | {sdkIdle.RampSeconds:0.0} | {rawIdle.RampSeconds:0.0} |");
    Console.WriteLine($"| managed heap per idle session (KiB) | {sdkIdle.HeapBytesPerSession / 1024:0.0} | {rawIdle.HeapBytesPerSession / 1024:0.0} |");
    Console.WriteLine($"| working set per idle session (KiB) | {sdkIdle.WorkingSetBytesPerSession / 1024:0.0} | {rawIdle.WorkingSetBytesPerSession / 1024:0.0} |");
    if (sdkIdle.Failures + rawIdle.Failures > 0)
    {
        Console.WriteLine($"| failed joins | {sdkIdle.Failures} {sdkIdle.FirstFailure} | {rawIdle.Failures} {rawIdle.FirstFailure} |");
    }
}

return 0;

int IntArg(string name, int fallback)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? int.Parse(args[index + 1], CultureInfo.InvariantCulture) : fallback;
}
