using System.Diagnostics;
using Tavus.Cvi.Emulator;
using Tavus.Cvi.Emulator.Replica;

namespace Tavus.Cvi.LoadTest;

/// <summary>
/// The emulator in a child process (this same program with <c>--serve-emulator</c>), so the memory and threads measured
/// in this process are the client's alone. The child exits when its standard input closes, so it never outlives us.
/// </summary>
internal sealed class EmulatorProcess : IAsyncDisposable
{
    private readonly Process _process;

    private EmulatorProcess(Process process, Uri baseUri, string apiKey)
    {
        _process = process;
        BaseUri = baseUri;
        ApiKey = apiKey;
    }

    public Uri BaseUri { get; }

    public string ApiKey { get; }

    /// <summary>The replica for load runs: no greeting, no artificial delays, speech paced far faster than real time.</summary>
    public static EmulatorScenario LoadScenario { get; } = new()
    {
        Greeting = null,
        FallbackReply = "ok",
        Timings = new ScenarioTimings
        {
            ReplicaJoinDelay = TimeSpan.Zero,
            ReplyDelay = TimeSpan.Zero,
            ChunkInterval = TimeSpan.Zero,
            WordsPerChunk = 8,
            WordsPerSecond = 10_000,
        },
    };

    public static async Task<EmulatorProcess> StartAsync(int maxConversations, CancellationToken cancellationToken)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        var start = new ProcessStartInfo(self)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(EmulatorProcess).Assembly.Location);
        }

        start.ArgumentList.Add("--serve-emulator");
        start.ArgumentList.Add(maxConversations.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the emulator process.");
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync(cancellationToken)
                ?? throw new InvalidOperationException("The emulator process exited before it was ready.");
            var parts = line.Split(' ');
            if (parts is ["READY", var uri, var key])
            {
                return new EmulatorProcess(process, new Uri(uri), key);
            }
        }
    }

    /// <summary>The child's side: run an emulator until standard input closes.</summary>
    public static async Task<int> ServeAsync(int maxConversations)
    {
        await using var emulator = await CviEmulator.StartAsync(new CviEmulatorOptions
        {
            MaxConcurrentConversations = maxConversations,
            Scenario = LoadScenario,
            RelayLogCapacity = 0,
        });
        Console.WriteLine($"READY {emulator.BaseUri} {emulator.ApiKey}");
        await Console.In.ReadToEndAsync();
        return 0;
    }

    public long WorkingSetBytes()
    {
        _process.Refresh();
        return _process.WorkingSet64;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.StandardInput.Close();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
        }

        _process.Dispose();
    }
}
