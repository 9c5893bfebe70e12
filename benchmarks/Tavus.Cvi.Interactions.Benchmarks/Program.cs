using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

// Short in-process jobs by default: the reference machine has 2 cores shared with other work, and each case needs
// only a few seconds. Pass BenchmarkDotNet's own arguments (--filter, --job ...) to change that.
var config = DefaultConfig.Instance
    .AddJob(Job.Default
        .WithToolchain(InProcessEmitToolchain.Instance)
        .WithLaunchCount(1)
        .WithWarmupCount(2)
        .WithIterationCount(10)
        .WithIterationTime(TimeInterval.FromMilliseconds(120))
        .AsDefault())
    .WithOptions(ConfigOptions.JoinSummary);
if (args is ["--paired-codec", ..])
{
    Tavus.Cvi.Interactions.Benchmarks.Codec.PairedCodecRun.Run();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
