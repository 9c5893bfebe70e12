using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Tavus.Cvi.Interactions.Diagnostics;
using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.Interactions.Daily;

/// <summary>
/// The peer-to-peer side of a Daily transport (daily-protocol.md §7): one <see cref="DailyPeerLink"/> per remote
/// participant whose presence allows peer-to-peer, the routing of the §7 signaling tags to them, and app messages
/// over their <c>app-messages</c> channels. Thread-safe; never calls back into the transport under its lock.
/// </summary>
internal sealed class DailyPeerLinks
{
    /// <summary>How often a failed link to the same peer is set up again before it is given up.</summary>
    private const int MaxLinkAttempts = 3;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, DailyPeerLink> _links = new(StringComparer.Ordinal);
    private readonly HashSet<string> _capable = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _attempts = new(StringComparer.Ordinal);
    private readonly string _localId;
    private readonly Func<byte[], Task> _sendSignal;
    private readonly Func<string> _nextSendTs;
    private readonly Action<string, byte[]> _onMessage;
    private bool _closed;

    public DailyPeerLinks(
        string localSessionId,
        IDailyPeerConnectionFactory factory,
        int maxQueuedMessages,
        ILogger logger,
        Func<byte[], Task> sendSignal,
        Func<string> nextSendTs,
        Action<string, byte[]> onMessage,
        CancellationToken lifetime)
    {
        _localId = localSessionId;
        Factory = factory;
        MaxQueuedMessages = maxQueuedMessages;
        Logger = logger;
        _sendSignal = sendSignal;
        _nextSendTs = nextSendTs;
        _onMessage = onMessage;
        Lifetime = lifetime;
    }

    public IDailyPeerConnectionFactory Factory { get; }

    public int MaxQueuedMessages { get; }

    public ILogger Logger { get; }

    public CancellationToken Lifetime { get; }

    /// <summary>The links right now (tests and diagnostics).</summary>
    public IReadOnlyList<DailyPeerLink> Snapshot()
    {
        lock (_gate)
        {
            return [.. _links.Values];
        }
    }

    /// <summary>
    /// A presence was applied (§7): a link is attempted only when the remote participant accepts calls and its
    /// <c>rtcType.impl</c> is <c>peer-to-peer</c>. The lower session id offers; the other side waits for the offer.
    /// </summary>
    public void UpdatePeer(string remoteId, bool allowsPeerToPeer)
    {
        DailyPeerLink? started = null;
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            if (!allowsPeerToPeer)
            {
                // A presence that stops allowing peer-to-peer (for example while switching to SFU) keeps an existing
                // link: daily-js tears links down on the topology change, which the transport handles.
                _capable.Remove(remoteId);
                return;
            }

            _capable.Add(remoteId);
            if (!_links.ContainsKey(remoteId))
            {
                started = AddLinkLocked(remoteId, DailyPeerSignaling.IsOfferer(_localId, remoteId));
            }
        }

