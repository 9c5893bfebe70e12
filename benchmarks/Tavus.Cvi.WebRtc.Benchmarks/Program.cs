using BenchmarkDotNet.Running;
using Tavus.Cvi.WebRtc.Benchmarks;

// `datachannel` runs the side-by-side loopback scenario (setup, round trip, bulk) against the native stacks;
// anything else goes to BenchmarkDotNet (micro-benchmarks such as the SCTP ones).
if (args.Length > 0 && args[0] == "datachannel")
{
    return await DataChannelBenchmark.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "datachannel-profile")
{
    return await DataChannelProfile.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(DataChannelBenchmark).Assembly).Run(args);
return 0;
