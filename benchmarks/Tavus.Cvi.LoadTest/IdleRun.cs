using System.Diagnostics;
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

    private static (long Heap, long WorkingSet) Measure()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        using var self = Process.GetCurrentProcess();
        return (GC.GetTotalMemory(forceFullCollection: true), self.WorkingSet64);
    }
}
