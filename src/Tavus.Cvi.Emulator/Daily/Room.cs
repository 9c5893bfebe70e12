using System.Text.Json.Nodes;
using Tavus.Cvi.Emulator.Conversations;

namespace Tavus.Cvi.Emulator.Daily;

/// <summary>
/// One Daily room (<c>tavus/{conversation_id}</c>): its participants and their presences, and the relay of
/// presence updates and <c>sig-msg</c> frames between them (daily-protocol.md §4.6, §6). Thread-safe.
/// </summary>
internal sealed class Room
{
    private readonly object _gate = new();
    private readonly Dictionary<string, Participant> _members = new(StringComparer.Ordinal);
    private readonly EmulatorState _state;
    private bool _deleted;

    public Room(EmulatorState state, EmulatedConversation conversation, string domain)
    {
        _state = state;
        Conversation = conversation;
        Domain = domain;
        RoomId = Guid.NewGuid().ToString();
    }

    public EmulatedConversation Conversation { get; }

    public string Domain { get; }

    public string Name => Conversation.Id;

    public string MtgStr => Domain + "/" + Name;

    public string RoomId { get; }

    /// <summary>The meeting-session id: the first joiner's proposal (daily-protocol.md §8).</summary>
    public string? MeetingSessionId { get; private set; }

    public bool IsDeleted
    {
        get { lock (_gate) { return _deleted; } }
    }

    public int Count
    {
        get { lock (_gate) { return _members.Count; } }
    }

    /// <summary>Raised (outside the lock) when a participant that is not the replica joins.</summary>
    public event EventHandler<string>? ClientJoined;

    /// <summary>Raised (outside the lock) when a participant that is not the replica leaves.</summary>
    public event EventHandler<string>? ClientLeft;

    /// <summary>
    /// Adds a participant (replacing a live one with the same session id, whose socket is then closed) and
    /// broadcasts its presence to the others. Returns the presences of the others for the <c>sig-ack</c>.
    /// </summary>
    /// <remarks><paramref name="deliverAck"/> runs under the room lock so the <c>sig-ack</c> is the joiner's first frame.</remarks>
    public JoinResult Join(IRoomMember member, JsonObject presence, string? proposedMeetingSessionId, Action<JoinResult>? deliverAck = null)
    {
        Complete(presence, member.SessionId, owner: false);
        IRoomMember? replaced = null;
        var others = new List<JsonObject>();
        OutboundFrame frame;
        List<IRoomMember> recipients;
        JoinResult result;
        lock (_gate)
        {
            if (_deleted)
            {
                return new JoinResult(false, [], null!, 0);
            }

            MeetingSessionId ??= string.IsNullOrEmpty(proposedMeetingSessionId) ? Guid.NewGuid().ToString() : proposedMeetingSessionId;
            if (_members.TryGetValue(member.SessionId, out Participant? existing))
            {
                replaced = existing.Member;
            }

            _members[member.SessionId] = new Participant(member, presence);
            foreach (Participant p in _members.Values)
            {
                if (p.Member != member)
                {
                    others.Add((JsonObject)p.Presence.DeepClone());
                }
            }

            recipients = Others(member.SessionId);
            frame = NewFrame(SignalingFrames.Presence(member.SessionId, presence, null, _members.Count, _state.NowMs), batchable: true);
            result = new JoinResult(true, others, MeetingSessionId, _members.Count);
            deliverAck?.Invoke(result);
        }

        replaced?.Disconnect(abort: false);
        foreach (IRoomMember r in recipients)
        {
            r.Deliver(frame);
        }

        if (!member.IsReplica && replaced is null)
        {
            ClientJoined?.Invoke(this, member.SessionId);
        }

        return result;
    }

    /// <summary>Stores a full-replacement presence and relays it to the others (daily-protocol.md §4.6).</summary>
    public void UpdatePresence(IRoomMember member, JsonObject presence)
    {
        List<IRoomMember> recipients;
        OutboundFrame frame;
        lock (_gate)
        {
            if (!_members.TryGetValue(member.SessionId, out Participant? p) || p.Member != member)
            {
                return;
            }

            // Clients never send permissions/owner; keep the server's joinedAt when a client omits it, so a receiver
            // that fills defaults does not see the participant "un-join" (§4.6, documented in docs/emulator.md).
            presence["joinedAt"] ??= p.Presence["joinedAt"]?.DeepClone();
            Complete(presence, member.SessionId, owner: p.Presence["owner"]?.GetValue<bool>() ?? false);
            _members[member.SessionId] = p with { Presence = presence };
            recipients = Others(member.SessionId);
            frame = NewFrame(SignalingFrames.Presence(member.SessionId, presence, null, _members.Count, _state.NowMs), batchable: true);
        }

        foreach (IRoomMember r in recipients)
        {
            r.Deliver(frame);
        }
    }

