using System.Diagnostics;
using System.Text.Json.Serialization;
using Tavus.Cvi.Emulator;
using Tavus.Cvi.Emulator.Replica;
using Tavus.Cvi.Interactions.Protocol;
using Tavus.Cvi.Interactions.Rest;
using Tavus.Cvi.Interactions.Session;
using Tavus.Cvi.Interactions.Webhooks;

namespace QuickStart;

/// <summary>What the QuickStart needs to know; everything optional.</summary>
public sealed record QuickStartSettings
{
    /// <summary>A Tavus API key; without one the flow runs against the embedded emulator.</summary>
    public string? ApiKey { get; init; }

    /// <summary>The face to use on Tavus (the emulator picks its own).</summary>
    public string? FaceId { get; init; }

    /// <summary>The PAL to use on Tavus; it should have a <c>get_weather</c> tool for the tool step.</summary>
    public string? PalId { get; init; }

    /// <summary>How long each step may take before the flow gives up.</summary>
    public TimeSpan StepTimeout { get; init; } = TimeSpan.FromSeconds(15);
}

/// <summary>What happened, for tests and for the summary line.</summary>
public sealed record QuickStartResult
{
    /// <summary>The conversation id.</summary>
    public required string ConversationId { get; init; }

    /// <summary>Whether the emulator was used.</summary>
    public bool UsedEmulator { get; init; }

    /// <summary>The event types received from the room, in arrival order.</summary>
    public required IReadOnlyList<string> Events { get; init; }

    /// <summary>The webhook event types received at the callback URL, in arrival order.</summary>
    public required IReadOnlyList<string> Webhooks { get; init; }

    /// <summary>The arguments of the tool call the session answered, as JSON, if one came.</summary>
    public string? ToolCallArguments { get; init; }

    /// <summary>What the replica said after the tool result, if it did.</summary>
    public string? ReplyUsingToolResult { get; init; }

    /// <summary>How the session ended.</summary>
    public CviSessionEndReason EndReason { get; init; }

    /// <summary>The shutdown reason of the <c>system.shutdown</c> webhook (emulator runs).</summary>
    public string? ShutdownReason { get; init; }

    /// <summary>Whether the replica reported its long answer as interrupted.</summary>
    public bool ReplicaWasInterrupted { get; init; }

    /// <summary>The whole run's duration.</summary>
    public TimeSpan Elapsed { get; init; }
}

/// <summary>Arguments of the <c>get_weather</c> tool.</summary>
public sealed record WeatherArgs
{
    /// <summary>Where.</summary>
    [JsonPropertyName("location")]
    public string? Location { get; init; }
}

/// <summary>Source-generated JSON for the tool arguments (AOT-safe, no reflection).</summary>
[JsonSerializable(typeof(WeatherArgs))]
public sealed partial class QuickStartJson : JsonSerializerContext;

