using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Tavus.Cvi.Interactions.Daily;
using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.Interactions.Tests.Daily;

/// <summary>A fake Daily server, a transport pointed at it, a capturing logger and the transport's event stream.</summary>
internal sealed class DailyHarness : IAsyncDisposable
{
    public const string MeetingToken = "MEETING-TOKEN-eyJhbGciOi.secret";

    private readonly Channel<TransportEvent> _events = Channel.CreateUnbounded<TransportEvent>();
    private Task? _pump;

    private DailyHarness(FakeDailyServer server, DailyTransport transport, FakeTimeProvider? time, CapturingLoggerProvider logs, DailyTransportOptions options)
    {
        Server = server;
        Transport = transport;
        Time = time;
        Logs = logs;
        Options = options;
    }

    public FakeDailyServer Server { get; }

    public DailyTransport Transport { get; }

    public FakeTimeProvider? Time { get; }

    public CapturingLoggerProvider Logs { get; }

    public DailyTransportOptions Options { get; }

    public ConcurrentQueue<TransportEvent> Seen { get; } = new();

    public static async Task<DailyHarness> StartAsync(
        Action<DailyTransportOptions>? configure = null, bool fakeTime = false, Func<FakeDailyServer, string>? roomUrl = null,
        Func<ILoggerFactory, IDailyPeerConnectionFactory>? peerToPeer = null)
    {
        var server = await FakeDailyServer.StartAsync();
        var options = new DailyTransportOptions
        {
            Endpoints = server.Endpoints,
            MeetingToken = MeetingToken,
            DisplayName = "Ada Lovelace",
            ReconnectInitialDelay = TimeSpan.Zero,
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(20),
        };
        configure?.Invoke(options);
        var logs = new CapturingLoggerProvider();
        var loggerFactory = LoggerFactory.Create(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        if (peerToPeer is not null)
        {
            options.PeerToPeer = peerToPeer(loggerFactory);
        }

        var time = fakeTime ? new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero)) : null;
        var transport = new DailyTransport(roomUrl?.Invoke(server) ?? server.RoomUrl(), options, loggerFactory, time);
        var harness = new DailyHarness(server, transport, time, logs, options);
        harness._pump = Task.Run(harness.PumpAsync);
        return harness;
    }

    /// <summary>Joins with the fake server answering; returns the server's socket and the join frames.</summary>
    public async Task<(FakeSocket Socket, JoinFrames Frames)> JoinAsync(JsonArray? presences = null)
    {
        var join = Transport.JoinAsync();
        var socket = await Server.AcceptAsync();
        var frames = await socket.AcceptJoinAsync(presences);
        await join.WaitAsync(TestTimeouts.Io);
        return (socket, frames);
    }

    /// <summary>The next event of the transport's stream.</summary>
    public async Task<TransportEvent> NextEventAsync()
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Io);
        return await _events.Reader.ReadAsync(timeout.Token);
    }

    /// <summary>Skips events until one of type <typeparamref name="T"/> matching the predicate.</summary>
    public async Task<T> WaitForEventAsync<T>(Func<T, bool>? predicate = null)
        where T : TransportEvent
    {
        while (true)
        {
            if (await NextEventAsync() is T match && (predicate is null || predicate(match)))
            {
                return match;
            }
        }
    }

    public Task<TransportStateChanged> WaitForStateAsync(TransportState state) =>
        WaitForEventAsync<TransportStateChanged>(e => e.State == state);

    /// <summary>Whether the event stream completed (after <see cref="TransportState.Closed"/>).</summary>
    public async Task<bool> EventsCompletedAsync()
    {
        while (await _events.Reader.WaitToReadAsync().AsTask().WaitAsync(TestTimeouts.Io))
        {
            _events.Reader.TryRead(out _);
        }

        return true;
    }

    public static JsonObject Presence(string id, string? name = null, string? userId = null, long? joinedAt = 1_767_225_000_123, bool hasPresence = true)
    {
        var presence = new JsonObject { ["id"] = id };
        if (name is not null)
        {
            presence["name"] = name;
        }

        if (userId is not null)
        {
            presence["user_id"] = userId;
        }

        if (joinedAt is not null)
        {
            presence["joinedAt"] = joinedAt;
        }

        presence["permissions"] = new JsonObject { ["hasPresence"] = hasPresence, ["canSend"] = true, ["canAdmin"] = false };
        return presence;
    }

    public static JsonObject AppMessage(string from, JsonNode payload, string to = "*") => new()
    {
        ["msgStr"] = "sig-msg",
        ["tag"] = "x-egassem",
        ["from"] = from,
        ["to"] = to,
        ["msgData"] = payload,
        ["serverTS"] = 1_767_225_002_000,
    };

    public async ValueTask DisposeAsync()
    {
        await Transport.DisposeAsync();
        await Server.DisposeAsync();
        if (_pump is not null)
        {
            await _pump.WaitAsync(TestTimeouts.Io);
        }
    }

    private async Task PumpAsync()
    {
        await foreach (var item in Transport.ReadEventsAsync())
        {
            Seen.Enqueue(item);
            _events.Writer.TryWrite(item);
        }

        _events.Writer.TryComplete();
    }
}
