using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Tavus.Cvi.Interactions.Diagnostics;
using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.Interactions.Daily;

// The inbound half: the receive loop, frame dispatch (daily-protocol.md §4.2-§4.8, §5, §6) and the heartbeat (§4.5).
public sealed partial class DailyTransport
{
    private async Task ReceiveLoopAsync(DailySignalingConnection connection)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        var message = new ArrayBufferWriter<byte>(16 * 1024);
        var why = "the server closed the connection";
        Exception? error = null;
        try
        {
            while (true)
            {
                message.ResetWrittenCount();
                var tooLarge = false;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await connection.Socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    if (!tooLarge)
                    {
                        if (message.WrittenCount + result.Count > _options.MaxInboundFrameBytes)
                        {
                            // Keep reading to the end of the frame, but do not hold it (bounded memory).
                            tooLarge = true;
                        }
                        else
                        {
                            message.Write(buffer.AsSpan(0, result.Count));
                        }
                    }
                }
                while (!result.EndOfMessage);

                // §4.5: any inbound frame resets the silence clock.
                connection.LastReceivedTimestamp = _time.GetTimestamp();
                connection.HeartbeatSinceReceive = false;
                if (tooLarge)
                {
                    Log.DailyInboundFrameTooLarge(_logger, _options.MaxInboundFrameBytes);
                    continue;
                }

                if (result.MessageType != WebSocketMessageType.Text)
                {
                    Log.DailyBinaryFrameIgnored(_logger);
                    continue;
                }

                if (connection.Retired)
                {
                    continue;
                }

                HandleFrame(connection, message.WrittenMemory);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            why = "the connection failed";
            error = ex;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            OnConnectionEnded(connection, why, error);
        }
    }

    private void OnConnectionEnded(DailySignalingConnection connection, string why, Exception? error)
    {
        lock (_gate)
        {
            connection.Ended = true;
            if (!connection.Retired && connection == _connection && _state == TransportState.Connected)
            {
                BeginReconnectLocked(connection, why, moveUri: null);
            }
        }

        // A join in progress on this socket fails now rather than at its timeout.
        connection.Fail(new CviConnectionException(CviConnectionFailure.Network, "The signaling connection closed: " + why + ".", error!));
    }

    private void HandleFrame(DailySignalingConnection connection, ReadOnlyMemory<byte> frame)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(frame, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            Log.DailyMalformedFrame(_logger, frame.Length);
            return;
        }

        using (document)
        {
            try
            {
                HandleElement(connection, document.RootElement, 0);
            }
            catch (InvalidOperationException)
            {
                // A field of an unexpected JSON type: the frame is ignored, the connection kept.
                Log.DailyMalformedFrame(_logger, frame.Length);
            }
        }
    }

    private void HandleElement(DailySignalingConnection connection, JsonElement frame, int batchDepth)
    {
        if (frame.ValueKind != JsonValueKind.Object)
        {
            Log.DailyMalformedFrame(_logger, 0);
            return;
        }

        var msgStr = GetString(frame, "msgStr");
        var tag = GetString(frame, "tag");
        if (_logger.IsEnabled(LogLevel.Trace))
        {
            // Only the frame's type: frames such as sig-ack carry sigAuthz.
            Log.DailyFrameReceived(_logger, msgStr, tag, 0);
        }

        if (frame.TryGetProperty("moveMeeting", out var move) && move.ValueKind == JsonValueKind.Object)
        {
            // §4.8 new style: reconnect to the named worker without a lookup.
            HandleMove(connection, move, newStyle: true);
            return;
        }

        if (msgStr == "sig-batch")
        {
            HandleBatch(connection, frame, batchDepth);
            return;
        }

        if (tag == "soup" && msgStr != "sig-msg")
        {
            HandleSoup(connection, frame);
            return;
        }

        switch (msgStr)
        {
            case "sig-ack":
                HandleSigAck(connection, frame);
                return;
            case "sig-presence":
                HandlePresence(connection, frame);
                return;
            case "room-deleted":
                End(TransportCloseReason.RoomDeleted, "The room was deleted: the conversation has ended.");
                return;
            case "sig-msg-rejected":
                // Not a Daily frame (the emulator's report of an app message it dropped as too large, docs/emulator.md);
                // daily-js ignores it. Logged so the drop is visible.
                Log.DailyAppMessageRejected(_logger);
                return;
            default:
                break;
        }

        if (msgStr == "sig-msg" || (msgStr is null && tag is not null))
        {
            HandleTagged(connection, frame, tag);
            return;
        }

        if (frame.TryGetProperty("msgData", out var data) && data.ValueKind == JsonValueKind.Object &&
            data.TryGetProperty("moveMeeting", out var oldMove) && oldMove.ValueKind != JsonValueKind.Null)
        {
            // §4.8 old style: with lu:true a fresh lookup finds the new worker. Without it daily-js resolves the value
            // through a Daily endpoint this transport does not call; a fresh lookup reaches the same worker.
            HandleMove(connection, default, newStyle: false);
        }
    }

    private void HandleBatch(DailySignalingConnection connection, JsonElement frame, int batchDepth)
    {
        if (!frame.TryGetProperty("msgs", out var msgs) || msgs.ValueKind != JsonValueKind.Array)
        {
            Log.DailyMalformedFrame(_logger, 0);
            return;
        }

        var count = msgs.GetArrayLength();
        if (batchDepth >= MaxBatchDepth)
        {
            // §4.2: batches are bounded (256 entries, depth 8) so a hostile frame cannot cost unbounded work.
            Log.DailyBatchLimited(_logger, count, batchDepth + 1);
            return;
        }

        var index = 0;
        foreach (var inner in msgs.EnumerateArray())
        {
            if (index++ >= MaxBatchEntries)
            {
                Log.DailyBatchLimited(_logger, count - MaxBatchEntries, batchDepth + 1);
                break;
            }

            HandleElement(connection, inner, batchDepth + 1);
            if (connection.Retired)
            {
                break;
            }
        }
    }

    private static void HandleSoup(DailySignalingConnection connection, JsonElement frame)
    {
        if (!frame.TryGetProperty("msgData", out var data) || data.ValueKind != JsonValueKind.Object ||
            GetString(data, "_kTs") is not { } id)
        {
            // A push (tracks, volume, ...): this transport has no media, so nothing to do.
            return;
        }

        // §5: a reply with an "error" (string or object) or canceled:true is a failure.
        var failed = (data.TryGetProperty("error", out var error) && error.ValueKind is not (JsonValueKind.Null or JsonValueKind.False)) ||
                     (data.TryGetProperty("canceled", out var canceled) && canceled.ValueKind == JsonValueKind.True);
        connection.CompleteSoup(id, new DailySoupReply(failed));
    }

    private void HandleSigAck(DailySignalingConnection connection, JsonElement frame)
    {
        var first = !connection.SigAck.Task.IsCompleted;
        var topology = GetString(frame, "topology");
        string? supportState;
        lock (_gate)
        {
            if (frame.TryGetProperty("serverTS", out var serverTs) && serverTs.ValueKind == JsonValueKind.Number &&
                serverTs.TryGetInt64(out var serverMs))
            {
                _serverClockOffsetMs = serverMs - _time.GetUtcNow().ToUnixTimeMilliseconds();
                _haveServerClock = true;
            }

            if (GetString(frame, "sigAuthz") is { Length: > 0 } refreshed)
            {
                // §4.4: the refreshed credential is the one for join-as-new-peer and later rejoins.
                _sigAuthz = refreshed;
            }

            if (frame.TryGetProperty("mtgSession", out var mtgSession) && mtgSession.ValueKind == JsonValueKind.Object &&
                GetString(mtgSession, "id") is { Length: > 0 } meetingSessionId)
            {
                _meetingSessionId = meetingSessionId;
            }

            supportState = GetString(frame, "clientSupportState");
            if (supportState is null or "supported" or "unknown" || _supportStateLogged)
            {
                supportState = null;
            }
            else
            {
                _supportStateLogged = true;
            }
        }

        if (supportState is not null)
        {
            Log.DailyClientSupportState(_logger, supportState);
        }

        if (!ApplyTopology(connection, topology, first))
        {
            // §7: a peer-to-peer room carries app messages over WebRTC data channels, which this transport uses only
            // with a PeerToPeer factory. Topology is re-evaluated on every sig-ack (§4.4), so a later switch ends it too.
            var unsupported = new CviConnectionException(CviConnectionFailure.Unsupported,
                "This Daily room uses a peer-to-peer topology; set DailyTransportOptions.PeerToPeer (WebRtcPeerConnectionFactory of the Tavus.Cvi.Interactions.WebRtc package) to join it (the transport asked for SFU).");
            if (first)
            {
                connection.SigAck.TrySetException(unsupported);
            }
            else
            {
                End(TransportCloseReason.Error, unsupported.Message, unsupported);
            }

            return;
        }

        var hasPresences = frame.TryGetProperty("presences", out var presences) && presences.ValueKind == JsonValueKind.Array;
        lock (_gate)
        {
            if (first)
            {
                // The first sig-ack of a (re)join carries the whole room: reconcile with what we knew.
                var seen = new HashSet<string>(StringComparer.Ordinal);
                if (hasPresences)
                {
                    foreach (var presence in presences.EnumerateArray())
                    {
                        if (ApplyPresenceLocked(presence, fromId: null) is { } id)
                        {
                            seen.Add(id);
                        }
                    }
                }

                foreach (var gone in _participants.Values.Where(p => !seen.Contains(p.Id)).ToList())
                {
                    RemoveParticipantLocked(gone, reason: null);
                }

                _local = new RoomParticipant(SessionId, _options.DisplayName ?? _tokenUserName, _tokenUserId ?? SessionId, IsLocal: true, IsReplica: false);
            }
            else if (hasPresences)
            {
                foreach (var presence in presences.EnumerateArray())
                {
                    ApplyPresenceLocked(presence, fromId: null);
                }
            }
        }

        if (first)
        {
            connection.SigAck.TrySetResult();
        }
    }

    private void HandlePresence(DailySignalingConnection connection, JsonElement frame)
    {
        var from = GetString(frame, "from");
        frame.TryGetProperty("msgData", out var data);
        lock (_gate)
        {
            if (connection.Retired)
            {
                return;
            }

            if (data.ValueKind == JsonValueKind.Object)
            {
                ApplyPresenceLocked(data, from);
                return;
            }

            // §4.6: a leave is relayed as msgData null (or the client's own "sig-disconnect" string).
            if (from is not null && _participants.TryGetValue(from, out var leaving))
            {
                RemoveParticipantLocked(leaving, GetString(frame, "leftReason"));
            }
        }
    }

    /// <summary>Applies one presence (a full replacement, §4.6); returns the participant's id when it is listed.</summary>
    private string? ApplyPresenceLocked(JsonElement presence, string? fromId)
    {
        if (presence.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var id = GetString(presence, "id") ?? fromId;
        if (string.IsNullOrEmpty(id) || id == SessionId)
        {
            return null;
        }

        // hasPresence:false marks a hidden participant; daily-js lists a participant only once joinedAt is set.
        var hidden = presence.TryGetProperty("permissions", out var permissions) && permissions.ValueKind == JsonValueKind.Object &&
                     permissions.TryGetProperty("hasPresence", out var hasPresence) && hasPresence.ValueKind == JsonValueKind.False;
        var joined = presence.TryGetProperty("joinedAt", out var joinedAt) &&
                     joinedAt.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.String &&
                     !(joinedAt.ValueKind == JsonValueKind.Number && joinedAt.GetDouble() == 0) &&
                     !(joinedAt.ValueKind == JsonValueKind.String && joinedAt.GetString()!.Length == 0);
        var rawName = GetString(presence, "name");
        var name = string.IsNullOrEmpty(rawName) ? null : DailyUriEncoding.DecodeUri(rawName);
        // Receivers fall back to the session id when user_id is absent (§4.6).
        var userId = GetString(presence, "user_id") is { Length: > 0 } uid ? uid : id;
        var participant = new RoomParticipant(id, name, userId, IsLocal: false, IsReplica: RoomParticipant.IsReplicaUserId(userId));

        if (_participants.TryGetValue(id, out var existing))
        {
            if (hidden)
            {
                RemoveParticipantLocked(existing, "hidden");
                return null;
            }

            if (existing != participant)
            {
                _participants[id] = participant;
            }

            UpdatePeerCapabilityLocked(id, presence);
            return id;
        }

        if (hidden || !joined)
        {
            return null;
        }

        _participants[id] = participant;
        Log.DailyParticipantJoined(_logger, id, participant.IsReplica);
        _events.Writer.TryWrite(new ParticipantJoined(participant));
        UpdatePeerCapabilityLocked(id, presence);
        return id;
    }

    private void RemoveParticipantLocked(RoomParticipant participant, string? reason)
    {
        RemovePeerLocked(participant.Id);
        if (_participants.Remove(participant.Id))
        {
            Log.DailyParticipantLeft(_logger, participant.Id, reason);
            _events.Writer.TryWrite(new ParticipantLeft(participant, reason));
        }
    }

    private void HandleTagged(DailySignalingConnection connection, JsonElement frame, string? tag)
    {
        switch (tag)
        {
            case "x-egassem":
                HandleAppMessage(connection, frame);
                return;
            case "eject-please":
                End(TransportCloseReason.Ejected, "The local participant was ejected from the room.");
                return;
            case "error-meeting":
                var type = frame.TryGetProperty("msgData", out var data) && data.ValueKind == JsonValueKind.Object
                    ? SafeText(GetString(data, "type")) ?? SafeText(GetString(data, "error"))
                    : null;
                End(TransportCloseReason.Error, type is null
                    ? "The room reported a fatal error (error-meeting)."
                    : "The room reported a fatal error (error-meeting: " + type + ").");
                return;
            case null:
                Log.DailyMalformedFrame(_logger, 0);
                return;
            case not null when DailyPeerSignaling.IsPeerTag(tag) && GetString(frame, "from") is { Length: > 0 } from:
                DailyPeerLinks? peers;
                lock (_gate)
                {
                    peers = connection.Retired ? null : _peerLinks;
                }

                if (peers is not null)
                {
                    // §4.7: daily-js merges msgData into the frame; the §7 fields are in msgData.
                    frame.TryGetProperty("msgData", out var fields);
                    peers.HandleSignal(tag, from, fields);
                    return;
                }

                Log.DailyIgnoredTag(_logger, tag);
                return;
            default:
                // P2P signaling, knocking and remote-control tags (§4.7) need features this transport does not have.
                Log.DailyIgnoredTag(_logger, tag);
                return;
        }
    }

    private void HandleAppMessage(DailySignalingConnection connection, JsonElement frame)
    {
        if (!frame.TryGetProperty("msgData", out var data))
        {
            Log.DailyMalformedFrame(_logger, 0);
            return;
        }

        // §6: msgData is the sender's payload; it is handed on as the exact bytes that arrived, not re-serialized.
        var payload = JsonMarshal.GetRawUtf8Value(data).ToArray();
        var from = GetString(frame, "from") ?? string.Empty;
        if (_logger.IsEnabled(LogLevel.Trace))
        {
#pragma warning disable CA1873 // Guarded by IsEnabled above.
            Log.DailyAppMessageReceived(_logger, from, Encoding.UTF8.GetString(payload));
#pragma warning restore CA1873
        }

        lock (_gate)
        {
            if (!connection.Retired && _state != TransportState.Closed)
            {
                _events.Writer.TryWrite(new AppMessageReceived(payload, from));
            }
        }
    }

    private void HandleMove(DailySignalingConnection connection, JsonElement move, bool newStyle)
    {
        Uri? target = null;
        if (newStyle && GetString(move, "wssUri") is { } wss && Uri.TryCreate(wss, UriKind.Absolute, out var uri))
        {
            if (DailyRoomAddress.IsAllowedSignalingUri(uri, _options.Endpoints))
            {
                target = uri;
            }
            else
            {
                // Never follow a move to a host the endpoints do not allow; a fresh lookup decides instead.
                Log.DailySignalingHostRejected(_logger, _address.MeetingString, uri.Host);
            }
        }

        Log.DailyMeetingMoved(_logger, _address.MeetingString, newStyle);
        bool began;
        lock (_gate)
        {
            began = BeginReconnectLocked(connection, "the room moved to another worker", target, graceful: true);
        }

        if (!began && !connection.Retired)
        {
            // Moved while joining: this join attempt fails and the next one looks the room up again.
            connection.Abort();
        }
    }

    private void End(TransportCloseReason reason, string message, Exception? exception = null)
    {
        Log.DailyRoomEnded(_logger, _address.MeetingString, reason);
        exception ??= new CviConnectionException(CviConnectionFailure.Closed, message);
        lock (_gate)
        {
            // Ended during a join: the join reports this outcome.
            _connection?.Fail(exception);
        }

        Close(reason, message, exception);
    }

    private void HeartbeatTick(DailySignalingConnection connection)
    {
        if (connection.Retired || connection.Ended)
        {
            connection.HeartbeatTimer?.Dispose();
            return;
        }

        var silence = _time.GetElapsedTime(connection.LastReceivedTimestamp);
        if (silence.TotalMilliseconds > StaleSilenceMs && connection.HeartbeatSinceReceive)
        {
            // §4.5: silent for over 10 s although a heartbeat went out after the last frame: the socket is stale.
            Log.DailyHeartbeatStale(_logger, _address.MeetingString, silence.TotalMilliseconds);
            bool began;
            lock (_gate)
            {
                began = BeginReconnectLocked(connection, "no frame for over 10 s", moveUri: null);
            }

            if (!began)
            {
                // Stale while joining: the join attempt fails with this reason.
                connection.Fail(new CviConnectionException(CviConnectionFailure.Network,
                    "The signaling connection went silent (nothing received for over 10 s)."));
                connection.Abort();
            }

            return;
        }

        if (silence.TotalMilliseconds >= HeartbeatSilenceMs)
        {
            connection.HeartbeatSinceReceive = true;
            _ = SendHeartbeatAsync(connection);
        }
    }

    private async Task SendHeartbeatAsync(DailySignalingConnection connection)
    {
        try
        {
            await connection.SendAsync(DailyFrames.Heartbeat(_time.GetUtcNow().ToUnixTimeMilliseconds()), connection.ClosedToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
            // A failed socket is noticed by the receive loop; nothing else to do here.
            Log.DailyHeartbeatFailed(_logger, ex);
        }
    }

    private static string? GetString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    // Server-provided text that goes into a message: short, printable, or nothing.
    private static string? SafeText(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 200)
        {
            return null;
        }

        foreach (var c in text)
        {
            if (char.IsControl(c))
            {
                return null;
            }
        }

        return text;
    }
}
