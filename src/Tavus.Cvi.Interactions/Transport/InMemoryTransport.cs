using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;

namespace Tavus.Cvi.Interactions.Transport;

/// <summary>
/// An <see cref="ICviTransport"/> over an <see cref="InMemoryRoom"/>. Create it with
/// <see cref="InMemoryRoom.CreateTransport"/>; use one as the SDK's side and another as the replica's side of a test.
/// </summary>
/// <remarks>
/// Events are buffered without bound until read, so a test may send first and read later. Besides the
/// <see cref="ICviTransport"/> members it offers conveniences for test peers: <see cref="SendAsync(string, string?, CancellationToken)"/>
/// with a string and <see cref="ReceiveAppMessageAsync"/>.
/// </remarks>
public sealed class InMemoryTransport : ICviTransport
{
    private readonly InMemoryRoom _room;
    private readonly Channel<TransportEvent> _events = Channel.CreateUnbounded<TransportEvent>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    private readonly Lock _gate = new();
    private readonly List<(ReadOnlyMemory<byte> Payload, string? RecipientId)> _pendingWhileReconnecting = [];
    private TransportState _state;
    private int _readerTaken;

    internal InMemoryTransport(InMemoryRoom room, RoomParticipant identity)
    {
        _room = room;
        Identity = identity;
    }

    /// <summary>The room this transport joins.</summary>
    public InMemoryRoom Room => _room;

    /// <summary>This participant's id (known before joining).</summary>
    public string ParticipantId => Identity.Id;

    /// <summary>Why the transport closed; <see cref="TransportCloseReason.None"/> while open.</summary>
    public TransportCloseReason CloseReason { get; private set; }

    /// <inheritdoc/>
    public TransportState State
    {
        get { lock (_gate) { return _state; } }
    }

    /// <inheritdoc/>
    public RoomParticipant? LocalParticipant =>
        State is TransportState.Connected or TransportState.Reconnecting ? Identity with { IsLocal = true } : null;

    /// <inheritdoc/>
    public IReadOnlyList<RoomParticipant> RemoteParticipants =>
        State is TransportState.Connected or TransportState.Reconnecting ? _room.OthersThan(this) : [];

    /// <inheritdoc/>
    public int MaxMessageSize => _room.MaxMessageSize;

    internal RoomParticipant Identity { get; }

    /// <inheritdoc/>
    public Task JoinAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            switch (_state)
            {
                case TransportState.Connected or TransportState.Reconnecting:
                    return Task.CompletedTask;
                case TransportState.Closed:
                    throw new CviConnectionException(CviConnectionFailure.Closed, "The transport is closed; create a new one to join again.");
                case TransportState.Connecting:
                    throw new InvalidOperationException("The transport is already joining.");
            }

            _state = TransportState.Connecting;
            Deliver(new TransportStateChanged(TransportState.Connecting));
        }

        try
        {
            _room.Join(this);
        }
        catch (CviConnectionException ex)
        {
            Close(TransportCloseReason.Error, ex.Message, ex);
            throw;
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask SendAsync(ReadOnlyMemory<byte> utf8Json, string? recipientId = null, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled(cancellationToken);
        lock (_gate)
        {
            switch (_state)
            {
                case TransportState.Connected:
                    break;
                case TransportState.Reconnecting:
                    // Like Daily's transport, queue while reconnecting, but refuse an oversized message right away.
                    int size = Encoding.UTF8.GetCharCount(utf8Json.Span);
                    if (size > _room.MaxMessageSize) throw new CviMessageTooLargeException(size, _room.MaxMessageSize);
                    _pendingWhileReconnecting.Add((utf8Json.ToArray(), recipientId));
                    return ValueTask.CompletedTask;
                default:
                    throw new CviConnectionException(CviConnectionFailure.Closed, $"The transport is {_state}; it cannot send.");
            }
        }

        _room.Send(this, utf8Json, recipientId);
        return ValueTask.CompletedTask;
    }

    /// <summary>Sends one app message given as text (UTF-8 encoded as is, not validated): for test peers.</summary>
    /// <param name="json">The payload.</param>
    /// <param name="recipientId">A participant id, or <see langword="null"/> for everyone else.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    public ValueTask SendAsync(string json, string? recipientId = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(json);
        return SendAsync(Encoding.UTF8.GetBytes(json), recipientId, cancellationToken);
    }

    /// <inheritdoc/>
    public IAsyncEnumerable<TransportEvent> ReadEventsAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _readerTaken, 1) != 0)
        {
            throw new InvalidOperationException("ReadEventsAsync has a single reader and it is taken.");
        }

        return ReadAllAsync(cancellationToken);
    }

    /// <summary>
    /// Reads events until the next app message and returns it, skipping presence and state events: for test peers
    /// that do not call <see cref="ReadEventsAsync"/>. Returns <see langword="null"/> once the transport closed.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    public async ValueTask<AppMessageReceived?> ReceiveAppMessageAsync(CancellationToken cancellationToken = default)
    {
        if (Volatile.Read(ref _readerTaken) != 0)
        {
            throw new InvalidOperationException("ReadEventsAsync owns this transport's events.");
        }

        while (await _events.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (_events.Reader.TryRead(out var item))
            {
                if (item is AppMessageReceived message) return message;
            }
        }

        return null;
    }

    /// <inheritdoc/>
    public Task LeaveAsync(CancellationToken cancellationToken = default)
    {
        _room.Leave(this, reason: null);
        Close(TransportCloseReason.Left, "Left the room.");
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _room.Leave(this, reason: null);
        Close(TransportCloseReason.Left, "Disposed.");
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Identity.Id} ({Identity.UserName ?? Identity.UserId ?? "anonymous"}) in {_room.Name}: {State}";

    internal void MarkConnected()
    {
        lock (_gate)
        {
            _state = TransportState.Connected;
            Deliver(new TransportStateChanged(TransportState.Connected));
        }
    }

    internal void Deliver(TransportEvent transportEvent) => _events.Writer.TryWrite(transportEvent);

    internal void SetReconnecting(bool reconnecting)
    {
        List<(ReadOnlyMemory<byte> Payload, string? RecipientId)> flush;
        lock (_gate)
        {
            if (_state is not (TransportState.Connected or TransportState.Reconnecting)) return;
            var target = reconnecting ? TransportState.Reconnecting : TransportState.Connected;
            if (_state == target) return;
            _state = target;
            Deliver(new TransportStateChanged(target, Message: reconnecting ? "Reconnecting." : "Reconnected."));
            if (reconnecting) return;
            flush = [.. _pendingWhileReconnecting];
            _pendingWhileReconnecting.Clear();
        }

        foreach (var (payload, recipient) in flush)
        {
            _room.Send(this, payload, recipient);
        }
    }

    internal void Close(TransportCloseReason reason, string? message, Exception? exception = null)
    {
        lock (_gate)
        {
            if (_state == TransportState.Closed) return;
            _state = TransportState.Closed;
            CloseReason = reason;
            _pendingWhileReconnecting.Clear();
            _events.Writer.TryWrite(new TransportStateChanged(TransportState.Closed, reason, message, exception));
            _events.Writer.TryComplete();
        }
    }

    private async IAsyncEnumerable<TransportEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        while (await _events.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (_events.Reader.TryRead(out var item))
            {
                yield return item;
            }
        }
    }
}
