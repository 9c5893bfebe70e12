using System.Net.WebSockets;
using System.Text.Json;
using Tavus.Cvi.Interactions.Diagnostics;
using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.Interactions.Daily;

// Peer-to-peer rooms (daily-protocol.md §7): the topology announced by sig-ack, the links to the other participants,
// and app messages over their data channels instead of sig-msg frames.
public sealed partial class DailyTransport
{
    private readonly HashSet<string> _peerCapable = new(StringComparer.Ordinal);
    private DailyPeerLinks? _peerLinks;

    /// <summary>Whether the room is in peer-to-peer mode right now (the last <c>sig-ack</c> said <c>topology:"peer"</c>).</summary>
    internal bool IsPeerToPeer
    {
        get
        {
            lock (_gate)
            {
                return _peerLinks is not null;
            }
        }
    }

    /// <summary>The peer-to-peer links right now (tests and diagnostics); empty in SFU mode.</summary>
    internal IReadOnlyList<DailyPeerLink> PeerLinks
    {
        get
        {
            DailyPeerLinks? links;
            lock (_gate)
            {
                links = _peerLinks;
            }

            return links?.Snapshot() ?? [];
        }
    }

    /// <summary>
    /// §7: a link is attempted only when the remote participant accepts calls (its presence is not
    /// <c>callState:"passive"</c>) and its <c>rtcType.impl</c> is <c>"peer-to-peer"</c>.
    /// </summary>
    internal static bool PresenceAllowsPeerToPeer(JsonElement presence)
    {
        if (presence.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        if (presence.TryGetProperty("callState", out var callState) && callState.ValueKind == JsonValueKind.String && callState.ValueEquals("passive"))
        {
            return false;
        }

        return presence.TryGetProperty("rtcType", out var rtcType) && rtcType.ValueKind == JsonValueKind.Object &&
               rtcType.TryGetProperty("impl", out var impl) && impl.ValueKind == JsonValueKind.String && impl.ValueEquals("peer-to-peer");
    }

    /// <summary>Records a presence's peer-to-peer capability and, in peer-to-peer mode, starts or keeps its link.</summary>
    private void UpdatePeerCapabilityLocked(string id, JsonElement presence)
    {
        var allows = PresenceAllowsPeerToPeer(presence);
        if (allows)
        {
            _peerCapable.Add(id);
        }
        else
        {
            _peerCapable.Remove(id);
        }

        _peerLinks?.UpdatePeer(id, allows);
    }

    private void RemovePeerLocked(string id)
    {
        _peerCapable.Remove(id);
        _peerLinks?.RemovePeer(id);
    }

    /// <summary>
    /// Applies the topology of a <c>sig-ack</c> (§4.4: re-evaluated on every one). Returns false when the room is
    /// peer-to-peer and <see cref="DailyTransportOptions.PeerToPeer"/> is null.
    /// </summary>
    private bool ApplyTopology(DailySignalingConnection connection, string? topology, bool first)
    {
        var factory = _options.PeerToPeer;
        if (topology == "peer" && factory is null)
        {
            return false;
        }

        string? previous;
        List<(string RecipientId, DailyPeerSend Send)>? drained = null;
        bool connected;
        lock (_gate)
        {
            previous = _topology;
            var next = topology ?? (first ? previous ?? "sfu" : previous);
            if (next is null || next == previous)
            {
                return true;
            }

            _topology = next;
            connected = _state == TransportState.Connected && !first;
            if (next == "peer" && _peerLinks is null && factory is not null)
            {
                _peerLinks = new DailyPeerLinks(
                    SessionId,
                    factory,
                    _options.MaxQueuedMessages,
                    _logger,
                    SendPeerSignalAsync,
                    NextSendTs,
                    OnPeerMessage,
                    _lifetime.Token);
                foreach (var id in _peerCapable)
                {
                    if (_participants.ContainsKey(id))
                    {
                        _peerLinks.UpdatePeer(id, allowsPeerToPeer: true);
                    }
                }
            }
            else if (next != "peer" && _peerLinks is { } links)
            {
                _peerLinks = null;
                drained = links.CloseForTopologyChange();
                if (!connected)
                {
                    // Joining or reconnecting: the messages that waited for a channel go first on the socket, before
                    // anything queued meanwhile (FlushQueueAndGoOnlineAsync), so none is lost by the switch.
                    for (var i = drained.Count - 1; i >= 0; i--)
                    {
                        var (recipient, send) = drained[i];
                        var pending = EnqueueLocked(send.Payload, recipient, atFront: true, force: true);
                        Forward(pending.Completion.Task, send.Completion);
                    }

                    drained = null;
                }
            }
        }

        if (previous is not null)
        {
            Log.DailyTopologyChanged(_logger, _address.MeetingString, previous, topology ?? "sfu");
        }

        if (connected)
        {
            // A switch mid-call: tell the others how this participant connects now (§7 rtcType), and in SFU mode join
            // the SFU before sending what waited for a channel (§5).
            _ = AfterTopologySwitchAsync(connection, drained);
        }

        return true;
    }

    private async Task AfterTopologySwitchAsync(DailySignalingConnection connection, List<(string RecipientId, DailyPeerSend Send)>? drained)
    {
        try
        {
            DailyLocalPresence presence;
            string sigAuthz;
            bool sfu;
            lock (_gate)
            {
                presence = LocalPresenceLocked();
                sigAuthz = _sigAuthz;
                sfu = _topology != "peer";
            }

            await connection.SendAsync(DailyFrames.Presence(presence), connection.ClosedToken).ConfigureAwait(false);
            if (sfu)
            {
                var reply = await SoupRequestAsync(connection, "join-as-new-peer",
                    writer => writer.WriteString("sigAuthz", sigAuthz), connection.ClosedToken).ConfigureAwait(false);
                if (reply.Failed)
                {
                    Log.DailySoupRequestFailed(_logger, "join-as-new-peer");
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException or CviConnectionException or InvalidOperationException)
        {
            // The socket failed: the receive loop starts a reconnect; the messages below are queued for it.
            Log.DailyTopologySwitchFailed(_logger, _address.MeetingString, ex);
        }

        foreach (var (recipient, send) in drained ?? [])
        {
            try
            {
                await SendAsync(send.Payload, recipient, CancellationToken.None).ConfigureAwait(false);
                send.Completion.TrySetResult();
            }
            catch (Exception ex) when (ex is CviConnectionException or InvalidOperationException)
            {
                send.Completion.TrySetException(ex);
            }
        }
    }

    private async Task SendPeerSignalAsync(byte[] frame)
    {
        DailySignalingConnection? connection;
        lock (_gate)
        {
            connection = _connection;
        }

        if (connection is null || connection.Retired)
        {
            throw new CviConnectionException(CviConnectionFailure.Network,
                "The signaling connection is down; peer-to-peer signaling cannot be sent.");
        }

        try
        {
            await connection.SendAsync(frame, connection.ClosedToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException)
        {
            throw new CviConnectionException(CviConnectionFailure.Network, "Sending peer-to-peer signaling failed.", ex);
        }
    }

    private void OnPeerMessage(string fromId, byte[] payload)
    {
        lock (_gate)
        {
            if (_state != TransportState.Closed)
            {
                _events.Writer.TryWrite(new AppMessageReceived(payload, fromId));
            }
        }
    }

    /// <summary>Hands a queued message to the peer-to-peer links (flushing after a join or reconnect in a P2P room).</summary>
    private static void SendQueuedOverPeers(DailyPeerLinks links, PendingSend pending)
    {
        try
        {
            Forward(links.SendAsync(pending.Payload, pending.RecipientId, CancellationToken.None), pending.Completion);
        }
        catch (CviConnectionException ex)
        {
            pending.Completion.TrySetException(ex);
        }
    }

    private static void Forward(Task task, TaskCompletionSource target) =>
        task.ContinueWith(
            static (t, state) =>
            {
                var tcs = (TaskCompletionSource)state!;
                if (t.IsCompletedSuccessfully)
                {
                    tcs.TrySetResult();
                }
                else if (t.IsCanceled)
                {
                    tcs.TrySetCanceled();
                }
                else
                {
                    tcs.TrySetException(t.Exception!.InnerExceptions);
                }
            },
            target,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
}
