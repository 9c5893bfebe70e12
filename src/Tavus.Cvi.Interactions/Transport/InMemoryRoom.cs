using System.Text;

namespace Tavus.Cvi.Interactions.Transport;

/// <summary>
/// A room that lives in memory: any number of <see cref="InMemoryTransport"/>s join it and exchange app messages,
/// with the same presence and delivery rules as a Daily room. For tests, including users' own tests of code built on
/// <c>CviSession</c>.
/// </summary>
/// <remarks>
/// <para>
/// Delivery follows Daily (daily-protocol.md §6): a broadcast reaches every other member and is never echoed to its
/// sender; a directed message reaches only its addressee (silently dropped if the addressee is not in the room); a
/// payload longer than <see cref="MaxMessageSize"/> UTF-16 code units is refused with
/// <see cref="CviMessageTooLargeException"/> before anything is delivered. Payloads are not validated, so a test can
/// inject malformed JSON.
/// </para>
/// <para>
/// Everything that happens in the room is delivered to every member in one global order. Fault injection:
/// <see cref="Disconnect"/> (connection lost), <see cref="Eject"/>, <see cref="Delete"/> (the conversation ended), and
/// <see cref="SetReconnecting"/> (sends are queued until the member is back).
/// </para>
/// </remarks>
public sealed class InMemoryRoom
{
    /// <summary>Daily's default limit for one app message, in UTF-16 code units (daily-protocol.md §6).</summary>
    public const int DefaultMaxMessageSize = 4096;

    private readonly Lock _gate = new();
    private readonly List<InMemoryTransport> _members = [];
    private readonly List<InMemoryAppMessage> _messages = [];
    private int _nextParticipant;
    private int _maxMessageSize;
    private bool _deleted;

