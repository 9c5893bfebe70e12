using System.Buffers;
using System.Net.WebSockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using Tavus.Cvi.Emulator.Conversations;
using Tavus.Cvi.Emulator.Diagnostics;
using Tavus.Cvi.Emulator.Faults;

namespace Tavus.Cvi.Emulator.Daily;

/// <summary>
/// One client's signaling WebSocket (daily-protocol.md §4–§6): <c>join-for-sig</c>/<c>sig-ack</c>, heartbeats,
/// presence, <c>sig-msg</c> relay with the size limit, soup replies, leave. A receive loop handles client frames;
/// a write loop drains the outbound queue (optionally batching, with the frame-delay, stall and drop faults).
/// </summary>
internal sealed class SignalingConnection : IRoomMember
{
    private const int MaxFrameBytes = 1 << 20;
    private const int MaxQueuedFrames = 20_000;
    private const int MaxBatch = 64;
    private static readonly TimeSpan DropGrace = TimeSpan.FromMilliseconds(100);

    private static readonly HashSet<string> IgnoredTypes = new(StringComparer.Ordinal)
    {
        "sig-logs", "sig-ks-row", "sig-set-session-data", "sig-update-permissions", "sig-set-topology", "sig-reset-session", "sig-bye",
    };

    private static readonly HashSet<string> MediaCommands = new(StringComparer.Ordinal)
    {
        "create-transport", "connect-transport", "send-track", "recv-track", "resume-consumer", "pause-consumer",
        "set-consumer-layers", "pause-producer", "resume-producer", "restart-ice",
        "start-transcription", "stop-transcription", "start-recording", "stop-recording",
    };

    private static readonly HashSet<string> FireAndForget = new(StringComparer.Ordinal)
    {
        "close-connection", "close-consumer", "close-producer",
    };

    private readonly EmulatorState _state;
    private readonly WebSocket _socket;
    private readonly string _roomName;
    private readonly Channel<OutboundFrame> _outbox = Channel.CreateUnbounded<OutboundFrame>(new UnboundedChannelOptions { SingleReader = true });
    private string _sessionId = string.Empty;
    private Room? _room;
    private volatile bool _stalled;
    private volatile bool _aborted;
    private bool _left;
    private int _dropRemaining = -1;
    private long _lastReceivedMs;
    private int _queued;
    private WebSocketCloseStatus _closeStatus = WebSocketCloseStatus.NormalClosure;
    private string? _closeDescription;

    public SignalingConnection(EmulatorState state, WebSocket socket, string roomName)
    {
        _state = state;
        _socket = socket;
        _roomName = roomName;
        _lastReceivedMs = state.NowMs;
    }

    public string SessionId => _sessionId;

    public bool IsReplica => false;

    public string ConversationId => _roomName;

    public void Deliver(OutboundFrame frame)
    {
        if (!_outbox.Writer.TryWrite(frame))
        {
            return;
        }

        if (Interlocked.Increment(ref _queued) > MaxQueuedFrames)
        {
            // A client that stopped reading would grow the queue without bound; Daily would drop it too.
            Log.SlowConsumerDropped(_state.SignalingLogger, _roomName, _sessionId);
            Disconnect(abort: true);
        }
    }

    public void Disconnect(bool abort)
    {
        if (abort)
        {
            _aborted = true;
            // Abort fails the pending receive and send; RunAsync then completes the queue and ends the writer.
            _socket.Abort();
        }
        else
        {
            // Drain what is queued (for example room-deleted), then close the socket.
            _outbox.Writer.TryComplete();
        }
    }

    /// <summary>Stops all traffic to the client and ignores its frames, as a hung server would.</summary>
    public void Stall() => _stalled = true;

