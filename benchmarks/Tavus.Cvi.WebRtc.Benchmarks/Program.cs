using BenchmarkDotNet.Running;
using Tavus.Cvi.WebRtc.Benchmarks;

// `datachannel` runs the side-by-side loopback scenario (setup, round trip, bulk) against the native stacks;
// `setup` breaks connection setup down; anything else goes to BenchmarkDotNet (micro-benchmarks such as the SCTP ones).
if (args.Length > 0 && args[0] == "datachannel")
{
    return await DataChannelBenchmark.RunAsync(args[1..]);
}

// `setup` breaks ours ↔ ours answer → open down by milestone (ICE, DTLS, SCTP, channel open).
if (args.Length > 0 && args[0] == "setup")
{
    return await SetupBreakdown.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "datachannel-profile")
{
    return await DataChannelProfile.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "datachannel-setup-trace")
{
    return await SetupTrace.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(DataChannelBenchmark).Assembly).Run(args);
return 0;