/// <summary>
/// The whole QuickStart: create a conversation (with a webhook), join its room, use a tool, echo, interrupt, end.
/// Prints every event as it arrives.
/// </summary>
public static class QuickStartFlow
{
    /// <summary>Runs the flow, writing what happens to <paramref name="output"/>.</summary>
    public static async Task<QuickStartResult> RunAsync(TextWriter output, QuickStartSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(settings);
        var clock = Stopwatch.StartNew();
        var events = new List<string>();
        var webhooks = new List<string>();
        var print = TextWriter.Synchronized(output);

        // 1. Where: Tavus, or the emulator in this process.
        CviEmulator? emulator = null;
        LocalWebhookReceiver? receiver = null;
        try
        {
            TavusClientOptions clientOptions;
            string apiKey;
            var sessionOptions = new CviSessionOptions();
            if (settings.ApiKey is null)
            {
                emulator = await CviEmulator.StartAsync(new CviEmulatorOptions { Scenario = FastScenario() }, cancellationToken);
                apiKey = emulator.ApiKey;
                clientOptions = new TavusClientOptions { BaseUri = emulator.TavusApiBaseUri };
                sessionOptions.Daily.Endpoints = emulator.DailyEndpoints;
                print.WriteLine($"TAVUS_API_KEY is not set: using the embedded emulator at {emulator.BaseUri}");

                // Webhooks need a URL the service can reach; the emulator is local, so a local receiver does.
                receiver = LocalWebhookReceiver.Start();
                receiver.WebhookReceived += (_, w) =>
                {
                    lock (webhooks)
                    {
                        webhooks.Add(w.EventType);
                    }

                    print.WriteLine($"  <= webhook {Describe(w)}");
                };
            }
            else
            {
                apiKey = settings.ApiKey;
                clientOptions = new TavusClientOptions();
                print.WriteLine("Using Tavus at https://tavusapi.com (webhooks need a public URL, so none is set here)");
            }

            using var tavus = new TavusClient(apiKey, clientOptions);

            // 2. Create the conversation.
            var conversation = await tavus.CreateConversationAsync(new CreateConversationRequest
            {
                ConversationName = "QuickStart",
                FaceId = settings.FaceId,
                PalId = settings.PalId,
                CallbackUrl = receiver?.CallbackUrl,
                Properties = new ConversationProperties { MaxCallDuration = 300, ParticipantLeftTimeout = 0 },
            }, cancellationToken);
            receiver?.BindTo(conversation.ConversationId);
            print.WriteLine($"-> created conversation {conversation.ConversationId} ({conversation.Status}) at {conversation.ConversationUrl}");

            // 3. Join its room; print every event as it arrives.
            await using var session = await CviSession.JoinAsync(
                conversation.ConversationUrl!.AbsoluteUri, conversation.ConversationId, sessionOptions, cancellationToken);
            print.WriteLine("-> joined the room");
            var printer = new EventPrinter(print);
            session.EventReceived += (_, e) =>
            {
                lock (events)
                {
                    events.Add(e.Event.EventType);
                }

                printer.Print(e.Event, Describe(e.Event));
            };

            using var step = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            step.CancelAfter(settings.StepTimeout * 6);
            var ct = step.Token;

            // Each wait is set up before the action that causes it; Expect also waits until the printer has shown the
            // event, so the "->" lines below appear after what they waited for.
            var greeted = session.WaitForEventAsync<StoppedSpeakingEvent>(s => s.Role?.IsReplicaOrPal == true, ct);

            // 4. A tool: when the replica calls get_weather, the session answers with conversation.tool_result.
            string? toolArguments = null;
            using var tool = session.RegisterTool("get_weather", QuickStartJson.Default.WeatherArgs, (args, call, _) =>
            {
                toolArguments = call.Arguments.GetRawText();
                var answer = $"sunny and 21 degrees in {args?.Location ?? "your town"}";
                print.WriteLine($"-> tool get_weather({args?.Location}) answered: \"{answer}\"");
                return ValueTask.FromResult<ToolResult>(answer);
            });

            await session.WaitForReplicaJoinedAsync(ct);
            if (receiver is not null)
            {
                await receiver.WaitForAsync<ReplicaJoinedWebhookEvent>(ct);
                await printer.Expect(greeted, ct); // the emulator's replica greets; Tavus's may not, so only here
            }

            // 5. Ask something that makes the replica call the tool, and wait for the reply that uses its result.
            // One waiter sees the events in order: first the reply using the tool's output, then the end of that turn.
            UtteranceEvent? reply = null;
            var toolTurnDone = session.WaitForEventAsync<CviEvent>(e =>
            {
                if (reply is null)
                {
                    if (e is UtteranceEvent u && u.Role?.IsReplicaOrPal == true && u.Speech?.Contains("sunny", StringComparison.OrdinalIgnoreCase) == true)
                    {
                        reply = u;
                    }

                    return false;
                }

                return e is StoppedSpeakingEvent s && s.Role?.IsReplicaOrPal == true;
            }, ct);
            print.WriteLine("-> respond: \"What's the weather like today?\"");
            await session.RespondAsync("What's the weather like today?", ct);
            await printer.Expect(toolTurnDone, ct);

            // 6. Make the replica say a line exactly.
            var echoed = session.WaitForEventAsync<StoppedSpeakingEvent>(s => s.Role?.IsReplicaOrPal == true, ct);
            print.WriteLine("-> echo: \"This line is spoken exactly as written.\"");
            await session.EchoAsync("This line is spoken exactly as written.", cancellationToken: ct);
            await printer.Expect(echoed, ct);

            // 7. Start a long answer and interrupt it.
            var started = session.WaitForEventAsync<StartedSpeakingEvent>(s => s.Role?.IsReplicaOrPal == true, ct);
            print.WriteLine("-> respond: \"Tell me a long story about the sea.\"");
            await session.RespondAsync("Tell me a long story about the sea.", ct);
            await printer.Expect(started, ct);
            var stopped = session.WaitForEventAsync<StoppedSpeakingEvent>(s => s.Role?.IsReplicaOrPal == true, ct);
            print.WriteLine("-> interrupt");
            await session.InterruptAsync(ct);
            var interrupted = await printer.Expect(stopped, ct);

            // 8. End the conversation: the room is deleted under the session, and the shutdown webhook arrives.
            print.WriteLine($"-> end conversation {conversation.ConversationId}");
            await tavus.EndConversationAsync(conversation.ConversationId, ct);
            var endReason = await session.Completion.WaitAsync(settings.StepTimeout, ct);
            string? shutdownReason = null;
            if (receiver is not null)
            {
                shutdownReason = (await receiver.WaitForAsync<ShutdownWebhookEvent>(ct)).ShutdownReason.Value;
                await receiver.WaitForAsync<TranscriptionReadyWebhookEvent>(ct);
            }

            print.WriteLine($"   session ended: {endReason}");

            int eventCount, webhookCount;
            lock (events)
            {
                eventCount = events.Count;
            }

            lock (webhooks)
            {
                webhookCount = webhooks.Count;
            }

            print.WriteLine($"Done in {clock.Elapsed.TotalSeconds:0.0} s: {eventCount} events from the room, {webhookCount} webhooks.");

            lock (events)
            {
                lock (webhooks)
                {
                    return new QuickStartResult
                    {
                        ConversationId = conversation.ConversationId,
                        UsedEmulator = emulator is not null,
                        Events = [.. events],
                        Webhooks = [.. webhooks],
                        ToolCallArguments = toolArguments,
                        ReplyUsingToolResult = reply?.Speech,
                        EndReason = endReason,
                        ShutdownReason = shutdownReason,
                        ReplicaWasInterrupted = interrupted.Interrupted == true,
                        Elapsed = clock.Elapsed,
                    };
                }
            }
        }
        finally
        {
            if (receiver is not null)
            {
                await receiver.DisposeAsync();
            }

            if (emulator is not null)
            {
                await emulator.DisposeAsync();
            }
        }
    }

