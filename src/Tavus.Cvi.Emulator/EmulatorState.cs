using System.Collections.Concurrent;
using System.Text;
using Microsoft.Extensions.Logging;
using Tavus.Cvi.Emulator.Conversations;
using Tavus.Cvi.Emulator.Daily;
using Tavus.Cvi.Emulator.Diagnostics;
using Tavus.Cvi.Emulator.Faults;
using Tavus.Cvi.Emulator.Replica;
using Tavus.Cvi.Emulator.Webhooks;

namespace Tavus.Cvi.Emulator;

/// <summary>Everything the emulator's endpoints share: clock, credentials, conversations, faults, logs.</summary>
internal sealed class EmulatorState
{
    private readonly ConcurrentDictionary<string, EmulatorFaults> _conversationFaults = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<RelayedMessage> _relayLog = new();
    private readonly ConcurrentDictionary<SignalingConnection, byte> _connections = new();
    private int _workerSequence;

    public EmulatorState(CviEmulatorOptions options, string apiKey)
    {
        Options = options;
        Time = options.TimeProvider;
        ApiKey = apiKey;
        Scenario = options.Scenario ?? EmulatorScenario.Default;
        Tokens = new TokenService(Time);
        RelayLogger = options.LoggerFactory.CreateLogger("Tavus.Cvi.Emulator.Relay");
        SignalingLogger = options.LoggerFactory.CreateLogger("Tavus.Cvi.Emulator.Signaling");
        RestLogger = options.LoggerFactory.CreateLogger("Tavus.Cvi.Emulator.Rest");
        ReplicaLogger = options.LoggerFactory.CreateLogger("Tavus.Cvi.Emulator.Replica");
        Conversations = new ConversationStore(this);
        Webhooks = new WebhookDispatcher(this, options.WebhookHttpClient, options.LoggerFactory.CreateLogger("Tavus.Cvi.Emulator.Webhooks"));
    }

    public CviEmulatorOptions Options { get; }

    public TimeProvider Time { get; }

    public long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();

    public string ApiKey { get; }

    public EmulatorScenario Scenario { get; }

    public TokenService Tokens { get; }

    public ConversationStore Conversations { get; }

    public WebhookDispatcher Webhooks { get; }

    public EmulatorFaults GlobalFaults { get; } = new();

    public ILogger RelayLogger { get; }

    public ILogger SignalingLogger { get; }

    public ILogger RestLogger { get; }

    public ILogger ReplicaLogger { get; }

    /// <summary>Whether a room is peer-to-peer (daily-protocol.md §7): the option for every room, or the conversation's switch.</summary>
    public bool IsPeerToPeer(string conversationId) => Options.PeerToPeerRooms || Faults(conversationId).PeerToPeerTopology;

    /// <summary>The emulator's base URI (<c>http://127.0.0.1:{port}/</c>), known once Kestrel listens.</summary>
    public Uri BaseUri { get; set; } = new("http://127.0.0.1/");

    public EmulatorFaults FaultsFor(string conversationId) => _conversationFaults.GetOrAdd(conversationId, _ => new EmulatorFaults());

    /// <summary>The faults of a conversation merged with the global ones.</summary>
    public FaultView Faults(string? conversationId) =>
        new(GlobalFaults, conversationId is null ? null : _conversationFaults.GetValueOrDefault(conversationId));

    /// <summary>
    /// The worker a lookup hands out. Primary URI form <c>ws://127.0.0.1:{port}/signaling/{room}/{workerId}.wss</c>;
    /// the alternate form ends in <c>-wss</c> instead (daily-protocol.md §4.1, the <c>.wss.daily.co</c> →
    /// <c>-wss.daily.co</c> fallback). The room in the path lets per-conversation connect faults apply.
    /// </summary>
    public (string WorkerId, Uri WssUri) NextWorker(string room)
    {
        // Two workers alternate so that a client which wrongly keeps a stale worker URI is noticed in tests.
        string workerId = "w-emu-" + ((Interlocked.Increment(ref _workerSequence) & 1) + 1);
        return (workerId, WorkerUri(room, workerId, alternate: false));
    }

    public Uri WorkerUri(string room, string workerId, bool alternate)
    {
        var ws = new UriBuilder(BaseUri) { Scheme = "ws", Path = "signaling/" + room + "/" + workerId + (alternate ? "-wss" : ".wss") };
        return ws.Uri;
    }

    public void RecordRelay(string conversationId, string from, string to, string tag, byte[] payload, int recipients)
    {
        if (RelayLogger.IsEnabled(LogLevel.Information))
        {
            Log.MessageRelayed(RelayLogger, conversationId, tag, from, to, payload.Length, recipients);
        }

        Log.MessagePayload(RelayLogger, conversationId, payload);

        int capacity = Options.RelayLogCapacity;
        if (capacity <= 0)
        {
            return;
        }

        _relayLog.Enqueue(new RelayedMessage(Time.GetUtcNow(), conversationId, from, to, tag, Encoding.UTF8.GetString(payload), recipients));
        while (_relayLog.Count > capacity && _relayLog.TryDequeue(out _))
        {
        }
    }

    public void AddConnection(SignalingConnection connection) => _connections.TryAdd(connection, 0);

    public void RemoveConnection(SignalingConnection connection) => _connections.TryRemove(connection, out _);

    public SignalingConnection[] AllConnections() => [.. _connections.Keys];

    /// <summary>The live sockets of a conversation (optionally one session id).</summary>
    public SignalingConnection[] Connections(string conversationId, string? sessionId = null) =>
        _connections.Keys.Where(c => c.ConversationId == conversationId && (sessionId is null || c.SessionId == sessionId)).ToArray();

    public IReadOnlyList<RelayedMessage> RelayLog(string? conversationId) =>
        _relayLog.Where(m => conversationId is null || m.ConversationId == conversationId).ToArray();
}
