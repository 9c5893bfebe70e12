using System.Diagnostics;
using System.Text.Json;
using Tavus.Cvi.Interactions.Protocol;
using Tavus.Cvi.Interactions.Rest;
using Tavus.Cvi.Interactions.Session;

namespace Tavus.Cvi.LoadTest;

/// <summary>
/// Interaction round trip on loopback: the time from sending <c>conversation.respond</c> with a unique text until
/// the emulated replica's <c>conversation.utterance</c> reporting that text (role <c>user</c>) is in the caller's
/// hands. The path is client → signaling WebSocket → emulator relay → replica → relay → WebSocket → client; the
/// replica adds no delay before that event. SDK: <see cref="CviSession.RespondAsync"/> until the
/// <see cref="CviSession.EventReceived"/> handler runs (encode, size check, frame, send, receive loop, decode, fold,
/// channel, dispatch). Baseline: a raw <see cref="System.Net.WebSockets.ClientWebSocket"/> sending a hand-written frame
/// and spotting the reply with <see cref="JsonDocument"/>. Iterations alternate between the two so drift hits both;
/// each waits for the replica to finish its reply before the next, so turns never overlap.
/// </summary>
internal static class LatencyRun
{
    public sealed record Result(double[] SdkMs, double[] RawMs);

    public static async Task<Result> RunAsync(EmulatorProcess emulator, int iterations, int warmup, CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        using var tavus = new TavusClient(emulator.ApiKey, new TavusClientOptions { BaseUri = emulator.BaseUri });
        var sdkConversation = await tavus.CreateConversationAsync(new CreateConversationRequest { ConversationName = "latency-sdk" }, cancellationToken);
        var rawConversation = await tavus.CreateConversationAsync(new CreateConversationRequest { ConversationName = "latency-raw" }, cancellationToken);

        var options = new CviSessionOptions();
        options.Daily.Endpoints = Tavus.Cvi.Interactions.Daily.DailyEndpoints.ForEmulator(emulator.BaseUri);
        options.Daily.HttpClient = http;
        await using var session = await CviSession.JoinAsync(
            sdkConversation.ConversationUrl!.AbsoluteUri, sdkConversation.ConversationId, options, cancellationToken);
        await session.WaitForReplicaJoinedAsync(cancellationToken);

        await using var raw = await RawDailyClient.JoinAsync(http, emulator.BaseUri, rawConversation.ConversationId, cancellationToken);

        // SDK side: the handler stamps the moment the event reaches user code.
        string? expected = null;
        TaskCompletionSource<long>? heard = null;
        TaskCompletionSource? turnDone = null;
        session.EventReceived += (_, e) =>
        {
            if (e.Event is UtteranceEvent { Role.IsUser: true } u && u.Speech == Volatile.Read(ref expected))
            {
                heard?.TrySetResult(Stopwatch.GetTimestamp());
            }
        };
        session.ReplicaStoppedSpeaking += (_, _) => turnDone?.TrySetResult();

        var sdk = new List<double>(iterations);
        var baseline = new List<double>(iterations);
        for (var i = 0; i < warmup + iterations; i++)
        {
            // SDK round trip.
            var text = "ping " + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            heard = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            turnDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref expected, text);
            var start = Stopwatch.GetTimestamp();
            await session.RespondAsync(text, cancellationToken);
            var stamp = await heard.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            await turnDone.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            if (i >= warmup)
            {
                sdk.Add(Stopwatch.GetElapsedTime(start, stamp).TotalMilliseconds);
            }

            // Baseline round trip.
            var rawText = "pong " + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var payload = JsonSerializer.Serialize(new
            {
                message_type = "conversation",
                event_type = "conversation.respond",
                conversation_id = rawConversation.ConversationId,
                properties = new { text = rawText },
            });
            start = Stopwatch.GetTimestamp();
            await raw.SendAppMessageAsync(payload, cancellationToken);
            long rawStamp = 0;
            while (true)
            {
                var message = await raw.ReceiveAppMessageAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
                var type = message.TryGetProperty("event_type", out var t) ? t.GetString() : null;
                if (rawStamp == 0 && type == "conversation.utterance" && message.TryGetProperty("properties", out var p)
                    && p.TryGetProperty("role", out var role) && role.ValueEquals("user")
                    && p.TryGetProperty("speech", out var speech) && speech.ValueEquals(rawText))
                {
                    rawStamp = Stopwatch.GetTimestamp();
                }

                if (rawStamp != 0 && type == "conversation.replica.stopped_speaking")
                {
                    break;
                }
            }

            if (i >= warmup)
            {
                baseline.Add(Stopwatch.GetElapsedTime(start, rawStamp).TotalMilliseconds);
            }
        }

        await session.LeaveAsync(cancellationToken);
        sdk.Sort();
        baseline.Sort();
        return new Result([.. sdk], [.. baseline]);
    }
}