    public async Task RunAsync(CancellationToken requestAborted)
    {
        CancellationToken ct = requestAborted;
        _state.AddConnection(this);
        using ITimer joinDeadline = _state.Time.CreateTimer(
            _ =>
            {
                if (_room is null)
                {
                    Disconnect(abort: true);
                }
            },
            null,
            TimeSpan.FromSeconds(30),
            Timeout.InfiniteTimeSpan);
        using ITimer? idle = _state.Options.SignalingIdleTimeout is { } idleTimeout
            ? _state.Time.CreateTimer(_ => CheckIdle(idleTimeout), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1))
            : null;
        Task writer = WriteLoopAsync(ct);
        try
        {
            await ReceiveLoopAsync(ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The socket died (client gone, aborted by a fault): treated as an abrupt leave below.
        }
        catch (Exception ex)
        {
            Log.ConnectionFailed(_state.SignalingLogger, _roomName, _sessionId, ex);
            _socket.Abort();
        }
        finally
        {
            LeaveRoom(null);
            _outbox.Writer.TryComplete();
            _state.RemoveConnection(this);
            try
            {
                await writer.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    private void CheckIdle(TimeSpan idleTimeout)
    {
        if (_state.NowMs - Interlocked.Read(ref _lastReceivedMs) > idleTimeout.TotalMilliseconds)
        {
            Log.IdleDropped(_state.SignalingLogger, _roomName, _sessionId);
            Disconnect(abort: true);
        }
    }

    private async Task ReceiveLoopAsync(CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            buffer.ResetWrittenCount();
            ValueWebSocketReceiveResult result;
            do
            {
                result = await _socket.ReceiveAsync(buffer.GetMemory(4096), ct).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    // The write loop answers the close handshake once it has stopped sending.
                    return;
                }

                buffer.Advance(result.Count);
                if (buffer.WrittenCount > MaxFrameBytes)
                {
                    Close(WebSocketCloseStatus.MessageTooBig, "frame too large");
                    return;
                }
            }
            while (!result.EndOfMessage);

            Interlocked.Exchange(ref _lastReceivedMs, _state.NowMs);
            if (result.MessageType != WebSocketMessageType.Text)
            {
                // Daily signaling is UTF-8 JSON text frames only (§4.1).
                Close(WebSocketCloseStatus.InvalidMessageType, "text frames only");
                return;
            }

            if (_stalled)
            {
                continue;
            }

            if (!HandleFrame(buffer.WrittenMemory))
            {
                return;
            }
        }
    }

    /// <summary>Handles one client frame; false ends the connection.</summary>
    private bool HandleFrame(ReadOnlyMemory<byte> utf8)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8);
        }
        catch (JsonException)
        {
            Log.MalformedClientFrame(_state.SignalingLogger, _roomName, _sessionId, "not JSON");
            if (_room is null)
            {
                Close(WebSocketCloseStatus.PolicyViolation, "join refused");
                return false;
            }

            return true;
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (!DailyApi.TryGetString(root, "msgStr", out string msgStr))
            {
                Log.MalformedClientFrame(_state.SignalingLogger, _roomName, _sessionId, "no msgStr");
                if (_room is null)
                {
                    Close(WebSocketCloseStatus.PolicyViolation, "join refused");
                    return false;
                }

                return true;
            }

            JsonElement msgData = root.TryGetProperty("msgData", out JsonElement d) ? d : default;
            if (_room is null)
            {
                if (msgStr != "join-for-sig" || !TryJoin(root, msgData))
                {
                    Log.JoinRefused(_state.SignalingLogger, _roomName, msgStr);
                    Close(WebSocketCloseStatus.PolicyViolation, "join refused");
                    return false;
                }

                return true;
            }

            switch (msgStr)
            {
                case "sig-ack":
                    AnswerHeartbeat(msgData);
                    break;
                case "sig-presence":
                    HandlePresence(msgData);
                    break;
                case "sig-msg":
                    HandleSigMsg(msgData);
                    break;
                case "join-for-sig":
                    // A repeated join on a live socket: answer it again rather than fail (Daily's choice is unknown).
                    TryJoin(root, msgData);
                    break;
                case "join-as-new-peer":
                    SoupReply(msgData, w =>
                    {
                        WriteRouterRtpCapabilities(w);
                        w.WriteNull("liveStreamingState"u8);
                        w.WriteNull("cloudRecordingState"u8);
                        w.WriteBoolean("isRecordingTracks"u8, false);
                        w.WriteBoolean("isRecordingRawTracks"u8, false);
                        w.WriteBoolean("isLiveTranscribing"u8, false);
                    });
                    break;
                default:
                    if (IgnoredTypes.Contains(msgStr) || FireAndForget.Contains(msgStr))
                    {
                        break;
                    }

                    if (MediaCommands.Contains(msgStr) || (msgData.ValueKind == JsonValueKind.Object && msgData.TryGetProperty("_sendTs", out _)))
                    {
                        string message = MediaCommands.Contains(msgStr) ? "media is not emulated" : "unknown command " + msgStr;
                        SoupReply(msgData, w =>
                        {
                            w.WriteStartObject("error"u8);
                            w.WriteString("message"u8, message);
                            w.WriteString("name"u8, "UnsupportedError"u8);
                            w.WriteEndObject();
                        });
                        break;
                    }

                    Log.UnknownClientFrame(_state.SignalingLogger, _roomName, _sessionId, msgStr);
                    break;
            }

            return true;
        }
    }

    private bool TryJoin(JsonElement root, JsonElement msgData)
    {
        if (!DailyApi.TryGetString(root, "mtgStr", out string mtgStr) ||
            !DailyApi.TryGetString(root, "from", out string from) || from.Length == 0 ||
            msgData.ValueKind != JsonValueKind.Object ||
            (_room is not null && from != _sessionId))
        {
            return false;
        }

        DailyApi.TryGetString(msgData, "sigAuthz", out string sigAuthz);
        string expectedMtgStr = ConversationStore.Domain + "/" + _roomName;
        if (mtgStr != expectedMtgStr ||
            _state.Conversations.Get(_roomName) is not { IsJoinable: true } conversation ||
            !_state.Tokens.ValidateSigAuthz(sigAuthz, _roomName, from))
        {
            return false;
        }

        JsonObject presence = msgData.TryGetProperty("presence", out JsonElement p) && p.ValueKind == JsonValueKind.Object
            ? (JsonObject)JsonNode.Parse(p.GetRawText())!
            : new JsonObject();
        string? proposedMtgSession = msgData.TryGetProperty("mtgSession", out JsonElement ms) && DailyApi.TryGetString(ms, "id", out string msId) ? msId : null;
        _sessionId = from;
        Room room = conversation.Room;
        JoinResult result = room.Join(this, presence, proposedMtgSession, ack => Deliver(new OutboundFrame(BuildSigAck(ack), false, null, _state.NowMs)));
        if (!result.Joined)
        {
            return false;
        }

        _room = room;
        Log.ClientJoined(_state.SignalingLogger, _roomName, _sessionId, result.ActiveCount);
        return true;
    }

    private byte[] BuildSigAck(JoinResult ack) => SignalingFrames.Write(w =>
    {
        w.WriteString("msgStr"u8, "sig-ack"u8);
        // §7: the server decides the topology; a peer-to-peer room says so whatever the client's sfuRequired (an
        // emulator choice: daily-protocol.md §9 Q8 leaves open whether sfuRequired overrides the room).
        w.WriteString("topology"u8, _state.IsPeerToPeer(_roomName) ? "peer"u8 : "sfu"u8);
        w.WriteString("sigAuthz"u8, _state.Tokens.IssueSigAuthz(_roomName, _sessionId));
        w.WritePropertyName("permissions"u8);
        SignalingFrames.Permissions().WriteTo(w);
        w.WriteStartObject("mtgSession"u8);
        w.WriteString("id"u8, ack.MeetingSessionId);
        w.WriteEndObject();
        w.WriteStartObject("sessionData"u8);
        w.WriteEndObject();
        w.WriteString("clientSupportState"u8, "supported"u8);
        w.WriteStartArray("presences"u8);
        foreach (JsonObject other in ack.OtherPresences)
        {
            other.WriteTo(w);
        }

        w.WriteEndArray();
        SignalingFrames.WriteCounts(w, ack.ActiveCount);
        w.WriteNumber("serverTS"u8, _state.NowMs);
    });

    private void AnswerHeartbeat(JsonElement msgData)
    {
        // daily-js sends {"msgStr":"sig-ack","msgData":{"lTs":…}} after 1.9 s of silence and uses a top-level lTs
        // on a received frame as an RTT sample, so the reply echoes it (§4.5).
        bool hasLts = msgData.ValueKind == JsonValueKind.Object && msgData.TryGetProperty("lTs", out JsonElement lts) && lts.ValueKind == JsonValueKind.Number;
        JsonElement ltsValue = hasLts ? msgData.GetProperty("lTs") : default;
        byte[] frame = SignalingFrames.Write(w =>
        {
            w.WriteString("msgStr"u8, "sig-ack"u8);
            if (hasLts)
            {
                w.WritePropertyName("lTs"u8);
                ltsValue.WriteTo(w);
            }

            w.WriteNumber("serverTS"u8, _state.NowMs);
        });
        Deliver(new OutboundFrame(frame, false, null, _state.NowMs));
    }

    private void HandlePresence(JsonElement msgData)
    {
        switch (msgData.ValueKind)
        {
            case JsonValueKind.Object:
                _room!.UpdatePresence(this, (JsonObject)JsonNode.Parse(msgData.GetRawText())!);
                break;
            case JsonValueKind.String when msgData.ValueEquals("sig-disconnect"):
            case JsonValueKind.Null:
                // The client's leave: the server translates it to msgData:null for the others (§4.6).
                LeaveRoom(null);
                break;
            default:
                Log.MalformedClientFrame(_state.SignalingLogger, _roomName, _sessionId, "sig-presence msgData");
                break;
        }
    }

    private void HandleSigMsg(JsonElement msgData)
    {
        if (_left || !DailyApi.TryGetString(msgData, "tag", out string tag) || !msgData.TryGetProperty("fields", out JsonElement fields))
        {
            Log.MalformedClientFrame(_state.SignalingLogger, _roomName, _sessionId, "sig-msg without tag or fields");
            return;
        }

        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, SignalingFrames.WriterOptions))
        {
            fields.WriteTo(writer);
        }

        byte[] payload = buffer.WrittenSpan.ToArray();
        if (tag == "x-egassem")
        {
            // daily-js counts JSON.stringify(data).length in UTF-16 units (§6); a compact relaxed-escaping
            // serialization has the same length. Over the limit: drop, and tell the sender (docs/emulator.md).
            int size = System.Text.Encoding.UTF8.GetCharCount(payload);
            int limit = _state.Options.MaxAppMessageSize;
            if (size > limit)
            {
                Log.AppMessageTooLarge(_state.SignalingLogger, _roomName, _sessionId, size, limit);
                string? sendTs = DailyApi.TryGetString(msgData, "_sendTs", out string s) ? s : null;
                Deliver(new OutboundFrame(
                    SignalingFrames.Write(w =>
                    {
                        w.WriteString("msgStr"u8, "sig-msg-rejected"u8);
                        w.WriteStartObject("msgData"u8);
                        w.WriteString("reason"u8, "app-message-too-large"u8);
                        w.WriteNumber("size"u8, size);
                        w.WriteNumber("limit"u8, limit);
                        if (sendTs is not null)
                        {
                            w.WriteString("_sendTs"u8, sendTs);
                        }

                        w.WriteEndObject();
                        w.WriteNumber("serverTS"u8, _state.NowMs);
                    }),
                    false,
                    null,
                    _state.NowMs));
                return;
            }
        }

        List<string>? recipients = null;
        if (msgData.TryGetProperty("envelopeTo", out JsonElement to))
        {
            if (to.ValueKind == JsonValueKind.String && !to.ValueEquals("*"))
            {
                recipients = [to.GetString()!];
            }
            else if (to.ValueKind == JsonValueKind.Array)
            {
                // daily-js collapses an array containing "*" to "*" (§6).
                recipients = [];
                foreach (JsonElement id in to.EnumerateArray())
                {
                    if (id.ValueKind == JsonValueKind.String)
                    {
                        if (id.ValueEquals("*"))
                        {
                            recipients = null;
                            break;
                        }

                        recipients.Add(id.GetString()!);
                    }
                }
            }
        }

        _room!.Relay(_sessionId, tag, recipients, payload);
    }

    private void SoupReply(JsonElement request, Action<Utf8JsonWriter> fields)
    {
        FaultView faults = _state.Faults(_roomName);
        if (faults.DropSoupReplies)
        {
            return;
        }

        string? kTs = DailyApi.TryGetString(request, "_sendTs", out string s) ? s : null;
        byte[] frame = SignalingFrames.SoupReply(kTs, fields, _state.NowMs);
        TimeSpan delay = faults.SoupReplyDelay;
        if (delay <= TimeSpan.Zero)
        {
            Deliver(new OutboundFrame(frame, false, null, _state.NowMs));
            return;
        }

        ITimer? timer = null;
        timer = _state.Time.CreateTimer(
            _ =>
            {
                Deliver(new OutboundFrame(frame, false, null, _state.NowMs));
                timer?.Dispose();
            },
            null,
            delay,
            Timeout.InfiniteTimeSpan);
    }

    private static void WriteRouterRtpCapabilities(Utf8JsonWriter w)
    {
        // A fixed mediasoup router capability set (Opus + VP8), enough for a client that only parses it.
        w.WriteStartObject("routerRtpCapabilities"u8);
        w.WriteStartArray("codecs"u8);
        w.WriteStartObject();
        w.WriteString("kind"u8, "audio"u8);
        w.WriteString("mimeType"u8, "audio/opus"u8);
        w.WriteNumber("clockRate"u8, 48000);
        w.WriteNumber("channels"u8, 2);
        w.WriteNumber("preferredPayloadType"u8, 100);
        w.WriteEndObject();
        w.WriteStartObject();
        w.WriteString("kind"u8, "video"u8);
        w.WriteString("mimeType"u8, "video/VP8"u8);
        w.WriteNumber("clockRate"u8, 90000);
        w.WriteNumber("preferredPayloadType"u8, 101);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteStartArray("headerExtensions"u8);
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private void LeaveRoom(string? leftReason)
    {
        if (_room is null || _left)
        {
            return;
        }

        _left = true;
        if (_room.Leave(this, leftReason))
        {
            Log.ClientLeft(_state.SignalingLogger, _roomName, _sessionId);
        }
    }

    private async Task WriteLoopAsync(CancellationToken ct)
    {
        ChannelReader<OutboundFrame> reader = _outbox.Reader;
        var batch = new List<OutboundFrame>(MaxBatch);
        while (await reader.WaitToReadAsync(ct).ConfigureAwait(false))
        {
            while (reader.TryRead(out OutboundFrame? frame))
            {
                Interlocked.Decrement(ref _queued);
                byte[] bytes = frame.Utf8;
                if (_state.Options.BatchSignalingFrames && frame.Batchable)
                {
                    batch.Clear();
                    batch.Add(frame);
                    while (batch.Count < MaxBatch && reader.TryPeek(out OutboundFrame? next) && next.Batchable && reader.TryRead(out next))
                    {
                        Interlocked.Decrement(ref _queued);
                        batch.Add(next);
                    }

                    bytes = SignalingFrames.Batch(batch, _room?.Count ?? 1, _state.NowMs);
                }

                FaultView faults = _state.Faults(_roomName);
                TimeSpan delay = faults.FrameDelay;
                if (delay > TimeSpan.Zero)
                {
                    // Delay relative to when the frame was queued, so a burst is shifted, not stretched.
                    long wait = frame.EnqueuedAt + (long)delay.TotalMilliseconds - _state.NowMs;
                    if (wait > 0)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(wait), _state.Time, ct).ConfigureAwait(false);
                    }
                }

                if (_stalled)
                {
                    continue;
                }

                if (_dropRemaining < 0 && faults.TakeDropAfterFrames() is > 0 and int n)
                {
                    _dropRemaining = n;
                }

                await _socket.SendAsync(bytes, frame.IsBinary ? WebSocketMessageType.Binary : WebSocketMessageType.Text, endOfMessage: true, ct).ConfigureAwait(false);
                if (_dropRemaining > 0 && --_dropRemaining == 0)
                {
                    // Send nothing more, then cut the connection. A send completes once Kestrel has the bytes, not
                    // once they are on the wire, so an immediate abort could lose the last frames; the short grace
                    // is real time on purpose (the emulator's clock may be a fake one that never advances).
                    Log.SocketDroppedByFault(_state.SignalingLogger, _roomName, _sessionId);
                    _stalled = true;
                    await Task.Delay(DropGrace, TimeProvider.System, CancellationToken.None).ConfigureAwait(false);
                    Disconnect(abort: true);
                    return;
                }
            }
        }

        if (!_aborted && _socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await _socket.CloseOutputAsync(_closeStatus, _closeDescription, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Closes the socket with a status once the queue is drained (the write loop owns every send).</summary>
    private void Close(WebSocketCloseStatus status, string description)
    {
        _closeStatus = status;
        _closeDescription = description;
        _outbox.Writer.TryComplete();
    }

    /// <summary>Sends a raw frame (text or binary) to this client, bypassing the JSON builders (malformed-frame faults).</summary>
    public void DeliverRaw(byte[] bytes, bool binary) => Deliver(new OutboundFrame(bytes, false, null, _state.NowMs) { IsBinary = binary });
}
