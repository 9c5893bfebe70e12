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
if (args is ["--paired-codec", .. var rest])
{
    // "--paired-codec [decode|encode] [rounds] [ms per round]": one operation only, for a quicker look while working;
    // many short rounds (say 300 of 1 ms) find the uncontended speed of each when other work shares the cores.
    var op = rest.FirstOrDefault(a => a is "decode" or "encode");
    var numbers = rest.Select(a => int.TryParse(a, out var n) ? n : 0).Where(n => n > 0).ToArray();
    Tavus.Cvi.Interactions.Benchmarks.Codec.PairedCodecRun.Run(numbers.Length > 0 ? numbers[0] : 15, op, numbers.Length > 1 ? numbers[1] : 20);
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
