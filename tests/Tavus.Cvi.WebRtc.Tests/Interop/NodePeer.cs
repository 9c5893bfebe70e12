using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Tavus.Cvi.WebRtc.Tests.Interop;

/// <summary>
/// A native WebRTC stack (libwebrtc through @roamhq/wrtc, libdatachannel through node-datachannel) run by
/// <c>interop/peer.js</c> and driven over JSON lines on stdin/stdout.
/// </summary>
internal sealed class NodePeer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<JsonObject> _events = Channel.CreateUnbounded<JsonObject>();
    private readonly List<JsonObject> _seen = [];
    private readonly List<string> _stderr = [];

    private NodePeer(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { Length: > 0 } line && line.StartsWith('{'))
            {
                _events.Writer.TryWrite(JsonNode.Parse(line)!.AsObject());
            }
        };
        _process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (_stderr) { _stderr.Add(e.Data); }
            }
        };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public static string InteropDirectory { get; } = FindInteropDirectory();

    /// <summary>The npm package each stack needs.</summary>
    public static string PackageOf(string stack) => stack switch
    {
        "wrtc" => "@roamhq/wrtc",
        "ndc" => "node-datachannel",
        "chromium" => "playwright-core",
        _ => throw new ArgumentOutOfRangeException(nameof(stack)),
    };

    /// <summary>Why the stack cannot run here, or null when it can.</summary>
    public static string? Unavailable(string stack)
    {
        if (FindOnPath("node") is null)
        {
            return "node is not installed (run scripts/install-interop-peers.sh)";
        }

        if (stack == "chromium" && FindOnPath("chromium") is null)
        {
            return "Debian package chromium is not installed (run scripts/install-interop-peers.sh)";
        }

        string package = Path.Combine(InteropDirectory, "node_modules", PackageOf(stack));
        return Directory.Exists(package) ? null : $"npm package {PackageOf(stack)} is missing in {InteropDirectory} (run scripts/install-interop-peers.sh)";
    }

    /// <summary>Skips the test locally, fails it when CVI_REQUIRE_INTEROP=1 (CI).</summary>
    public static void RequireAvailable(string? reason)
    {
        if (reason is null)
        {
            return;
        }

        if (Environment.GetEnvironmentVariable("CVI_REQUIRE_INTEROP") == "1")
        {
            throw new InvalidOperationException("Interop peer required but unavailable: " + reason);
        }

        Assert.Skip(reason);
    }

    public static async Task<NodePeer> StartAsync(string stack)
    {
        var psi = new ProcessStartInfo(FindOnPath("node")!, stack == "chromium" ? ["chromium.js"] : ["peer.js", stack])
        {
            WorkingDirectory = InteropDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (stack == "chromium" && FindOnPath("chromium") is { } chromium)
        {
            psi.Environment["CHROMIUM_PATH"] = chromium;
        }

        var peer = new NodePeer(Process.Start(psi)!);
        await peer.WaitForAsync("ready", timeout: TimeSpan.FromSeconds(60));
        return peer;
    }

    public IReadOnlyList<JsonObject> Seen { get { lock (_seen) { return [.. _seen]; } } }

    public async Task SendAsync(object command)
    {
        await _process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(command));
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Waits for an event of <paramref name="type"/> matching <paramref name="predicate"/>; fails on an error event.</summary>
    public async Task<JsonObject> WaitForAsync(string type, Func<JsonObject, bool>? predicate = null, TimeSpan? timeout = null)
    {
        lock (_seen)
        {
            var earlier = _seen.FirstOrDefault(e => (string?)e["type"] == type && (predicate?.Invoke(e) ?? true));
            if (earlier is not null)
            {
                _seen.Remove(earlier);
                return earlier;
            }
        }

        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        try
        {
            while (true)
            {
                var e = await _events.Reader.ReadAsync(cts.Token);
                if ((string?)e["type"] == "error")
                {
                    throw new InvalidOperationException("node peer error: " + (string?)e["message"]);
                }

                if ((string?)e["type"] == type && (predicate?.Invoke(e) ?? true))
                {
                    return e;
                }

                lock (_seen) { _seen.Add(e); }
            }
        }
        catch (OperationCanceledException)
        {
            string stderr;
            lock (_stderr) { stderr = string.Join('\n', _stderr.TakeLast(20)); }
            throw new TimeoutException($"node peer: no '{type}' event in time. Seen: {string.Join(", ", Seen.Select(s => s.ToJsonString()))}. stderr: {stderr}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                await SendAsync(new { cmd = "exit" });
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _process.WaitForExitAsync(cts.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    /// <summary>The byte pattern peer.js generates: byte i of an N-byte binary message is (i*7 + N) &amp; 0xff.</summary>
    public static byte[] BinaryPattern(int size)
    {
        var b = new byte[size];
        for (int i = 0; i < size; i++)
        {
            b[i] = (byte)((i * 7) + size);
        }

        return b;
    }

    /// <summary>The text pattern peer.js generates: character i is 'a' + (i + N) % 26.</summary>
    public static string TextPattern(int size) => string.Create(size, size, (span, n) =>
    {
        for (int i = 0; i < span.Length; i++)
        {
            span[i] = (char)('a' + ((i + n) % 26));
        }
    });

    internal static string? FindOnPath(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static string FindInteropDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "tests", "Tavus.Cvi.WebRtc.Tests", "interop");
            if (File.Exists(Path.Combine(candidate, "peer.js")))
            {
                return candidate;
            }
        }

        return Path.Combine(AppContext.BaseDirectory, "interop");
    }
}
