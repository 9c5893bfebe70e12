using System.Net.WebSockets;
using System.Text;
using System.Threading.Channels;

namespace Tavus.Cvi.Emulator.Tests.Infrastructure;

/// <summary>
/// A Daily signaling client written directly on <see cref="ClientWebSocket"/>, independent of the SDK's transport,
/// so the emulator and the transport cannot share a mistake. <c>sig-batch</c> frames are unpacked into their
/// elements (recorded in <see cref="Batches"/>).
/// </summary>
internal sealed class RawSignalingClient : IAsyncDisposable
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(20);

    private readonly ClientWebSocket _socket = new();
    private readonly Channel<RawFrame> _frames = Channel.CreateUnbounded<RawFrame>();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private Task _receiveLoop = Task.CompletedTask;
    private int _sendTs;

    public string SessionId { get; init; } = Guid.NewGuid().ToString();

    public List<RawFrame> Received { get; } = [];

    public int Batches { get; private set; }

    public WebSocketCloseStatus? CloseStatus { get; private set; }

    public TaskCompletionSource Closed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public JsonElement SigAck { get; set; }

    public WebSocketState State => _socket.State;

    public static async Task<RawSignalingClient> ConnectAsync(Uri uri, string? sessionId = null)
    {
        var client = sessionId is null ? new RawSignalingClient() : new RawSignalingClient { SessionId = sessionId };
        using var cts = new CancellationTokenSource(DefaultTimeout);
        await client._socket.ConnectAsync(uri, cts.Token);
        client._receiveLoop = Task.Run(client.ReceiveLoopAsync);
        return client;
    }

    public string NextSendTs() => $"{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}.{Interlocked.Increment(ref _sendTs)}";

    public async Task SendAsync(string json, WebSocketMessageType type = WebSocketMessageType.Text)
    {
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(json), type, true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public Task SendAsync(JsonNode frame) => SendAsync(frame.ToJsonString());

    /// <summary>Sends an app message (daily-protocol.md §6).</summary>
    public Task SendAppMessageAsync(JsonNode payload, JsonNode? to = null) => SendAsync(new JsonObject
    {
        ["msgStr"] = "sig-msg",
        ["msgData"] = new JsonObject { ["tag"] = "x-egassem", ["fields"] = payload, ["envelopeTo"] = to ?? "*", ["_sendTs"] = NextSendTs() },
    });

    public Task SendJoinAsync(string mtgStr, string sigAuthz, string name = "Guest", string? mtgSessionId = null) => SendAsync(new JsonObject
    {
        ["mtgStr"] = mtgStr,
        ["from"] = SessionId,
        ["msgStr"] = "join-for-sig",
        ["msgData"] = new JsonObject
        {
            ["sfuRequired"] = true,
            ["sigAuthz"] = sigAuthz,
            ["mtgSession"] = new JsonObject { ["id"] = mtgSessionId ?? Guid.NewGuid().ToString() },
            ["aboutClient"] = new JsonObject { ["library"] = "raw-test", ["version"] = "1.0" },
            ["presence"] = new JsonObject { ["id"] = SessionId, ["name"] = Uri.EscapeDataString(name), ["callState"] = "passive" },
        },
    });

    /// <summary>The next frame, or throws on timeout / close.</summary>
    public async Task<RawFrame> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            return await _frames.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException("No frame within the timeout. Received so far:\n" + string.Join("\n", Received.TakeLast(10)));
        }
    }

    /// <summary>Skips frames until one matches; throws on timeout or close.</summary>
    public async Task<RawFrame> WaitForAsync(Func<RawFrame, bool> predicate, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        try
        {
            while (true)
            {
                RawFrame frame = await _frames.Reader.ReadAsync(cts.Token);
                if (predicate(frame))
                {
                    return frame;
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ChannelClosedException)
        {
            throw new TimeoutException($"No matching frame ({ex.GetType().Name}). Received so far:\n" + string.Join("\n", Received.TakeLast(15)));
        }
    }

    public Task<RawFrame> WaitForEventAsync(string eventType, TimeSpan? timeout = null) =>
        WaitForAsync(f => f.EventType == eventType, timeout);

    /// <summary>Collects every frame that arrives until <paramref name="until"/> matches one (inclusive).</summary>
    public async Task<List<RawFrame>> CollectUntilAsync(Func<RawFrame, bool> until, TimeSpan? timeout = null)
    {
        var list = new List<RawFrame>();
        await WaitForAsync(f =>
        {
            list.Add(f);
            return until(f);
        }, timeout);
        return list;
    }

    /// <summary>Frames already queued (no waiting).</summary>
    public List<RawFrame> Drain()
    {
        var list = new List<RawFrame>();
        while (_frames.Reader.TryRead(out RawFrame? f))
        {
            list.Add(f);
        }

        return list;
    }

    /// <summary>Waits until the server closed or dropped the socket.</summary>
    public async Task WaitForCloseAsync(TimeSpan? timeout = null) => await Closed.Task.WaitAsync(timeout ?? DefaultTimeout);

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[1 << 16];
        var message = new MemoryStream();
        try
        {
            while (true)
            {
                message.SetLength(0);
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        CloseStatus = result.CloseStatus;
                        if (_socket.State == WebSocketState.CloseReceived)
                        {
                            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
                        }

                        return;
                    }

                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage);

                string text = Encoding.UTF8.GetString(message.ToArray());
                JsonElement? json = null;
                try
                {
                    json = JsonDocument.Parse(text).RootElement.Clone();
                }
                catch (JsonException)
                {
                }

                if (json is { ValueKind: JsonValueKind.Object } j && j.TryGetProperty("msgStr", out var m) && m.ValueEquals("sig-batch"))
                {
                    Batches++;
                    foreach (JsonElement inner in j.GetProperty("msgs").EnumerateArray())
                    {
                        Publish(new RawFrame(inner.GetRawText(), false, inner.Clone()));
                    }

                    continue;
                }

                Publish(new RawFrame(text, result.MessageType == WebSocketMessageType.Binary, json));
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
        }
        finally
        {
            _frames.Writer.TryComplete();
            Closed.TrySetResult();
        }
    }

    private void Publish(RawFrame frame)
    {
        lock (Received)
        {
            Received.Add(frame);
        }

        _frames.Writer.TryWrite(frame);
    }

    public void Abort() => _socket.Abort();

    public async Task CloseAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var cts = new CancellationTokenSource(DefaultTimeout);
            try
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
                await _receiveLoop.WaitAsync(DefaultTimeout);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or TimeoutException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        _socket.Dispose();
        _sendLock.Dispose();
    }
}
