using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Tavus.Cvi.Emulator.Conversations;
using Tavus.Cvi.Emulator.Daily;
using Tavus.Cvi.Emulator.Diagnostics;
using Tavus.Cvi.Emulator.Faults;
using Tavus.Cvi.Emulator.Replica;
using Tavus.Cvi.WebRtc.Peer;

namespace Tavus.Cvi.Emulator.PeerToPeer;

/// <summary>
/// App messages in a peer-to-peer room (daily-protocol.md §7): the replica is a WebRTC peer of every client whose
/// presence allows it (accepting calls, <c>rtcType.impl:"peer-to-peer"</c>), one <see cref="ReplicaPeerLink"/> each;
/// what it says goes over each client's <c>app-messages</c> channel and what arrives there is its inbox. App messages
/// relayed as <c>sig-msg</c> (server-injected ones, say) still reach it.
/// </summary>
internal sealed class PeerReplicaMessaging : IReplicaMessaging
{
    private readonly EmulatorState _state;
    private readonly EmulatedConversation _conversation;
    private readonly string _sessionId;
    private readonly Action<RelayedAppMessage> _inbox;
    private readonly Lock _gate = new();
    private readonly Dictionary<string, ReplicaPeerLink> _links = new(StringComparer.Ordinal);
    private bool _disposed;

    public PeerReplicaMessaging(EmulatorState state, EmulatedConversation conversation, string sessionId, Action<RelayedAppMessage> inbox)
    {
        _state = state;
        _conversation = conversation;
        _sessionId = sessionId;
        _inbox = inbox;

        // Loopback only: the emulator is a local test server. One certificate for all of the replica's connections.
        Configuration = new RtcConfiguration
        {
            IncludeInterfaceCandidates = false,
            IncludeLoopbackCandidate = true,
            Certificate = RtcCertificate.Generate(),
            LoggerFactory = state.Options.LoggerFactory,
        };
    }

    public RtcConfiguration Configuration { get; }

    /// <summary>Raised with the client's session id when the replica closes its link to that client (tests).</summary>
    public event EventHandler<string>? LinkClosed;

    public ILogger Logger => _state.ReplicaLogger;

    public FaultView Faults => _state.Faults(_conversation.Id);

    /// <summary>The clients the replica has a link to right now.</summary>
    public IReadOnlyList<string> LinkedClients()
    {
        lock (_gate)
        {
            return [.. _links.Keys];
        }
    }

    public void Joined(IReadOnlyList<JsonObject> otherPresences)
    {
        foreach (JsonObject presence in otherPresences)
        {
            if (presence["id"]?.GetValue<string>() is { } id)
            {
                using JsonDocument document = JsonDocument.Parse(presence.ToJsonString());
                UpdatePeer(id, document.RootElement);
            }
        }
    }

    public void Broadcast(byte[] payload)
    {
        ReplicaPeerLink[] links;
        lock (_gate)
        {
            links = [.. _links.Values];
        }

        foreach (ReplicaPeerLink link in links)
        {
            link.Send(payload);
        }
    }

    public void Deliver(OutboundFrame frame)
    {
        if (frame.AppMessage is { } message)
        {
            if (message.Tag == "x-egassem")
            {
                _inbox(message);
            }
            else if (PeerSignalFields.IsPeerTag(message.Tag))
            {
                HandleSignal(message);
            }

            return;
        }

        // Presences: the room hands the replica the same frames a client gets (sig-presence with from, msgData).
        if (frame.IsBinary)
        {
            return;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(frame.Utf8);
        }
        catch (JsonException)
        {
            // A malformed-frame fault aimed at everyone: only clients are meant to see it.
            return;
        }

        using var _ = document;
        JsonElement root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("msgStr", out JsonElement msgStr) || !msgStr.ValueEquals("sig-presence") ||
            !root.TryGetProperty("from", out JsonElement from) || from.ValueKind != JsonValueKind.String)
        {
            return;
        }