    /// <summary>Removes the participant if it is still the live one for its session id and tells the others.</summary>
    public bool Leave(IRoomMember member, string? leftReason)
    {
        List<IRoomMember> recipients;
        OutboundFrame frame;
        lock (_gate)
        {
            if (!_members.TryGetValue(member.SessionId, out Participant? p) || p.Member != member)
            {
                return false;
            }

            _members.Remove(member.SessionId);
            recipients = Others(member.SessionId);
            frame = NewFrame(SignalingFrames.Presence(member.SessionId, null, leftReason, _members.Count, _state.NowMs), batchable: true);
        }

        foreach (IRoomMember r in recipients)
        {
            r.Deliver(frame);
        }

        if (!member.IsReplica)
        {
            ClientLeft?.Invoke(this, member.SessionId);
        }

        return true;
    }

    /// <summary>
    /// Relays a <c>sig-msg</c> to <c>"*"</c> (everyone but the sender) or to the listed session ids; unknown ids are
    /// dropped and the sender never gets its own message (daily-protocol.md §6). Returns the number of recipients.
    /// </summary>
    public int Relay(string from, string tag, IReadOnlyList<string>? to, byte[] payload)
    {
        long now = _state.NowMs;
        var message = new RelayedAppMessage(from, tag, payload);
        int delivered = 0;
        List<(IRoomMember Member, OutboundFrame Frame)> deliveries = [];
        lock (_gate)
        {
            if (_deleted)
            {
                return 0;
            }

            if (to is null)
            {
                var frame = new OutboundFrame(SignalingFrames.SigMsg(tag, from, "*", payload, now), true, message, now);
                foreach (Participant p in _members.Values)
                {
                    if (p.Member.SessionId != from)
                    {
                        deliveries.Add((p.Member, frame));
                    }
                }
            }
            else
            {
                foreach (string id in to.Distinct(StringComparer.Ordinal))
                {
                    if (id != from && _members.TryGetValue(id, out Participant? p))
                    {
                        deliveries.Add((p.Member, new OutboundFrame(SignalingFrames.SigMsg(tag, from, id, payload, now), true, message, now)));
                    }
                }
            }
        }

        foreach ((IRoomMember member, OutboundFrame frame) in deliveries)
        {
            member.Deliver(frame);
            delivered++;
        }

        _state.RecordRelay(Conversation.Id, from, to is null ? "*" : string.Join(",", to), tag, payload, delivered);
        return delivered;
    }

    /// <summary>Sends a server frame to one session or to every participant.</summary>
    public int SendServerFrame(byte[] frame, string? sessionId, bool batchable = false)
    {
        var outbound = NewFrame(frame, batchable);
        IRoomMember[] targets = Snapshot().Where(m => sessionId is null || m.SessionId == sessionId).ToArray();
        foreach (IRoomMember m in targets)
        {
            m.Deliver(outbound);
        }

        return targets.Length;
    }

    /// <summary>Marks the room deleted, sends <c>room-deleted</c> to everyone (§4.8) and disconnects them.</summary>
    public void Delete()
    {
        IRoomMember[] members;
        lock (_gate)
        {
            if (_deleted)
            {
                return;
            }

            _deleted = true;
            members = _members.Values.Select(p => p.Member).ToArray();
            _members.Clear();
        }

        byte[] frame = SignalingFrames.Write(w =>
        {
            w.WriteString("msgStr"u8, "room-deleted"u8);
            w.WriteNumber("serverTS"u8, _state.NowMs);
        });
        foreach (IRoomMember m in members)
        {
            m.Deliver(NewFrame(frame, batchable: false));
            m.Disconnect(abort: false);
        }
    }

    public IRoomMember[] Snapshot()
    {
        lock (_gate)
        {
            return _members.Values.Select(p => p.Member).ToArray();
        }
    }

    public IReadOnlyList<EmulatedParticipant> Participants()
    {
        lock (_gate)
        {
            return _members.Values.Select(p => new EmulatedParticipant(
                p.Member.SessionId,
                Uri.UnescapeDataString(p.Presence["name"]?.GetValue<string>() ?? string.Empty),
                p.Presence["user_id"]?.GetValue<string>(),
                p.Member.IsReplica,
                DateTimeOffset.FromUnixTimeMilliseconds(p.Presence["joinedAt"]?.GetValue<long>() ?? 0))).ToArray();
        }
    }

    private OutboundFrame NewFrame(byte[] utf8, bool batchable) => new(utf8, batchable, null, _state.NowMs);

    private List<IRoomMember> Others(string sessionId)
    {
        var list = new List<IRoomMember>(_members.Count);
        foreach (Participant p in _members.Values)
        {
            if (p.Member.SessionId != sessionId)
            {
                list.Add(p.Member);
            }
        }

        return list;
    }

    private void Complete(JsonObject presence, string sessionId, bool owner)
    {
        // daily-js drops a remote participant whose presence lacks permissions, and clients never send them (§4.6).
        presence["id"] = sessionId;
        presence["permissions"] ??= SignalingFrames.Permissions();
        presence["owner"] = owner;
        presence["joinedAt"] ??= _state.NowMs;
    }

    private sealed record Participant(IRoomMember Member, JsonObject Presence);
}

/// <summary>The outcome of <see cref="Room.Join"/>.</summary>
internal sealed record JoinResult(bool Joined, IReadOnlyList<JsonObject> OtherPresences, string MeetingSessionId, int ActiveCount);
