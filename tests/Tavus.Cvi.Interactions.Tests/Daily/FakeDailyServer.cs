using System.Collections.Concurrent;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Tavus.Cvi.Interactions.Daily;

namespace Tavus.Cvi.Interactions.Tests.Daily;

/// <summary>One room lookup as the fake server received it.</summary>
internal sealed record LookupRequest(string Domain, string Room, string? ContentType, IReadOnlyDictionary<string, string> Form);

/// <summary>What a lookup handler answers.</summary>
internal sealed record LookupReply(int Status, string Body);

/// <summary>
/// A scripted Daily server on 127.0.0.1: <c>POST /rooms/check/{domain}/{room}</c> and WebSockets at
/// <c>/ws/{worker}</c>. Tests drive each accepted socket frame by frame through <see cref="FakeSocket"/>.
/// </summary>
internal sealed class FakeDailyServer : IAsyncDisposable
{
    public const string InitialSigAuthz = "SIGAUTHZ-initial-0b1c2d3e4f";
    public const string RefreshedSigAuthz = "SIGAUTHZ-refreshed-9a8b7c6d5e";

    private readonly WebApplication _app;
    private readonly Channel<FakeSocket> _sockets = Channel.CreateUnbounded<FakeSocket>();
    private readonly Channel<LookupRequest> _lookupArrivals = Channel.CreateUnbounded<LookupRequest>();
    private readonly ConcurrentQueue<FakeSocket> _all = new();

    private FakeDailyServer(WebApplication app, Uri baseUri)
    {
        _app = app;
        BaseUri = baseUri;
    }

    public Uri BaseUri { get; }

    public DailyEndpoints Endpoints => DailyEndpoints.ForEmulator(BaseUri);

    public ConcurrentQueue<LookupRequest> Lookups { get; } = new();

    /// <summary>Answers a lookup; the default returns <see cref="SuccessBody"/> for worker w1.</summary>
    public Func<LookupRequest, CancellationToken, Task<LookupReply>>? LookupHandler { get; set; }

    /// <summary>When set, WebSocket upgrades are refused with HTTP 503.</summary>
    public bool RefuseWebSockets { get; set; }

    public string RoomUrl(string room = "room1", string domain = "tavus") => $"{BaseUri}{domain}/{room}";

    public Uri WorkerUri(string worker = "w1") => new($"ws://{BaseUri.Authority}/ws/{worker}");

    public string SuccessBody(string worker = "w1", string sigAuthz = InitialSigAuthz) =>
        new JsonObject
        {
            ["roomId"] = "5b0c2a9e-1111-4d7e-9c3b-7f2d2a1b0c99",
            ["roomName"] = "room1",
            ["privacy"] = "private",
            ["needToRequest"] = false,
            ["sigAuthz"] = sigAuthz,
            ["worker"] = new JsonObject { ["workerId"] = worker, ["wssUri"] = WorkerUri(worker).ToString() },
            ["geoGroup"] = "local",
            ["permissions"] = new JsonObject { ["hasPresence"] = true, ["canSend"] = true, ["canAdmin"] = false },
            ["joinProps"] = new JsonObject { ["u"] = "Token User", ["ud"] = "user-42", ["o"] = false, ["r"] = "room1" },
        }.ToJsonString();

