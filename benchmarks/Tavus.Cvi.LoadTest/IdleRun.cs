using System.Diagnostics;
using System.Globalization;
using Tavus.Cvi.Interactions.Rest;
using Tavus.Cvi.Interactions.Session;
using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.LoadTest;

/// <summary>
/// How many idle sessions one process holds, and what each costs: conversations are created and joined (each a
/// <see cref="CviSession"/> over its own signaling WebSocket, heartbeats running) until the target or the time budget
/// is reached; after a settling pause the managed heap and the working set are compared with the empty process.
/// The baseline does the same with bare joined <see cref="System.Net.WebSockets.ClientWebSocket"/>s.
/// </summary>
internal static class IdleRun
{
    public sealed record Result(int Held, int Connected, double RampSeconds, double HeapBytesPerSession, double WorkingSetBytesPerSession, int Failures, string? FirstFailure);

    public static async Task<Result> RunSdkAsync(EmulatorProcess emulator, int target, TimeSpan budget, int parallelism, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = parallelism });
        using var tavus = new TavusClient(http, emulator.ApiKey, new TavusClientOptions { BaseUri = emulator.BaseUri });
        var options = new CviSessionOptions();
        options.Daily.Endpoints = Tavus.Cvi.Interactions.Daily.DailyEndpoints.ForEmulator(emulator.BaseUri);
        options.Daily.HttpClient = http; // one connection pool for every lookup, not one per session

        var sessions = new List<CviSession>(target);
        var (heapBefore, wsBefore) = Measure();
        var ramp = Stopwatch.StartNew();
        var failures = 0;
        string? firstFailure = null;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(budget);
        try
        {
            await Parallel.ForAsync(0, target, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = deadline.Token }, async (_, ct) =>
            {
                try
                {
                    var conversation = await tavus.CreateConversationAsync(new CreateConversationRequest(), ct);
                    var session = await CviSession.JoinAsync(conversation.ConversationUrl!.AbsoluteUri, conversation.ConversationId, options, ct);
                    lock (sessions)
                    {
                        sessions.Add(session);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    if (Interlocked.Increment(ref failures) == 1)
                    {
                        firstFailure = ex.GetType().Name + ": " + ex.Message;
                    }

                    if (failures > 100)
                    {
                        throw;
                    }
                }
            });
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            // The time budget ran out: measure what we hold.
        }
        catch (Exception ex) when (ex is CviException or HttpRequestException or TavusApiException)
        {
        }

        ramp.Stop();
        await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken); // idle: heartbeats only
        var (heapAfter, wsAfter) = Measure();
        var held = sessions.Count;
        var connected = sessions.Count(s => !s.HasEnded && s.ConnectionState == TransportState.Connected);

        await Parallel.ForEachAsync(sessions, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (s, _) => await s.DisposeAsync());
        return new Result(held, connected, ramp.Elapsed.TotalSeconds,
            held == 0 ? 0 : (heapAfter - heapBefore) / (double)held,
            held == 0 ? 0 : (wsAfter - wsBefore) / (double)held,
            failures, firstFailure);
    }

    public static async Task<Result> RunRawAsync(EmulatorProcess emulator, int target, TimeSpan budget, int parallelism, CancellationToken cancellationToken)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = parallelism });
        using var tavus = new TavusClient(http, emulator.ApiKey, new TavusClientOptions { BaseUri = emulator.BaseUri });
        var clients = new List<RawDailyClient>(target);
        var (heapBefore, wsBefore) = Measure();
        var ramp = Stopwatch.StartNew();
        var failures = 0;
        string? firstFailure = null;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(budget);
        try
        {
            await Parallel.ForAsync(0, target, new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = deadline.Token }, async (_, ct) =>
            {
                try
                {
                    var conversation = await tavus.CreateConversationAsync(new CreateConversationRequest(), ct);
                    var client = await RawDailyClient.JoinAsync(http, emulator.BaseUri, conversation.ConversationId, ct);
                    lock (clients)
                    {
                        clients.Add(client);
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    if (Interlocked.Increment(ref failures) == 1)
                    {
                        firstFailure = ex.GetType().Name + ": " + ex.Message;
                    }

                    if (failures > 100)
                    {
                        throw;
                    }
                }
            });
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception ex) when (ex is HttpRequestException or TavusApiException or System.Net.WebSockets.WebSocketException)
        {
        }

        ramp.Stop();
        await Task.Delay(TimeSpan.FromSeconds(5), cancellationToken);
        var (heapAfter, wsAfter) = Measure();
        var held = clients.Count;
        await Parallel.ForEachAsync(clients, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (c, _) => await c.DisposeAsync());
        return new Result(held, held, ramp.Elapsed.TotalSeconds,
            held == 0 ? 0 : (heapAfter - heapBefore) / (double)held,
            held == 0 ? 0 : (wsAfter - wsBefore) / (double)held,
            failures, firstFailure);
    }

    /// <summary>Runs one idle measurement in a child process (this program with <c>--idle-child</c>) and reads its result line.</summary>
    public static async Task<Result> RunInChildAsync(string kind, int target, TimeSpan budget, int parallelism, CancellationToken cancellationToken)
    {
        var self = Environment.ProcessPath ?? throw new InvalidOperationException("No process path.");
        var start = new ProcessStartInfo(self) { RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
        {
            start.ArgumentList.Add(typeof(IdleRun).Assembly.Location);
        }

        foreach (var arg in new[] { "--idle-child", kind, Invariant(target), Invariant((int)budget.TotalSeconds), Invariant(parallelism) })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the idle run.");
        Result? result = null;
        while (await process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.StartsWith("RESULT ", StringComparison.Ordinal))
            {
                var f = line.Split(' ', 8);
                result = new Result(int.Parse(f[1], CultureInfo.InvariantCulture), int.Parse(f[2], CultureInfo.InvariantCulture),
                    double.Parse(f[3], CultureInfo.InvariantCulture), double.Parse(f[4], CultureInfo.InvariantCulture),
                    double.Parse(f[5], CultureInfo.InvariantCulture), int.Parse(f[6], CultureInfo.InvariantCulture),
                    f.Length > 7 && f[7].Length > 0 ? f[7] : null);
            }
        }

        await process.WaitForExitAsync(cancellationToken);
        return result ?? throw new InvalidOperationException($"The {kind} idle run printed no result (exit code {process.ExitCode}).");
    }

    /// <summary>The child's side of <see cref="RunInChildAsync"/>.</summary>
    public static async Task<int> RunChildAsync(string kind, int target, TimeSpan budget, int parallelism)
    {
        using var cancel = new CancellationTokenSource(budget + TimeSpan.FromMinutes(3));
        await using var emulator = await EmulatorProcess.StartAsync(target + 10, cancel.Token);
        var result = kind == "sdk"
            ? await RunSdkAsync(emulator, target, budget, parallelism, cancel.Token)
            : await RunRawAsync(emulator, target, budget, parallelism, cancel.Token);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT {result.Held} {result.Connected} {result.RampSeconds:0.0} {result.HeapBytesPerSession:0} {result.WorkingSetBytesPerSession:0} {result.Failures} {result.FirstFailure}"));
        return 0;
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static (long Heap, long WorkingSet) Measure()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(forceFullCollection: true), self.WorkingSet64);
    }
}
