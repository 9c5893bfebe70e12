using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Tavus.Cvi.Emulator;
using Tavus.Cvi.Emulator.LoadTest;

// Load run for the emulator: ramps up conversations, each with an active replica and two raw WebSocket clients.
// Client A sends a stamped app message every --interval-ms (every --respond-every-th is a conversation.respond, so
// the replica speaks a streamed turn); client B records the relay latency A→emulator→B of every stamped message.
// A step fails when p99 exceeds --max-p99-ms or a socket drops; the run stops at the first failing step.
//
//   dotnet run -c Release --project benchmarks/Tavus.Cvi.Emulator.LoadTest -- [--emulator http://127.0.0.1:5123/ --api-key KEY [--emulator-pid PID]]
//       [--steps 25,50,100,200,400] [--step-seconds 10] [--interval-ms 500] [--respond-every 4] [--max-p99-ms 250]
var settings = new Dictionary<string, string>(StringComparer.Ordinal)
{
    ["--steps"] = "25,50,100,200,400",
    ["--step-seconds"] = "10",
    ["--warmup-seconds"] = "2",
    ["--interval-ms"] = "500",
    ["--respond-every"] = "4",
    ["--max-p99-ms"] = "250",
};
for (int i = 0; i + 1 < args.Length; i += 2)
{
    settings[args[i]] = args[i + 1];
}

int[] steps = settings["--steps"].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
TimeSpan stepDuration = TimeSpan.FromSeconds(double.Parse(settings["--step-seconds"], CultureInfo.InvariantCulture));
TimeSpan warmup = TimeSpan.FromSeconds(double.Parse(settings["--warmup-seconds"], CultureInfo.InvariantCulture));
TimeSpan interval = TimeSpan.FromMilliseconds(double.Parse(settings["--interval-ms"], CultureInfo.InvariantCulture));
int respondEvery = int.Parse(settings["--respond-every"], CultureInfo.InvariantCulture);
double maxP99 = double.Parse(settings["--max-p99-ms"], CultureInfo.InvariantCulture);

CviEmulator? inProcess = null;
Uri baseUri;
string apiKey;
if (settings.TryGetValue("--emulator", out string? url))
{
    baseUri = new Uri(url.TrimEnd('/') + "/");
    apiKey = settings.GetValueOrDefault("--api-key") ?? throw new ArgumentException("--api-key is required with --emulator");
    Console.WriteLine($"Emulator: external process at {baseUri}");
}
else
{
    inProcess = await CviEmulator.StartAsync(new CviEmulatorOptions { MaxConcurrentConversations = int.MaxValue, RelayLogCapacity = 0 });
    baseUri = inProcess.BaseUri;
    apiKey = inProcess.ApiKey;
    Console.WriteLine($"Emulator: in-process at {baseUri} (clients and server share the CPU)");
}

Console.WriteLine($"Machine: {Environment.ProcessorCount} logical CPUs, .NET {Environment.Version}");
Console.WriteLine($"Per conversation: 1 replica + 2 clients; A sends every {interval.TotalMilliseconds} ms, every {respondEvery}th is conversation.respond");

using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { Timeout = TimeSpan.FromSeconds(60) };
http.DefaultRequestHeaders.Add("x-api-key", apiKey);
var stats = new Stats();
var rooms = new List<(string Id, LoadClient A, LoadClient B)>();
var results = new List<string>();
using var stop = new CancellationTokenSource();
var traffic = new List<Task>();