    /// <summary>The emulator's default scenario, speaking fast so the whole flow takes a few seconds.</summary>
    private static EmulatorScenario FastScenario() => new()
    {
        Greeting = EmulatorScenario.Default.Greeting,
        Replies =
        [
            .. EmulatorScenario.Default.Replies,
            new ScenarioReply
            {
                When = "story",
                Reply = "Once upon a time, far out on the open sea, a small boat sailed on and on through wind and waves "
                    + "and starlight, and its crew told each other stories that went on for a very long time.",
            },
        ],
        Tools = EmulatorScenario.Default.Tools,
        Timings = new ScenarioTimings
        {
            ReplicaJoinDelay = TimeSpan.FromMilliseconds(20),
            ReplyDelay = TimeSpan.FromMilliseconds(20),
            ChunkInterval = TimeSpan.FromMilliseconds(10),
            WordsPerSecond = 20,
        },
    };

    private static string Describe(CviEvent e) => e switch
    {
        UtteranceEvent u => $"{u.EventType} [{u.Role}] \"{u.Speech}\"",
        StreamingUtteranceEvent s => $"{s.EventType} [{s.Role}] #{s.ContentIndex}{(s.IsFinal == true ? " final" : string.Empty)} \"{s.Speech}\"",
        ToolCallEvent t => $"{t.EventType} {t.Name}({t.ArgumentsJson})",
        StartedSpeakingEvent s => $"{s.EventType} [{s.Role}]",
        StoppedSpeakingEvent s => $"{s.EventType} [{s.Role}]{(s.Interrupted == true ? " interrupted" : string.Empty)}{(s.Duration is { } d ? $" {d:0.00} s" : string.Empty)}",
        ReplicaJoinedEvent j => $"{j.EventType} {j.FaceId ?? j.ReplicaId}",
        ShutdownEvent s => $"{s.EventType} ({s.Reason})",
        UnknownEvent u => $"{u.EventType} (unknown to the SDK, raw JSON kept)",
        InvalidMessageEvent i => $"invalid message: {i.Reason}",
        _ => e.EventType,
    };

    private static string Describe(TavusWebhookEvent w) => w switch
    {
        ReplicaJoinedWebhookEvent j => $"{j.EventType} (face {j.FaceId})",
        ShutdownWebhookEvent s => $"{s.EventType} ({s.ShutdownReason}, kind {s.ShutdownReason.Kind})",
        TranscriptionReadyWebhookEvent t => $"{t.EventType} ({t.Transcript.Count} transcript entries)",
        _ => w.EventType,
    };
}