    public static async Task<FakeDailyServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.UseWebSockets();
        FakeDailyServer? server = null;
        app.MapPost("/rooms/check/{domain}/{room}", async (HttpContext context, string domain, string room) =>
        {
            var form = await context.Request.ReadFormAsync(context.RequestAborted);
            var request = new LookupRequest(domain, room, context.Request.ContentType,
                form.ToDictionary(kv => kv.Key, kv => kv.Value.ToString(), StringComparer.Ordinal));
            server!.Lookups.Enqueue(request);
            server._lookupArrivals.Writer.TryWrite(request);
            var reply = server.LookupHandler is { } handler
                ? await handler(request, context.RequestAborted)
                : new LookupReply(200, server.SuccessBody());
            context.Response.StatusCode = reply.Status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(reply.Body, context.RequestAborted);
        });
        app.Map("/ws/{worker}", async (HttpContext context, string worker) =>
        {
            if (!context.WebSockets.IsWebSocketRequest || server!.RefuseWebSockets)
            {
                context.Response.StatusCode = 503;
                return;
            }

            var socket = await context.WebSockets.AcceptWebSocketAsync();
            var fake = new FakeSocket(socket, worker);
            server._all.Enqueue(fake);
            server._sockets.Writer.TryWrite(fake);
            await fake.Completion;
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        server = new FakeDailyServer(app, new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/"));
        return server;
    }

    /// <summary>The next WebSocket a client opens.</summary>
    public async Task<FakeSocket> AcceptAsync() => await _sockets.Reader.ReadAsync().AsTask().WaitAsync(TestTimeouts.Io);

    /// <summary>The next room lookup as it arrives (before it is answered).</summary>
    public async Task<LookupRequest> NextLookupAsync() => await _lookupArrivals.Reader.ReadAsync().AsTask().WaitAsync(TestTimeouts.Io);

    public bool HasPendingSocket => _sockets.Reader.TryPeek(out _);

    public async ValueTask DisposeAsync()
    {
        _sockets.Writer.TryComplete();
        foreach (var socket in _all)
        {
            socket.Abort();
        }

        // Requests still running end at once rather than after the graceful-shutdown timeout.
        using var stop = new CancellationTokenSource();
        await stop.CancelAsync();
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}

/// <summary>One accepted signaling WebSocket, driven by the test.</summary>
internal sealed class FakeSocket
{
    private readonly WebSocket _socket;
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly LinkedList<string> _putBack = new();

    public FakeSocket(WebSocket socket, string worker)
    {
        _socket = socket;
        Worker = worker;
    }

    public string Worker { get; }

    public Task Completion => _completion.Task;

    /// <summary>The next text frame, parsed; <see langword="null"/> when the client closed the socket.</summary>
    public async Task<JsonObject?> ReceiveAsync()
    {
        var text = await ReceiveTextAsync();
        return text is null ? null : (JsonObject)JsonNode.Parse(text)!;
    }

    /// <summary>The next text frame exactly as received; <see langword="null"/> when the client closed the socket.</summary>
    public async Task<string?> ReceiveTextAsync()
    {
        if (_putBack.First is { } first)
        {
            _putBack.RemoveFirst();
            return first.Value;
        }

        using var timeout = new CancellationTokenSource(TestTimeouts.Io);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (true)
            {
                var result = await _socket.ReceiveAsync(buffer, timeout.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return null;
                }

                message.Write(buffer, 0, result.Count);
                if (result.EndOfMessage)
                {
                    return Encoding.UTF8.GetString(message.ToArray());
                }
            }
        }
        catch (WebSocketException)
        {
            return null;
        }
    }

    /// <summary>Reads frames until one with the given msgStr (skipping heartbeats and others); fails on close.</summary>
    /// <summary>
    /// The first frame with <paramref name="msgStr"/> that satisfies <paramref name="predicate"/>. The frames before it
    /// are dropped, or with <paramref name="keepSkipped"/> put back, in order, for the next receive: use that where the
    /// client may interleave frames the test reads next (a peer-to-peer offer can precede the client's presence).
    /// </summary>
    public async Task<JsonObject> ReceiveUntilAsync(string msgStr, Func<JsonObject, bool>? predicate = null, bool keepSkipped = false)
    {
        var skipped = new List<string>();
        while (true)
        {
            var text = await ReceiveTextAsync() ?? throw new InvalidOperationException($"The client closed the socket before sending {msgStr}.");
            var frame = (JsonObject)JsonNode.Parse(text)!;
            if ((string?)frame["msgStr"] == msgStr && (predicate is null || predicate(frame)))
            {
                for (int i = skipped.Count - 1; i >= 0; i--)
                {
                    _putBack.AddFirst(skipped[i]);
                }

                return frame;
            }

            if (keepSkipped)
            {
                skipped.Add(text);
            }
        }
    }

    public async Task SendAsync(string json)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public Task SendAsync(JsonNode frame) => SendAsync(frame.ToJsonString());

    /// <summary>
    /// The server side of a join: reads <c>join-for-sig</c>, answers <c>sig-ack</c>, reads the full presence and
    /// <c>join-as-new-peer</c>, and answers it.
    /// </summary>
    public async Task<JoinFrames> AcceptJoinAsync(JsonArray? presences = null, string topology = "sfu", string meetingSessionId = "mtg-session-1", long serverTs = 1_767_225_001_456)
    {
        var joinForSig = await ReceiveUntilAsync("join-for-sig");
        await SendAsync(new JsonObject
        {
            ["msgStr"] = "sig-ack",
            ["topology"] = topology,
            ["sigAuthz"] = FakeDailyServer.RefreshedSigAuthz,
            ["permissions"] = new JsonObject { ["hasPresence"] = true, ["canSend"] = true, ["canAdmin"] = false },
            ["mtgSession"] = new JsonObject { ["id"] = meetingSessionId },
            ["clientSupportState"] = "supported",
            ["presences"] = presences ?? [],
            ["activeCount"] = 1,
            ["serverTS"] = serverTs,
        });
        var presence = await ReceiveUntilAsync("sig-presence");
        var joinAsNewPeer = await ReceiveUntilAsync("join-as-new-peer");
        await SendAsync(new JsonObject
        {
            ["tag"] = "soup",
            ["msgData"] = new JsonObject { ["_kTs"] = (string?)joinAsNewPeer["msgData"]!["_sendTs"], ["routerRtpCapabilities"] = new JsonObject() },
        });
        return new JoinFrames(joinForSig, presence, joinAsNewPeer);
    }

    public async Task CloseAsync()
    {
        try
        {
            await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None).WaitAsync(TestTimeouts.Io);
        }
        catch (Exception ex) when (ex is WebSocketException or TimeoutException or ObjectDisposedException)
        {
            _socket.Abort();
        }

        _completion.TrySetResult();
    }

    /// <summary>Drops the connection without a close handshake.</summary>
    public void Abort()
    {
        _socket.Abort();
        _completion.TrySetResult();
    }
}

/// <summary>The frames of one join, as the server saw them.</summary>
internal sealed record JoinFrames(JsonObject JoinForSig, JsonObject Presence, JsonObject JoinAsNewPeer);

internal static class TestTimeouts
{
    /// <summary>How long a test waits for something that should happen promptly on loopback.</summary>
    public static readonly TimeSpan Io = TimeSpan.FromSeconds(30);
}
