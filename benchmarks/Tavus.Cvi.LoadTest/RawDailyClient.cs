using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Tavus.Cvi.LoadTest;

/// <summary>
/// The baseline: the least code that joins a Daily room and exchanges app messages, written straight on
/// <see cref="ClientWebSocket"/> from daily-protocol.md §3, §4.3 and §6, with no SDK in the way. It does no heartbeats,
/// reconnects, size checks, typed decoding, dispatch or logging, so it shows what the transport alone costs.
/// </summary>
internal sealed class RawDailyClient : IAsyncDisposable
{
    private static readonly string AboutClient = """{"library":"raw-baseline","version":"0"}""";

    private readonly ClientWebSocket _socket;
    private byte[] _buffer = new byte[4096];

    private RawDailyClient(ClientWebSocket socket, string sessionId)
    {
        _socket = socket;
        SessionId = sessionId;
    }

    public string SessionId { get; }

    /// <summary>Looks the room up (§3), opens the signaling socket and waits for <c>sig-ack</c> (§4.3, §4.4).</summary>
    public static async Task<RawDailyClient> JoinAsync(HttpClient http, Uri baseUri, string conversationId, CancellationToken cancellationToken)
    {
        var sessionId = Guid.NewGuid().ToString();
        using var lookup = await http.PostAsync(new Uri(baseUri, $"rooms/check/tavus/{conversationId}"), new FormUrlEncodedContent(
        [
            new("sessionId", sessionId),
            new("aboutClient", AboutClient),
        ]), cancellationToken);
        lookup.EnsureSuccessStatusCode();
        using var room = JsonDocument.Parse(await lookup.Content.ReadAsStringAsync(cancellationToken));
        var wssUri = new Uri(room.RootElement.GetProperty("worker").GetProperty("wssUri").GetString()!);
        var sigAuthz = room.RootElement.TryGetProperty("sigAuthz", out var authz) ? authz.GetString() ?? string.Empty : string.Empty;

        var socket = new ClientWebSocket();
        await socket.ConnectAsync(wssUri, cancellationToken);
        var client = new RawDailyClient(socket, sessionId);
        var join = JsonSerializer.Serialize(new
        {
            mtgStr = "tavus/" + conversationId,
            from = sessionId,
            msgStr = "join-for-sig",
            msgData = new
            {
                sfuRequired = true,
                sigAuthz,
                mtgSession = new { id = Guid.NewGuid().ToString() },
                aboutClient = new { library = "raw-baseline", version = "0" },
                presence = new { id = sessionId, name = "raw", callState = "passive" },
            },
        });
        await client.SendTextAsync(join, cancellationToken);
        while (true)
        {
            var frame = await client.ReceiveFrameAsync(cancellationToken);
            if (frame.Contains("\"sig-ack\"", StringComparison.Ordinal))
            {
                return client;
            }
        }
    }

    /// <summary>Sends an app message to everyone in the room (§6).</summary>
    public Task SendAppMessageAsync(string tavusJson, CancellationToken cancellationToken)
        => SendTextAsync("""{"msgStr":"sig-msg","msgData":{"tag":"x-egassem","fields":""" + tavusJson + ""","envelopeTo":"*"}}""", cancellationToken);

    /// <summary>Receives the next app message's payload (<c>msgData</c> of an <c>x-egassem</c> frame, batched or not).</summary>
    public async Task<JsonElement> ReceiveAppMessageAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var frame = await ReceiveFrameAsync(cancellationToken);
            using var document = JsonDocument.Parse(frame);
            var root = document.RootElement;
            if (TryGetAppMessage(root, out var payload))
            {
                return payload.Clone();
            }

            if (root.TryGetProperty("msgs", out var batch) && batch.ValueKind == JsonValueKind.Array)
            {
                foreach (var inner in batch.EnumerateArray())
                {
                    if (TryGetAppMessage(inner, out payload))
                    {
                        return payload.Clone();
                    }
                }
            }
        }
    }

    private static bool TryGetAppMessage(JsonElement frame, out JsonElement payload)
    {
        payload = default;
        return frame.TryGetProperty("tag", out var tag) && tag.ValueEquals("x-egassem") && frame.TryGetProperty("msgData", out payload);
    }

    private async Task SendTextAsync(string text, CancellationToken cancellationToken)
        => await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    private async Task<string> ReceiveFrameAsync(CancellationToken cancellationToken)
    {
        var length = 0;
        while (true)
        {
            var result = await _socket.ReceiveAsync(_buffer.AsMemory(length), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new WebSocketException("The server closed the signaling socket.");
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(_buffer, 0, length);
            }

            if (length == _buffer.Length)
            {
                Array.Resize(ref _buffer, _buffer.Length * 2);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException)
        {
        }

        _socket.Dispose();
    }
}