        started?.Start();
    }

    /// <summary>The participant left (presence leave or <c>sig-disconnect</c>): its link is closed.</summary>
    public void RemovePeer(string remoteId)
    {
        DailyPeerLink? link;
        lock (_gate)
        {
            _capable.Remove(remoteId);
            _attempts.Remove(remoteId);
            _links.Remove(remoteId, out link);
        }

        if (link is not null)
        {
            Log.DailyPeerLinkClosed(Logger, remoteId, "the participant left");
            _ = link.CloseAsync(new CviConnectionException(CviConnectionFailure.Closed,
                "Participant " + remoteId + " left the room before this message could be sent."));
        }
    }

    /// <summary>One §7 signaling message from <paramref name="fromId"/>.</summary>
    public void HandleSignal(string tag, string fromId, JsonElement fields)
    {
        Log.DailyPeerSignalReceived(Logger, tag, fromId);
        switch (tag)
        {
            case DailyPeerSignaling.OfferTag:
                if (!DailyPeerSignaling.TryReadDescription(fields, "offer", out var offer))
                {
                    Log.DailyPeerSignalMalformed(Logger, tag, fromId);
                    return;
                }

                OfferFor(fromId)?.HandleOffer(offer);
                return;
            case DailyPeerSignaling.AnswerTag:
                if (!DailyPeerSignaling.TryReadDescription(fields, "answer", out var answer))
                {
                    Log.DailyPeerSignalMalformed(Logger, tag, fromId);
                    return;
                }

                Find(fromId)?.HandleAnswer(answer);
                return;
            case DailyPeerSignaling.CandidateTag:
                if (!DailyPeerSignaling.TryReadCandidate(fields, out var candidate))
                {
                    Log.DailyPeerSignalMalformed(Logger, tag, fromId);
                    return;
                }

                Find(fromId)?.HandleCandidate(candidate);
                return;
            case DailyPeerSignaling.RenegotiateTag:
                Renegotiate(fromId);
                return;
            default:
                return;
        }
    }

    /// <summary>
    /// Sends an app message: <see langword="null"/> (<c>"*"</c>) on every link, an id on that peer's link (§7). A
    /// channel that is not open yet queues the message. A peer without a link (it does not allow peer-to-peer, or is
    /// not in the room) cannot be reached: the message is dropped for it, as Daily drops messages to unknown ids (§6).
    /// </summary>
    public Task SendAsync(ReadOnlyMemory<byte> utf8Json, string? recipientId, CancellationToken cancellationToken)
    {
        List<DailyPeerLink> targets;
        lock (_gate)
        {
            if (_closed)
            {
                throw new CviConnectionException(CviConnectionFailure.Closed, "The Daily transport is closed; nothing was sent.");
            }

            if (recipientId is null)
            {
                targets = [.. _links.Values];
            }
            else if (_links.TryGetValue(recipientId, out var link))
            {
                targets = [link];
            }
            else
            {
                targets = [];
            }
        }

        if (targets.Count == 0)
        {
            Log.DailyPeerMessageUnroutable(Logger, recipientId ?? "*");
            return Task.CompletedTask;
        }

        if (targets.Count == 1)
        {
            return targets[0].SendAsync(utf8Json, cancellationToken);
        }

        var sends = new Task[targets.Count];
        for (var i = 0; i < targets.Count; i++)
        {
            sends[i] = targets[i].SendAsync(utf8Json, cancellationToken);
        }

        return Task.WhenAll(sends);
    }

    /// <summary>
    /// Ends peer-to-peer mode (the room switched to SFU, §4.4): every link is closed and the messages still waiting
    /// for a channel are returned with their recipients, in order per peer, for the caller to send another way.
    /// </summary>
    public List<(string RecipientId, DailyPeerSend Send)> CloseForTopologyChange()
    {
        var links = CloseLinks();

        var taken = new List<(string, DailyPeerSend)>();
        foreach (var link in links)
        {
            foreach (var send in link.TakePending())
            {
                taken.Add((link.RemoteId, send));
            }

            Log.DailyPeerLinkClosed(Logger, link.RemoteId, "the room switched to SFU");
            _ = link.CloseAsync(null);
        }

        return taken;
    }

    /// <summary>Closes every link (leaving the room); queued messages fail with <see cref="CviConnectionFailure.Closed"/>.</summary>
    public async Task CloseAllAsync()
    {
        var links = CloseLinks();

        foreach (var link in links)
        {
            Log.DailyPeerLinkClosed(Logger, link.RemoteId, "left the room");
        }

        await Task.WhenAll(links.Select(l => l.CloseAsync(null))).ConfigureAwait(false);
    }

    /// <summary>Ends peer-to-peer mode and takes every link out (the caller closes them, outside the lock).</summary>
    private List<DailyPeerLink> CloseLinks()
    {
        lock (_gate)
        {
            _closed = true;
            List<DailyPeerLink> links = [.. _links.Values];
            _links.Clear();
            _capable.Clear();
            return links;
        }
    }

    // ---- Used by DailyPeerLink ----

    public Task SendSignalAsync(byte[] frame) => _sendSignal(frame);

    public string NextSendTs() => _nextSendTs();

    public void OnMessage(string fromId, ReadOnlyMemory<byte> payload)
    {
        if (Logger.IsEnabled(LogLevel.Trace))
        {
#pragma warning disable CA1873 // Guarded by IsEnabled above.
            Log.DailyAppMessageReceived(Logger, fromId, Encoding.UTF8.GetString(payload.Span));
#pragma warning restore CA1873
        }

        _onMessage(fromId, payload.ToArray());
    }

    public void LogSent(string toId, ReadOnlyMemory<byte> payload)
    {
        if (Logger.IsEnabled(LogLevel.Trace))
        {
#pragma warning disable CA1873 // Guarded by IsEnabled above.
            Log.DailyAppMessageSent(Logger, toId, Encoding.UTF8.GetString(payload.Span));
#pragma warning restore CA1873
        }
    }

    /// <summary>
    /// A link failed (its queued messages already failed). While the peer still allows peer-to-peer, a new connection
    /// is set up, up to <see cref="MaxLinkAttempts"/> times: the offerer makes a new offer (<c>newRTCConnection</c>),
    /// the answerer asks for one with <c>please renegotiate</c> (§7); the WebRTC stack does not restart ICE in place.
    /// </summary>
    public void OnLinkFailed(DailyPeerLink failed)
    {
        DailyPeerLink? replacement = null;
        lock (_gate)
        {
            if (_closed || !_links.TryGetValue(failed.RemoteId, out var current) || current != failed)
            {
                return;
            }

            _links.Remove(failed.RemoteId);
            var attempts = _attempts.GetValueOrDefault(failed.RemoteId) + 1;
            _attempts[failed.RemoteId] = attempts;
            if (_capable.Contains(failed.RemoteId) && attempts < MaxLinkAttempts)
            {
                replacement = AddLinkLocked(failed.RemoteId, failed.IsOfferer);
            }
        }

        if (replacement is null)
        {
            Log.DailyPeerLinkGivenUp(Logger, failed.RemoteId);
            return;
        }

        Log.DailyPeerLinkRetry(Logger, failed.RemoteId);
        replacement.Start();
        if (!replacement.IsOfferer)
        {
            _ = SendRenegotiateAsync(failed.RemoteId);
        }
    }

    private async Task SendRenegotiateAsync(string remoteId)
    {
        try
        {
            await _sendSignal(DailyPeerSignaling.Renegotiate(remoteId, _nextSendTs())).ConfigureAwait(false);
        }
        catch (CviConnectionException ex)
        {
            Log.DailyPeerSignalFailed(Logger, DailyPeerSignaling.RenegotiateTag, remoteId, ex);
        }
    }

    private DailyPeerLink AddLinkLocked(string remoteId, bool isOfferer)
    {
        var link = new DailyPeerLink(this, remoteId, isOfferer);
        _links[remoteId] = link;
        return link;
    }

    private DailyPeerLink? Find(string remoteId)
    {
        lock (_gate)
        {
            if (_links.TryGetValue(remoteId, out var link))
            {
                return link;
            }
        }

        Log.DailyPeerSignalIgnored(Logger, "signal", remoteId);
        return null;
    }

    /// <summary>
    /// The link that takes an offer from <paramref name="remoteId"/>: the waiting answerer link, or a new one when
    /// there is none yet (the offer outran the presence) or the current one already has a connection (the peer
    /// started over with <c>newRTCConnection</c>); queued messages move to the new link.
    /// </summary>
    private DailyPeerLink? OfferFor(string remoteId)
    {
        DailyPeerLink? replaced = null;
        DailyPeerLink link;
        lock (_gate)
        {
            if (_closed)
            {
                return null;
            }

            if (_links.TryGetValue(remoteId, out var existing) && !existing.IsOfferer && !existing.HasRemoteDescription)
            {
                return existing;
            }

            replaced = existing;
            link = AddLinkLocked(remoteId, isOfferer: false);
        }

        if (replaced is not null)
        {
            link.Adopt(replaced.TakePending());
            Log.DailyPeerLinkClosed(Logger, remoteId, "the peer started a new connection");
            _ = replaced.CloseAsync(null);
        }

        return link;
    }

    /// <summary><c>please renegotiate</c>: the offerer starts over with a new connection and offer.</summary>
    private void Renegotiate(string remoteId)
    {
        DailyPeerLink? replaced;
        DailyPeerLink link;
        lock (_gate)
        {
            if (_closed || !_links.TryGetValue(remoteId, out replaced) || !replaced.IsOfferer)
            {
                return;
            }

            link = AddLinkLocked(remoteId, isOfferer: true);
        }

        link.Adopt(replaced.TakePending());
        Log.DailyPeerLinkClosed(Logger, remoteId, "the peer asked for a new connection");
        _ = replaced.CloseAsync(null);
        link.Start();
    }
}
