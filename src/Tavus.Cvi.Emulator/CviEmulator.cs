using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tavus.Cvi.Emulator.Conversations;
using Tavus.Cvi.Emulator.Daily;
using Tavus.Cvi.Emulator.Diagnostics;
using Tavus.Cvi.Emulator.Faults;
using Tavus.Cvi.Emulator.Rest;
using Tavus.Cvi.Emulator.Webhooks;
using Tavus.Cvi.Interactions.Daily;
using Tavus.Cvi.Interactions.Protocol;

using Tavus.Cvi.Emulator.Replica;

namespace Tavus.Cvi.Emulator;

/// <summary>
/// A local Tavus + Daily emulator on loopback: the Tavus REST API (<c>/v2/conversations</c>), Daily's room lookup
/// and signaling WebSocket, and a scripted replica in every active conversation. Start it with
/// <see cref="StartAsync"/>, point the SDK at <see cref="TavusApiBaseUri"/> and <see cref="DailyEndpoints"/>,
/// and drive faults from tests. See <c>docs/emulator.md</c>.
/// </summary>
public sealed class CviEmulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly EmulatorState _state;
    private int _disposed;

    private CviEmulator(WebApplication app, EmulatorState state)
    {
        _app = app;
        _state = state;
    }

    /// <summary>The emulator's base URI, such as <c>http://127.0.0.1:5123/</c>. Conversation URLs are <c>{BaseUri}tavus/{conversation_id}</c>.</summary>
    public Uri BaseUri => _state.BaseUri;

    /// <summary>The Tavus REST base: REST paths are <c>/v2/...</c> under it.</summary>
    public Uri TavusApiBaseUri => _state.BaseUri;

    /// <summary>The API key the REST endpoints accept (<c>x-api-key</c>).</summary>
    public string ApiKey => _state.ApiKey;

    /// <summary>Endpoints that let the SDK's Daily transport send credentials to this emulator.</summary>
    public DailyEndpoints DailyEndpoints => DailyEndpoints.ForEmulator(BaseUri);

    /// <summary>Faults that apply to every conversation.</summary>
    public EmulatorFaults Faults => _state.GlobalFaults;

    /// <summary>Raised after each webhook POST attempt (on a thread-pool thread).</summary>
    public event EventHandler<WebhookDelivery>? WebhookDelivered
    {
        add => _state.Webhooks.Delivered += value;
        remove => _state.Webhooks.Delivered -= value;
    }

    /// <summary>Starts an emulator on 127.0.0.1.</summary>
    /// <param name="options">The options; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    public static async Task<CviEmulator> StartAsync(CviEmulatorOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new CviEmulatorOptions();
        ArgumentOutOfRangeException.ThrowIfNegative(options.Port);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAppMessageSize, 1);
        string apiKey = string.IsNullOrEmpty(options.ApiKey) ? "emu_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)) : options.ApiKey;
        var state = new EmulatorState(options, apiKey);

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(CviEmulator).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port);
            kestrel.AddServerHeader = false;
        });

        WebApplication app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.Zero });
        TavusRestApi.Map(app, state);
        DailyApi.Map(app, state);

        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        string address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        state.BaseUri = new Uri(address.TrimEnd('/') + "/");
        return new CviEmulator(app, state);
    }

    /// <summary>The URL of a conversation's room: <c>{BaseUri}tavus/{conversationId}</c>.</summary>
    /// <param name="conversationId">The conversation.</param>
    public Uri GetConversationUrl(string conversationId) => new(BaseUri, ConversationStore.Domain + "/" + conversationId);

    /// <summary>Faults that apply to one conversation (created on first use).</summary>
    /// <param name="conversationId">The conversation.</param>
    public EmulatorFaults FaultsFor(string conversationId)
    {
        ArgumentException.ThrowIfNullOrEmpty(conversationId);
        return _state.FaultsFor(conversationId);
    }

    /// <summary>The participants of a conversation's room right now (empty for an unknown conversation).</summary>
    /// <param name="conversationId">The conversation.</param>
    public IReadOnlyList<EmulatedParticipant> GetParticipants(string conversationId) =>
        _state.Conversations.Get(conversationId)?.Room.Participants() ?? [];

    /// <summary>The replica's Daily session id in a conversation, or null when there is no replica.</summary>
    /// <param name="conversationId">The conversation.</param>
    public string? GetReplicaSessionId(string conversationId) => _state.Conversations.Get(conversationId)?.Replica?.SessionId;

    /// <summary>How the conversation's replica exchanges app messages right now (null before it joins); for tests.</summary>
    internal IReplicaMessaging? ReplicaMessagingFor(string conversationId) => _state.Conversations.Get(conversationId)?.Replica?.Messaging;

    /// <summary>The app messages (and other <c>sig-msg</c> frames) relayed so far, oldest first.</summary>
    /// <param name="conversationId">One conversation, or null for all.</param>
    public IReadOnlyList<RelayedMessage> GetRelayLog(string? conversationId = null) => _state.RelayLog(conversationId);

    /// <summary>The webhook POSTs made so far, oldest first.</summary>
    /// <param name="conversationId">One conversation, or null for all.</param>
    public IReadOnlyList<WebhookDelivery> GetWebhookDeliveries(string? conversationId = null) => _state.Webhooks.Deliveries(conversationId);

    /// <summary>
    /// Ends a conversation as Tavus would: status <c>ended</c>, <c>room-deleted</c> to every participant, the replica
    /// gone, <c>system.shutdown</c> and <c>application.transcription_ready</c> webhooks.
    /// </summary>
    /// <param name="conversationId">The conversation.</param>
    /// <param name="shutdownReason">
    /// The <c>shutdown_reason</c> (tavus-protocol.md §E); <see cref="ShutdownReason.EndConversationEndpointHit"/> when
    /// null, as the REST end call gives.
    /// </param>
    /// <returns>False when the conversation is unknown or already ended.</returns>
    /// <exception cref="ArgumentException">The reason is empty.</exception>
    public bool EndConversation(string conversationId, ShutdownReason? shutdownReason = null)
    {
        var reason = shutdownReason ?? ShutdownReason.EndConversationEndpointHit;
        if (string.IsNullOrEmpty(reason.Value))
        {
            throw new ArgumentException("The shutdown reason is empty.", nameof(shutdownReason));
        }

        return _state.Conversations.Get(conversationId) is { } c && _state.Conversations.End(c, reason);
    }

    /// <summary>Aborts the signaling sockets of a conversation (no close handshake), now or after a delay.</summary>
    /// <param name="conversationId">The conversation.</param>
    /// <param name="sessionId">One session, or null for every client socket.</param>
    /// <param name="delay">When, on the emulator's clock (zero: now).</param>
    /// <returns>How many sockets are (or will be) dropped.</returns>
    public int DropConnections(string conversationId, string? sessionId = null, TimeSpan delay = default)
    {
        SignalingConnection[] targets = _state.Connections(conversationId, sessionId);
        Log.ControlFault(_state.SignalingLogger, conversationId, "drop", targets.Length);
        if (delay <= TimeSpan.Zero)
        {
            foreach (SignalingConnection c in targets)
            {
                c.Disconnect(abort: true);
            }

            return targets.Length;
        }

        ITimer? timer = null;
        timer = _state.Time.CreateTimer(
            _ =>
            {
                foreach (SignalingConnection c in targets)
                {
                    c.Disconnect(abort: true);
                }

                timer?.Dispose();
            },
            null,
            delay,
            Timeout.InfiniteTimeSpan);
        return targets.Length;
    }

    /// <summary>
    /// Stalls the signaling sockets of a conversation: they stay open but the server sends nothing more (not even
    /// heartbeat answers) and ignores what it receives, so the client must notice the silence (§4.5) and reconnect.
    /// </summary>
    /// <param name="conversationId">The conversation.</param>
    /// <param name="sessionId">One session, or null for every client socket.</param>
    /// <returns>How many sockets were stalled.</returns>
    public int StallConnections(string conversationId, string? sessionId = null)
    {
        SignalingConnection[] targets = _state.Connections(conversationId, sessionId);
        Log.ControlFault(_state.SignalingLogger, conversationId, "stall", targets.Length);
        foreach (SignalingConnection c in targets)
        {
            c.Stall();
        }

        return targets.Length;
    }

    /// <summary>Sends an app message into a room as the server (Daily's REST <c>send-app-message</c> path).</summary>
    /// <param name="conversationId">The conversation.</param>
    /// <param name="json">The app message: one JSON value (normally an object).</param>
    /// <param name="from">The <c>from</c> recipients see (default <c>"server"</c>; Daily's real value is unknown).</param>
    /// <param name="recipientSessionId">One session, or null for everyone.</param>
    /// <returns>How many participants it was delivered to.</returns>
    public int InjectAppMessage(string conversationId, string json, string from = "server", string? recipientSessionId = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        using (System.Text.Json.JsonDocument.Parse(json))
        {
            // Validate: the relay writes the payload raw.
        }

        return _state.Conversations.Get(conversationId)?.Room.Relay(from, "x-egassem", recipientSessionId is null ? null : [recipientSessionId], Encoding.UTF8.GetBytes(json)) ?? 0;
    }

    /// <summary>Sends a Daily transcription message (<c>from:"transcription"</c>, daily-protocol.md §6) to everyone.</summary>
    /// <param name="conversationId">The conversation.</param>
    /// <param name="speakerSessionId">The speaker's session id.</param>
    /// <param name="text">What was said.</param>
    /// <returns>How many participants it was delivered to.</returns>
    public int SendTranscription(string conversationId, string speakerSessionId, string text)
    {
        string json = new System.Text.Json.Nodes.JsonObject
        {
            ["session_id"] = speakerSessionId,
            ["text"] = text,
            ["timestamp"] = Rest.TavusRestApi.Iso(_state.Time.GetUtcNow()),
            ["rawResponse"] = new System.Text.Json.Nodes.JsonObject { ["is_final"] = true },
        }.ToJsonString();
        return _state.Conversations.Get(conversationId)?.Room.Relay("transcription", "x-egassem", null, Encoding.UTF8.GetBytes(json)) ?? 0;
    }

    /// <summary>Sends a raw server frame (JSON text) to the client sockets of a conversation.</summary>
    /// <param name="conversationId">The conversation.</param>
    /// <param name="frameJson">The frame.</param>
    /// <param name="sessionId">One session, or null for every client socket.</param>
    /// <returns>How many sockets got it.</returns>
    public int SendServerFrame(string conversationId, string frameJson, string? sessionId = null)
    {
        ArgumentNullException.ThrowIfNull(frameJson);
        SignalingConnection[] targets = _state.Connections(conversationId, sessionId);
        byte[] bytes = Encoding.UTF8.GetBytes(frameJson);
        foreach (SignalingConnection c in targets)
        {
            c.DeliverRaw(bytes, binary: false);
        }

        return targets.Length;
    }

    /// <summary>Ejects a participant: <c>sig-msg</c> tag <c>eject-please</c> (daily-protocol.md §4.7), then closes its socket.</summary>
    /// <param name="conversationId">The conversation.</param>
    /// <param name="sessionId">The participant.</param>
    /// <returns>How many sockets were ejected.</returns>
    public int Eject(string conversationId, string sessionId)
    {
        SignalingConnection[] targets = _state.Connections(conversationId, sessionId);
        byte[] frame = SignalingFrames.SigMsg("eject-please", "server", sessionId, "{}"u8, _state.NowMs);
        foreach (SignalingConnection c in targets)
        {
            c.DeliverRaw(frame, binary: false);
            c.Disconnect(abort: false);
        }

        return targets.Length;
    }

    /// <summary>Sends the fatal <c>error-meeting</c> <c>sig-msg</c> (daily-protocol.md §4.7).</summary>
    /// <param name="conversationId">The conversation.</param>
    /// <param name="error">The error text.</param>
    /// <param name="sessionId">One session, or null for every client socket.</param>
    /// <returns>How many sockets got it.</returns>
    public int SendErrorMeeting(string conversationId, string error = "meeting error", string? sessionId = null)
    {
        string payload = new System.Text.Json.Nodes.JsonObject { ["error"] = error, ["type"] = "emulator-error" }.ToJsonString();
        return SendToEach(conversationId, sessionId, id => SignalingFrames.SigMsg("error-meeting", "server", id, Encoding.UTF8.GetBytes(payload), _state.NowMs));
    }

    /// <summary>
    /// Tells clients the meeting moved (daily-protocol.md §4.8). New style: top-level <c>moveMeeting</c> with the
    /// alternate worker URI (reconnect without lookup). Old style: <c>msgData.moveMeeting</c> with <c>lu:true</c>
    /// (reconnect after a fresh lookup).
    /// </summary>
    /// <param name="conversationId">The conversation.</param>
    /// <param name="newStyle">Which form to send.</param>
    /// <param name="sessionId">One session, or null for every client socket.</param>
    /// <returns>How many sockets got it.</returns>
    public int MoveMeeting(string conversationId, bool newStyle = true, string? sessionId = null)
    {
        (string workerId, Uri uri) = _state.NextWorker(conversationId);
        return SendToEach(conversationId, sessionId, _ => SignalingFrames.Write(w =>
        {
            w.WriteString("msgStr"u8, "sig-move-meeting"u8);
            if (newStyle)
            {
                w.WriteStartObject("moveMeeting"u8);
                w.WriteString("workerId"u8, workerId);
                w.WriteString("wssUri"u8, uri.ToString());
                w.WriteEndObject();
            }
            else
            {
                w.WriteStartObject("msgData"u8);
                w.WriteString("moveMeeting"u8, workerId);
                w.WriteBoolean("lu"u8, true);
                w.WriteEndObject();
            }

            w.WriteNumber("serverTS"u8, _state.NowMs);
        }));
    }

    /// <summary>Sends a later <c>sig-ack</c> (topology and support state are re-evaluated on each, daily-protocol.md §4.4).</summary>
    /// <param name="conversationId">The conversation.</param>
    /// <param name="topology"><c>sfu</c> or <c>peer</c>.</param>
    /// <param name="clientSupportState"><c>supported</c>, <c>nearing-eos</c>, <c>unsupported</c>, <c>nearing-eol</c>, <c>eol</c> or <c>unknown</c>.</param>
    /// <param name="sessionId">One session, or null for every client socket.</param>
    /// <returns>How many sockets got it.</returns>
    public int SendSigAck(string conversationId, string topology = "sfu", string clientSupportState = "supported", string? sessionId = null) =>
        SendToEach(conversationId, sessionId, _ => SignalingFrames.Write(w =>
        {
            w.WriteString("msgStr"u8, "sig-ack"u8);
            w.WriteString("topology"u8, topology);
            w.WriteString("clientSupportState"u8, clientSupportState);
            w.WriteNumber("serverTS"u8, _state.NowMs);
        }));

    /// <summary>Pushes a soup notification (<c>tag:"soup"</c> without <c>_kTs</c>, e.g. <c>{"tracks":[]}</c>, daily-protocol.md §6).</summary>
    /// <param name="conversationId">The conversation.</param>
    /// <param name="msgDataJson">The push's <c>msgData</c> object.</param>
    /// <param name="sessionId">One session, or null for every client socket.</param>
    /// <returns>How many sockets got it.</returns>
    public int PushSoup(string conversationId, string msgDataJson, string? sessionId = null)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(msgDataJson);
        System.Text.Json.JsonElement root = doc.RootElement.Clone();
        return SendToEach(conversationId, sessionId, _ => SignalingFrames.SoupReply(null, w =>
        {
            foreach (System.Text.Json.JsonProperty p in root.EnumerateObject())
            {
                p.WriteTo(w);
            }
        }, _state.NowMs));
    }

    /// <summary>Sends a broken frame to the client sockets of a conversation (see <see cref="MalformedFrameKind"/>).</summary>
    /// <param name="conversationId">The conversation.</param>
    /// <param name="kind">What is broken.</param>
    /// <param name="sessionId">One session, or null for every client socket.</param>
    /// <returns>How many sockets got it.</returns>
    public int SendMalformedFrame(string conversationId, MalformedFrameKind kind, string? sessionId = null)
    {
        string from = GetReplicaSessionId(conversationId) ?? "server";
        string tavus(string eventType, string properties) =>
            $"{{\"message_type\":\"conversation\",\"event_type\":\"{eventType}\",\"conversation_id\":\"{conversationId}\",\"properties\":{properties}}}";
        (byte[]? raw, bool binary, string? payload) = kind switch
        {
            MalformedFrameKind.InvalidJson => ((byte[]?)"{\"msgStr\":\"sig-msg\",\"tag\":"u8.ToArray(), false, (string?)null),
            MalformedFrameKind.BinaryFrame => ([0x00, 0x01, 0xFF, 0x7B], true, null),
            MalformedFrameKind.NotAnObject => ("[\"sig-msg\",42]"u8.ToArray(), false, null),
            MalformedFrameKind.AppMessageNotAnObject => (null, false, "\"just a string\""),
            MalformedFrameKind.AppMessageNotTavus => (null, false, "{\"hello\":\"world\",\"n\":1}"),
            MalformedFrameKind.UnknownTavusEvent => (null, false, tavus("conversation.emulator_unknown_event", "{\"x\":1}")),
            MalformedFrameKind.WrongFieldTypes => (null, false, tavus("conversation.utterance", "{\"role\":42,\"speech\":{\"not\":\"a string\"}}").Replace("\"properties\"", "\"seq\":\"seven\",\"properties\"", StringComparison.Ordinal)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind)),
        };
        return SendToEach(conversationId, sessionId, id => raw ?? SignalingFrames.SigMsg("x-egassem", from, "*", Encoding.UTF8.GetBytes(payload!), _state.NowMs), binary);
    }

    /// <summary>
    /// Sends an app message larger than the room's limit from the replica, as Daily's server might let through
    /// (a client must cope with an inbound message over the size it may send).
    /// </summary>
    /// <param name="conversationId">The conversation.</param>
    /// <param name="size">The payload size in UTF-16 code units (at least 100).</param>
    /// <param name="sessionId">One session, or null for every client socket.</param>
    /// <returns>How many sockets got it.</returns>
    public int SendOversizedAppMessage(string conversationId, int size = 16_384, string? sessionId = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(size, 100);
        string from = GetReplicaSessionId(conversationId) ?? "server";
        string head = $"{{\"message_type\":\"conversation\",\"event_type\":\"conversation.utterance\",\"conversation_id\":\"{conversationId}\",\"properties\":{{\"role\":\"replica\",\"speech\":\"";
        const string Tail = "\"}}";
        string json = head + new string('a', Math.Max(0, size - head.Length - Tail.Length)) + Tail;
        return SendToEach(conversationId, sessionId, id => SignalingFrames.SigMsg("x-egassem", from, "*", Encoding.UTF8.GetBytes(json), _state.NowMs));
    }

    private int SendToEach(string conversationId, string? sessionId, Func<string, byte[]> frame, bool binary = false)
    {
        SignalingConnection[] targets = _state.Connections(conversationId, sessionId);
        foreach (SignalingConnection c in targets)
        {
            c.DeliverRaw(frame(c.SessionId), binary);
        }

        return targets.Length;
    }

    /// <summary>Stops the server: every conversation's sockets are closed, pending webhooks get a few seconds.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        var replicas = new List<Task>();
        foreach (EmulatedConversation c in _state.Conversations.All())
        {
            if (c.Replica is { } replica)
            {
                replicas.Add(replica.StopAsync());
            }
        }

        try
        {
            // Peer-to-peer replicas close their WebRTC connections (and UDP sockets) gracefully.
            await Task.WhenAll(replicas).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or ObjectDisposedException)
        {
        }

        // Close every signaling socket normally; whatever has not closed after a few seconds is aborted by Kestrel
        // when the stop token fires (the default would wait 30 s for WebSockets that never end by themselves).
        foreach (SignalingConnection connection in _state.AllConnections())
        {
            connection.Disconnect(abort: false);
        }

        using (var stopTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            await _app.StopAsync(stopTimeout.Token).ConfigureAwait(false);
        }

        await _state.Webhooks.DisposeAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }
}
