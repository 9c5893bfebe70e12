using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Tavus.Cvi.WebRtc.Benchmarks;

/// <summary>Runs the interop folder's node scripts (peer.js over JSON lines, bench.js one-shot).</summary>
internal sealed class NodeStack : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<JsonObject> _events = Channel.CreateUnbounded<JsonObject>();

    private NodeStack(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line && line.StartsWith('{'))
            {
                _events.Writer.TryWrite(JsonNode.Parse(line)!.AsObject());
            }
        };
        _process.BeginOutputReadLine();
    }

    public static string? InteropDirectory { get; } = Find();

    public static bool Has(string package) =>
        InteropDirectory is not null && Directory.Exists(Path.Combine(InteropDirectory, "node_modules", package));

    public static async Task<NodeStack> StartPeerAsync(string stack)
    {
        var psi = new ProcessStartInfo("node", ["peer.js", stack])
        {
            WorkingDirectory = InteropDirectory!,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        var node = new NodeStack(Process.Start(psi)!);
        await node.WaitForAsync("ready");
        return node;
    }

    /// <summary>Runs bench.js for one stack against itself and returns its JSON line.</summary>
    public static async Task<JsonObject> SelfBenchAsync(string stack, long bulkBytes, int pings)
    {
        var psi = new ProcessStartInfo("node", ["bench.js", stack, bulkBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), pings.ToString(System.Globalization.CultureInfo.InvariantCulture)])
        {
            WorkingDirectory = InteropDirectory!,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(psi)!;
        string output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith('{')) ?? throw new InvalidOperationException($"bench.js {stack} printed no result");
        return JsonNode.Parse(line)!.AsObject();
    }

    public async Task SendAsync(object command)
    {
        await _process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(command));
        await _process.StandardInput.FlushAsync();
    }

    public async Task<JsonObject> WaitForAsync(string type)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        while (true)
        {
            var e = await _events.Reader.ReadAsync(cts.Token);
            if ((string?)e["type"] == type)
            {
                return e;
            }

            if ((string?)e["type"] == "error")
            {
                throw new InvalidOperationException((string?)e["message"]);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await SendAsync(new { cmd = "exit" });
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            _process.Kill(true);
        }

        _process.Dispose();
    }

    private static string? Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "Tavus.Cvi.WebRtc.Tests", "interop");
            if (File.Exists(Path.Combine(candidate, "bench.js")))
            {
                return candidate;
            }
        }

        return null;
    }
}