    /// <summary>Creates an empty room.</summary>
    /// <param name="maxMessageSize">The largest payload accepted, in UTF-16 code units.</param>
    /// <param name="name">The room's name, for diagnostics.</param>
    public InMemoryRoom(int maxMessageSize = DefaultMaxMessageSize, string name = "in-memory-room")
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxMessageSize);
        ArgumentNullException.ThrowIfNull(name);
        _maxMessageSize = maxMessageSize;
        Name = name;
    }

    /// <summary>The room's name.</summary>
    public string Name { get; }

    /// <summary>The largest payload accepted, in UTF-16 code units. May be changed at any time.</summary>
    public int MaxMessageSize
    {
        get => Volatile.Read(ref _maxMessageSize);
        set
        {
            ArgumentOutOfRangeException.ThrowIfNegativeOrZero(value);
            Volatile.Write(ref _maxMessageSize, value);
        }
    }

    /// <summary>Whether <see cref="RecordMessages"/> keeps a copy of every delivered message in <see cref="Messages"/>. Default true.</summary>
    public bool RecordMessages { get; set; } = true;

    /// <summary>Whether <see cref="Delete"/> was called. A deleted room cannot be joined.</summary>
    public bool IsDeleted
    {
        get { lock (_gate) { return _deleted; } }
    }

    /// <summary>A snapshot of the joined participants (each with <see cref="RoomParticipant.IsLocal"/> false).</summary>
    public IReadOnlyList<RoomParticipant> Participants
    {
        get { lock (_gate) { return [.. _members.Select(m => m.Identity)]; } }
    }

    /// <summary>A snapshot of the messages accepted by the room so far, in delivery order (when <see cref="RecordMessages"/> is on).</summary>
    public IReadOnlyList<InMemoryAppMessage> Messages
    {
        get { lock (_gate) { return [.. _messages]; } }
    }

    /// <summary>Forgets the recorded messages.</summary>
    public void ClearMessages()
    {
        lock (_gate) { _messages.Clear(); }
    }

    /// <summary>Creates a transport that can join this room. Nothing happens in the room until it joins.</summary>
    /// <param name="userName">The display name.</param>
    /// <param name="userId">The user id; one containing <c>tavus-replica</c> marks the replica (<see cref="RoomParticipant.IsReplicaUserId"/>).</param>
    public InMemoryTransport CreateTransport(string? userName = null, string? userId = null)
    {
        int n = Interlocked.Increment(ref _nextParticipant);
        var id = $"participant-{n}";
        return new InMemoryTransport(this, new RoomParticipant(id, userName, userId, IsLocal: false, RoomParticipant.IsReplicaUserId(userId)));
    }

    /// <summary>Creates a transport that presents itself as the Tavus replica (user id <c>tavus-replica</c>).</summary>
    /// <param name="userName">The display name.</param>
    public InMemoryTransport CreateReplicaTransport(string userName = "Replica") => CreateTransport(userName, "tavus-replica");

    /// <summary>Drops a member as if its connection was lost for good.</summary>
    /// <param name="participantId">The member's id.</param>
    /// <param name="message">The explanation its transport reports.</param>
    /// <returns>Whether the participant was in the room.</returns>
    public bool Disconnect(string participantId, string? message = "The connection was lost.") =>
        Remove(participantId, TransportCloseReason.ConnectionLost, message, leftReason: "network");

    /// <summary>Ejects a member.</summary>
    /// <param name="participantId">The member's id.</param>
    /// <returns>Whether the participant was in the room.</returns>
    public bool Eject(string participantId) =>
        Remove(participantId, TransportCloseReason.Ejected, "Ejected from the room.", leftReason: "ejected");

    /// <summary>Puts a member into <see cref="TransportState.Reconnecting"/> (its sends are queued) or back to <see cref="TransportState.Connected"/> (the queue is flushed).</summary>
    /// <param name="participantId">The member's id.</param>
    /// <param name="reconnecting">Whether the member is reconnecting.</param>
    /// <returns>Whether the participant was in the room.</returns>
    public bool SetReconnecting(string participantId, bool reconnecting)
    {
        InMemoryTransport? member;
        lock (_gate) { member = _members.Find(m => m.Identity.Id == participantId); }
        if (member is null) return false;
        member.SetReconnecting(reconnecting);
        return true;
    }

    /// <summary>Deletes the room, as Tavus does when a conversation ends: every member is closed with <see cref="TransportCloseReason.RoomDeleted"/>.</summary>
    public void Delete()
    {
        InMemoryTransport[] members;
        lock (_gate)
        {
            _deleted = true;
            members = [.. _members];
            _members.Clear();
        }

        foreach (var member in members)
        {
            member.Close(TransportCloseReason.RoomDeleted, "The room was deleted.");
        }
    }

    internal int Join(InMemoryTransport joiner)
    {
        lock (_gate)
        {
            if (_deleted)
            {
                throw new CviConnectionException(CviConnectionFailure.RoomNotFound, $"The room '{Name}' was deleted.");
            }

            // Connected first, then the members already present, all under the lock so that no message from another
            // member can overtake the join (ICviTransport: one ordered stream).
            joiner.MarkConnected();
            foreach (var member in _members)
            {
                joiner.Deliver(new ParticipantJoined(member.Identity));
                member.Deliver(new ParticipantJoined(joiner.Identity));
            }

            _members.Add(joiner);
            return _members.Count;
        }
    }

    internal void Leave(InMemoryTransport leaver, string? reason)
    {
        lock (_gate)
        {
            if (!_members.Remove(leaver)) return;
            foreach (var member in _members)
            {
                member.Deliver(new ParticipantLeft(leaver.Identity, reason));
            }
        }
    }

    internal void Send(InMemoryTransport sender, ReadOnlyMemory<byte> utf8Json, string? recipientId)
    {
        // Daily counts JSON.stringify(data).length: UTF-16 code units (daily-protocol.md §6).
        int size = Encoding.UTF8.GetCharCount(utf8Json.Span);
        int max = MaxMessageSize;
        if (size > max)
        {
            throw new CviMessageTooLargeException(size, max);
        }

        // A private copy: the caller may reuse its buffer as soon as SendAsync returns.
        var payload = utf8Json.ToArray();
        lock (_gate)
        {
            if (!_members.Contains(sender))
            {
                throw new CviConnectionException(CviConnectionFailure.Closed, "The participant is not in the room.");
            }

            if (RecordMessages)
            {
                _messages.Add(new InMemoryAppMessage(sender.Identity.Id, recipientId, payload));
            }

            var message = new AppMessageReceived(payload, sender.Identity.Id);
            foreach (var member in _members)
            {
                if (ReferenceEquals(member, sender)) continue;
                if (recipientId is not null && member.Identity.Id != recipientId) continue;
                member.Deliver(message);
            }
        }
    }

    internal IReadOnlyList<RoomParticipant> OthersThan(InMemoryTransport self)
    {
        lock (_gate) { return [.. _members.Where(m => !ReferenceEquals(m, self)).Select(m => m.Identity)]; }
    }

    private bool Remove(string participantId, TransportCloseReason closeReason, string? message, string leftReason)
    {
        InMemoryTransport? member;
        lock (_gate) { member = _members.Find(m => m.Identity.Id == participantId); }
        if (member is null) return false;
        Leave(member, leftReason);
        member.Close(closeReason, message);
        return true;
    }
}