foreach (int target in steps)
{
    var setup = Stopwatch.StartNew();
    try
    {
        using var setupCts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var pending = new List<Task<(string, LoadClient, LoadClient)>>();
        for (int i = rooms.Count; i < target; i++)
        {
            pending.Add(CreateRoomAsync(setupCts.Token));
            if (pending.Count == 16)
            {
                rooms.AddRange(await Task.WhenAll(pending));
                pending.Clear();
            }
        }

        rooms.AddRange(await Task.WhenAll(pending));
        setup.Stop();
    }
    catch (Exception ex)
    {
        Console.WriteLine($"{target,5} conversations: setup failed after {rooms.Count}: {ex.GetType().Name}: {ex.Message}");
        results.Add($"| {target} | setup failed at {rooms.Count} conversations | | | | | | |");
        break;
    }

    for (int i = traffic.Count; i < rooms.Count; i++)
    {
        (string id, LoadClient a, _) = rooms[i];
        TimeSpan offset = interval * ((double)i / Math.Max(1, rooms.Count));
        traffic.Add(Task.Run(() => DriveAsync(id, a, offset, stop.Token)));
    }

    await Task.Delay(warmup);
    stats.Reset();
    var measure = Stopwatch.StartNew();
    double cpuBefore = EmulatorCpuSeconds();
    double selfBefore = CpuSeconds(Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
    await Task.Delay(stepDuration);
    double seconds = measure.Elapsed.TotalSeconds;
    double cpuPercent = (EmulatorCpuSeconds() - cpuBefore) / seconds * 100;
    double selfPercent = (CpuSeconds(Environment.ProcessId.ToString(CultureInfo.InvariantCulture)) - selfBefore) / seconds * 100;
    (int count, double p50, double p90, double p99, double max) = stats.Percentiles();
    long disconnects = Interlocked.Read(ref stats.Disconnects);
    string line = string.Create(CultureInfo.InvariantCulture,
        $"| {target} | {stats.Sent / seconds:F0} | {stats.Received / seconds:F0} | {stats.ReplicaTurns / 2 / seconds:F1} | {p50:F2} | {p90:F2} | {p99:F2} | {max:F1} | {disconnects} | {(double.IsNaN(cpuPercent) ? "n/a" : cpuPercent.ToString("F0", CultureInfo.InvariantCulture) + "%")} | {selfPercent:F0}% |");
    results.Add(line);
    Console.WriteLine($"{target,5} conversations (setup {setup.Elapsed.TotalSeconds:F1}s): sent {stats.Sent / seconds:F0}/s, frames received {stats.Received / seconds:F0}/s, " +
        string.Create(CultureInfo.InvariantCulture, $"replica turns {stats.ReplicaTurns / 2 / seconds:F1}/s, relay latency ms p50 {p50:F2} p90 {p90:F2} p99 {p99:F2} max {max:F1} ({count} samples), drops {disconnects}, emulator CPU {cpuPercent:F0}%, load generator CPU {selfPercent:F0}%"));
    if (p99 > maxP99 || disconnects > 0 || count == 0)
    {
        Console.WriteLine($"Stopping: {(disconnects > 0 ? "sockets dropped" : count == 0 ? "no samples" : $"p99 above {maxP99} ms")}.");
        break;
    }
}

await stop.CancelAsync();
await Task.WhenAll(traffic);
Console.WriteLine();
Console.WriteLine("| conversations | app msgs sent/s | frames received/s | replica turns/s | p50 ms | p90 ms | p99 ms | max ms | drops | emulator CPU | load-gen CPU |");
Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
results.ForEach(Console.WriteLine);
foreach ((_, LoadClient a, LoadClient b) in rooms)
{
    await a.DisposeAsync();
    await b.DisposeAsync();
}

if (inProcess is not null)
{
    await inProcess.DisposeAsync();
}

return 0;

// CPU seconds (user + system) of the emulator process, from /proc (Linux); NaN when unknown.
double EmulatorCpuSeconds() =>
    CpuSeconds(inProcess is not null ? Environment.ProcessId.ToString(CultureInfo.InvariantCulture) : settings.GetValueOrDefault("--emulator-pid"));

double CpuSeconds(string? pid)
{
    try
    {
        if (pid is null || !File.Exists($"/proc/{pid}/stat"))
        {
            return double.NaN;
        }

        string[] fields = File.ReadAllText($"/proc/{pid}/stat").Split(')')[1].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // After the command name: state is field 3, utime 14 and stime 15 (proc(5)); in clock ticks of 1/100 s.
        return (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / 100.0;
    }
    catch (IOException)
    {
        return double.NaN;
    }
}

async Task<(string, LoadClient, LoadClient)> CreateRoomAsync(CancellationToken ct)
{
    using HttpResponseMessage created = await http.PostAsJsonAsync(new Uri(baseUri, "v2/conversations"), new JsonObject { ["conversation_name"] = "load" }, ct);
    created.EnsureSuccessStatusCode();
    string id = (await created.Content.ReadFromJsonAsync<JsonObject>(ct))!["conversation_id"]!.GetValue<string>();
    LoadClient a = await LoadClient.JoinAsync(http, baseUri, id, stats, ct);
    LoadClient b = await LoadClient.JoinAsync(http, baseUri, id, stats, ct);
    return (id, a, b);
}

async Task DriveAsync(string id, LoadClient a, TimeSpan offset, CancellationToken ct)
{
    try
    {
        await Task.Delay(offset, ct);
        using var timer = new PeriodicTimer(interval);
        int n = 0;
        do
        {
            await a.SendStampedAsync(id, ++n % respondEvery == 0, ct);
        }
        while (await timer.WaitForNextTickAsync(ct));
    }
    catch (Exception ex) when (ex is OperationCanceledException or System.Net.WebSockets.WebSocketException or ObjectDisposedException)
    {
    }
}
