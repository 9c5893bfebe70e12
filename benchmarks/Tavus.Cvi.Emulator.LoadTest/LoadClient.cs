using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tavus.Cvi.Emulator.LoadTest;

/// <summary>
/// One raw Daily signaling client (ClientWebSocket, no SDK): joins a room, optionally sends app messages stamped with
/// a send timestamp, and records the relay latency of stamped messages it receives.
/// </summary>
internal sealed class LoadClient : IAsyncDisposable
{
    private static readonly byte[] StampKey = "\"load_ts\":"u8.ToArray();
    private static readonly byte[] ReplicaStopped = "conversation.replica.stopped_speaking"u8.ToArray();
    private readonly ClientWebSocket _socket = new();
    private readonly Stats _stats;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private Task _receive = Task.CompletedTask;
    private int _sendTs;

    public LoadClient(Stats stats) => _stats = stats;

    public string SessionId { get; } = Guid.NewGuid().ToString();

    public static async Task<LoadClient> JoinAsync(HttpClient http, Uri baseUri, string conversationId, Stats stats, CancellationToken ct)
    {
        var client = new LoadClient(stats);
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["sessionId"] = client.SessionId,
            ["aboutClient"] = "{\"library\":\"load-test\",\"version\":\"1\"}",
        });
        using HttpResponseMessage response = await http.PostAsync(new Uri(baseUri, $"rooms/check/tavus/{conversationId}"), form, ct);
        response.EnsureSuccessStatusCode();
        JsonNode lookup = JsonNode.Parse(await response.Content.ReadAsStringAsync(ct))!;
        await client._socket.ConnectAsync(new Uri(lookup["worker"]!["wssUri"]!.GetValue<string>()), ct);
        var ackSeen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client._receive = Task.Run(() => client.ReceiveLoopAsync(ackSeen), CancellationToken.None);
        await client.SendAsync(new JsonObject
        {
            ["mtgStr"] = "tavus/" + conversationId,
            ["from"] = client.SessionId,
            ["msgStr"] = "join-for-sig",
            ["msgData"] = new JsonObject
            {
                ["sfuRequired"] = true,
                ["sigAuthz"] = lookup["sigAuthz"]!.GetValue<string>(),
                ["mtgSession"] = new JsonObject { ["id"] = Guid.NewGuid().ToString() },
                ["presence"] = new JsonObject { ["id"] = client.SessionId, ["name"] = "load" },
            },
        }.ToJsonString(), ct);
        await ackSeen.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
        return client;
    }

    /// <summary>Sends one stamped app message to everyone; a respond interaction when <paramref name="respond"/>.</summary>
    public Task SendStampedAsync(string conversationId, bool respond, CancellationToken ct)
    {
        long ts = Stopwatch.GetTimestamp();
        string fields = respond
            ? $"{{\"message_type\":\"conversation\",\"event_type\":\"conversation.respond\",\"conversation_id\":\"{conversationId}\",\"properties\":{{\"text\":\"hello from the load test\",\"load_ts\":{ts}}}}}"
            : $"{{\"message_type\":\"conversation\",\"event_type\":\"app.load_probe\",\"conversation_id\":\"{conversationId}\",\"properties\":{{\"load_ts\":{ts}}}}}";
        string frame = $"{{\"msgStr\":\"sig-msg\",\"msgData\":{{\"tag\":\"x-egassem\",\"fields\":{fields},\"envelopeTo\":\"*\",\"_sendTs\":\"{ts}.{Interlocked.Increment(ref _sendTs)}\"}}}}";
        Interlocked.Increment(ref _stats.Sent);
        return SendAsync(frame, ct);
    }

    private async Task SendAsync(string json, CancellationToken ct)
    {
        await _sendLock.WaitAsync(ct);
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text, true, ct);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private async Task ReceiveLoopAsync(TaskCompletionSource ackSeen)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(1 << 16);
        int length = 0;
        try
        {
            while (true)
            {
                ValueWebSocketReceiveResult result = await _socket.ReceiveAsync(buffer.AsMemory(length), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                length += result.Count;
                if (!result.EndOfMessage)
                {
                    if (length == buffer.Length)
                    {
                        byte[] bigger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                        buffer.AsSpan(0, length).CopyTo(bigger);
                        ArrayPool<byte>.Shared.Return(buffer);
                        buffer = bigger;
                    }

                    continue;
                }

                long now = Stopwatch.GetTimestamp();
                ReadOnlySpan<byte> frame = buffer.AsSpan(0, length);
                length = 0;
                Interlocked.Increment(ref _stats.Received);
                if (!ackSeen.Task.IsCompleted && frame.IndexOf("\"msgStr\":\"sig-ack\""u8) >= 0)
                {
                    ackSeen.TrySetResult();
                }

                int at = frame.IndexOf(StampKey);
                if (at >= 0 && Utf8Parser.TryParse(frame[(at + StampKey.Length)..], out long sent, out _))
                {
                    _stats.Record(Stopwatch.GetElapsedTime(sent, now));
                }
                else if (frame.IndexOf(ReplicaStopped) >= 0)
                {
                    Interlocked.Increment(ref _stats.ReplicaTurns);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            Interlocked.Increment(ref _stats.Disconnects);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            ackSeen.TrySetException(new InvalidOperationException("closed before sig-ack"));
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }

        _socket.Dispose();
        _sendLock.Dispose();
    }
}