        if (root.TryGetProperty("msgData", out JsonElement data) && data.ValueKind == JsonValueKind.Object)
        {
            UpdatePeer(from.GetString()!, data);
        }
        else
        {
            RemovePeer(from.GetString()!);
        }
    }

    public async ValueTask DisposeAsync()
    {
        ReplicaPeerLink[] links;
        lock (_gate)
        {
            _disposed = true;
            links = [.. _links.Values];
            _links.Clear();
        }

        foreach (ReplicaPeerLink link in links)
        {
            await link.DisposeAsync().ConfigureAwait(false);
        }
    }

    // ---- Used by ReplicaPeerLink ----

    /// <summary>Sends a §7 signaling message to one client through the room's relay, as a participant would.</summary>
    public void Signal(string clientId, string tag, byte[] fields) => _conversation.Room.Relay(_sessionId, tag, [clientId], fields);

    public void Received(string clientId, byte[] payload) => _inbox(new RelayedAppMessage(clientId, "x-egassem", payload));

    private void UpdatePeer(string clientId, JsonElement presence)
    {
        if (!AllowsPeerToPeer(presence))
        {
            return;
        }

        ReplicaPeerLink? link = null;
        lock (_gate)
        {
            if (!_disposed && !_links.ContainsKey(clientId))
            {
                // §7: the lower session id (ordinal comparison) offers.
                link = new ReplicaPeerLink(this, clientId, string.CompareOrdinal(_sessionId, clientId) < 0);
                _links[clientId] = link;
            }
        }

        if (link is not null)
        {
            Log.ReplicaPeerLinkStarted(Logger, _conversation.Id, clientId, link.IsOfferer);
            link.Start();
        }
    }

    private void RemovePeer(string clientId)
    {
        ReplicaPeerLink? link;
        lock (_gate)
        {
            _links.Remove(clientId, out link);
        }

        if (link is not null)
        {
            Log.ReplicaPeerLinkClosed(Logger, _conversation.Id, clientId);
            _ = link.DisposeAsync().AsTask();
            LinkClosed?.Invoke(this, clientId);
        }
    }

    private void HandleSignal(RelayedAppMessage message)
    {
        switch (message.Tag)
        {
            case PeerSignalFields.Offer when PeerSignalFields.TryReadDescription(message.Payload, "offer", out string offer):
                LinkForOffer(message.From)?.HandleOffer(offer);
                break;
            case PeerSignalFields.Answer when PeerSignalFields.TryReadDescription(message.Payload, "answer", out string answer):
                Find(message.From)?.HandleAnswer(answer);
                break;
            case PeerSignalFields.Candidate when PeerSignalFields.TryReadCandidate(message.Payload, out string? candidate):
                Find(message.From)?.HandleCandidate(candidate);
                break;
            case PeerSignalFields.Renegotiate:
                Restart(message.From, offerer: true);
                break;
            default:
                Log.ReplicaPeerSignalMalformed(Logger, _conversation.Id, message.From, message.Tag);
                break;
        }
    }

    private ReplicaPeerLink? Find(string clientId)
    {
        lock (_gate)
        {
            return _links.GetValueOrDefault(clientId);
        }
    }

    /// <summary>The link an offer is for: the waiting answerer, else a new connection (the client started over).</summary>
    private ReplicaPeerLink? LinkForOffer(string clientId)
    {
        lock (_gate)
        {
            if (_links.TryGetValue(clientId, out ReplicaPeerLink? existing) && !existing.IsOfferer && !existing.HasRemoteDescription)
            {
                return existing;
            }
        }

        return Restart(clientId, offerer: false);
    }

    private ReplicaPeerLink? Restart(string clientId, bool offerer)
    {
        ReplicaPeerLink? old;
        ReplicaPeerLink link;
        lock (_gate)
        {
            if (_disposed)
            {
                return null;
            }

            _links.Remove(clientId, out old);
            link = new ReplicaPeerLink(this, clientId, offerer);
            _links[clientId] = link;
        }

        if (old is not null)
        {
            _ = old.DisposeAsync().AsTask();
        }

        link.Start();
        return link;
    }

    /// <summary>§7: both participants accept calls and the remote presence's <c>rtcType.impl</c> is <c>peer-to-peer</c>.</summary>
    private static bool AllowsPeerToPeer(JsonElement presence) =>
        !(presence.TryGetProperty("callState", out JsonElement callState) && callState.ValueEquals("passive")) &&
        presence.TryGetProperty("rtcType", out JsonElement rtcType) && rtcType.ValueKind == JsonValueKind.Object &&
        rtcType.TryGetProperty("impl", out JsonElement impl) && impl.ValueEquals("peer-to-peer");
}
