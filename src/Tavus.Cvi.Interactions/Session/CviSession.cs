using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Tavus.Cvi.Interactions.Diagnostics;
using Tavus.Cvi.Interactions.Protocol;
using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.Interactions.Session;

/// <summary>
/// A conversation with a Tavus replica over a room transport: sends interactions, receives events, answers tool
/// calls and streams echo audio. See <c>docs/session.md</c>.
/// </summary>
/// <remarks>
/// <para>
/// Lifecycle: <see cref="ConnectAsync(ICviTransport, string, CviSessionOptions?, CancellationToken)"/> (or the
/// constructor, handlers, then <see cref="StartAsync"/>) → send and receive → <see cref="LeaveAsync"/> /
/// <see cref="DisposeAsync"/>. The session ends on its own when the room closes; <see cref="Completion"/> and
/// <see cref="Ended"/> report why. The session owns its transport and disposes it.
/// </para>
/// <para>
/// Receiving: every event reaches <see cref="ReadEventsAsync"/>, <see cref="EventReceived"/> and the per-type events
/// in one order. The receive loop never runs user code: each handler and each reader has its own bounded queue
/// (<see cref="CviSessionOptions.EventBufferCapacity"/>), so a slow or throwing consumer delays or affects only itself.
/// </para>
/// <para>All members are thread-safe.</para>
/// </remarks>
public sealed partial class CviSession : IAsyncDisposable
{
    private readonly ICviTransport _transport;
    private readonly CviSessionOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CviJsonWriteOptions _writeOptions;
    private readonly Channel<TransportEvent> _inbound = Channel.CreateUnbounded<TransportEvent>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    private readonly CancellationTokenSource _lifetime = new();
    private readonly TaskCompletionSource<CviSessionEndReason> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _publishersLock = new();
    private readonly ITimer _timer;

    // Receive-loop state: touched only by the loop.
    private readonly SeqReorderBuffer<(CviEvent Event, ReadOnlyMemory<byte> Raw)>? _reorder;
    private readonly PalReplicaDuplicateFolder? _folder;
    private readonly SpeakingStateTracker _speaking = new();
    private readonly List<(CviEvent Event, ReadOnlyMemory<byte> Raw)> _released = [];
    private DateTimeOffset? _shutdownDeadline;
    private bool _shutdownSeen;
    private bool _replicaJoinedEventSeen;

    private IPublisher[] _publishers = [];
    private CviSessionEndedEventArgs? _ended;
    private ReaderSubscription? _firstReader;
    private Task? _loop;
    private int _started;
    private volatile bool _replicaPresent;
    private volatile bool _replicaSpeaking;
    private volatile bool _userSpeaking;
    private int _disposed;

    /// <summary>
    /// Creates a session over a transport without starting it, so that handlers can be attached before the first event;
    /// then call <see cref="StartAsync"/>. <see cref="ConnectAsync(ICviTransport, string, CviSessionOptions?, CancellationToken)"/> does both.
    /// </summary>
    /// <param name="transport">The room transport; the session takes ownership of it.</param>
    /// <param name="conversationId">The conversation id, filled into every interaction that has none.</param>
    /// <param name="options">Options; defaults when null.</param>
    public CviSession(ICviTransport transport, string conversationId, CviSessionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        ArgumentException.ThrowIfNullOrWhiteSpace(conversationId);
        options ??= new CviSessionOptions();
        options.Validate();

        _transport = transport;
        _options = options;
        ConversationId = conversationId;
        _logger = options.LoggerFactory.CreateLogger<CviSession>();
        _time = options.TimeProvider;
        _writeOptions = options.UseLegacyContextEventNames
            ? new CviJsonWriteOptions { UseLegacyContextEventNames = true }
            : CviJsonWriteOptions.Default;
        _reorder = options.OrderBySeq
            ? new SeqReorderBuffer<(CviEvent, ReadOnlyMemory<byte>)>(options.SeqReorderCapacity, options.SeqReorderTimeout)
            : null;
        _folder = options.FoldPalReplicaDuplicates ? new PalReplicaDuplicateFolder() : null;
        _timer = _time.CreateTimer(static state => ((CviSession)state!).OnTimer(), this, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        // The first ReadEventsAsync enumeration starts with what arrived since the start (the latest
        // EventBufferCapacity events), so an event that arrives before the caller reaches its await foreach is not lost.
        _firstReader = new ReaderSubscription("first ReadEventsAsync reader", options.EventBufferCapacity, EventBufferFullMode.DropOldest, NullLoggerForBacklog);
        _publishers = [_firstReader];
    }

    /// <summary>The conversation id, filled into every interaction sent without one.</summary>
    public string ConversationId { get; }

    /// <summary>The transport the session runs over.</summary>
    public ICviTransport Transport => _transport;

    /// <summary>The transport's connection state.</summary>
    public TransportState ConnectionState => _transport.State;

    /// <summary>Whether the replica is in the room (its participant is present, or <c>system.replica_joined</c> arrived).</summary>
    public bool IsReplicaPresent => _replicaPresent;

    /// <summary>Whether the replica is speaking, as far as the speaking events tell.</summary>
    public bool IsReplicaSpeaking => _replicaSpeaking;

    /// <summary>Whether the user is speaking, as far as the speaking events tell.</summary>
    public bool IsUserSpeaking => _userSpeaking;

    /// <summary>Completes, with the reason, when the session ended. Never faults.</summary>
    public Task<CviSessionEndReason> Completion => _completion.Task;

    /// <summary>Whether the session ended.</summary>
    public bool HasEnded => _completion.Task.IsCompleted;

    // How long LeaveAsync waits for the transport to report Closed before ending the session itself.
    private static readonly TimeSpan LeaveDrainTimeout = TimeSpan.FromSeconds(5);

    private static ILogger NullLoggerForBacklog => Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    /// <summary>
    /// Creates a session over a transport, joins the transport if it has not joined yet, and starts receiving.
    /// </summary>
    /// <param name="transport">The room transport; the session takes ownership of it (and disposes it).</param>
    /// <param name="conversationId">The conversation id, filled into every interaction that has none.</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <param name="cancellationToken">Cancels joining.</param>
    /// <returns>The running session.</returns>
    /// <exception cref="CviConnectionException">Joining failed.</exception>
    public static async Task<CviSession> ConnectAsync(
        ICviTransport transport, string conversationId, CviSessionOptions? options = null, CancellationToken cancellationToken = default)
    {
        var session = new CviSession(transport, conversationId, options);
        try
        {
            await session.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return session;
    }

    /// <summary>Starts receiving, and joins the transport if it has not joined yet. Call once.</summary>
    /// <param name="cancellationToken">Cancels joining.</param>
    /// <exception cref="CviConnectionException">Joining failed.</exception>
    /// <exception cref="InvalidOperationException">The session was already started.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("The session was already started.");
        }

        // Read before joining, so that nothing the join produces is missed.
        _ = Task.Run(PumpTransportAsync, CancellationToken.None);
        _loop = Task.Run(RunLoopAsync, CancellationToken.None);

        if (_transport.State == TransportState.Disconnected)
        {
            await _transport.JoinAsync(cancellationToken).ConfigureAwait(false);
        }
        else if (_transport.State == TransportState.Closed)
        {
            throw new CviConnectionException(CviConnectionFailure.Closed, "The transport is closed.");
        }

        foreach (var participant in _transport.RemoteParticipants)
        {
            if (participant.IsReplica) _replicaPresent = true;
        }

        Log.SessionStarted(_logger, ConversationId, _transport.GetType().Name);
    }

    /// <summary>Leaves the room and ends the session (<see cref="CviSessionEndReason.Left"/>). Idempotent.</summary>
    /// <param name="cancellationToken">Cancels the graceful part of leaving; the session ends either way.</param>
    public async Task LeaveAsync(CancellationToken cancellationToken = default)
    {
        if (HasEnded) return;
        if (Volatile.Read(ref _started) == 0)
        {
            // Never started: there is no loop to observe the transport closing.
            try
            {
                await _transport.LeaveAsync(cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                End(new CviSessionEndedEventArgs(CviSessionEndReason.Left, "Left before starting."));
            }

            return;
        }

        try
        {
            await _transport.LeaveAsync(cancellationToken).ConfigureAwait(false);
            if (_loop is { } loop)
            {
                // The transport reports Closed and completes its stream (ICviTransport contract), and the loop ends the
                // session after delivering what arrived before. A transport that breaks the contract is given a while.
                await loop.WaitAsync(LeaveDrainTimeout, _time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or CviException)
        {
            _inbound.Writer.TryWrite(new TransportStateChanged(TransportState.Closed, TransportCloseReason.Left, "Left the room."));
            if (ex is not TimeoutException) throw;
            await _loop!.ConfigureAwait(false);
        }
    }

    /// <summary>Leaves the room if still in it, ends the session, and disposes the transport.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try
        {
            await LeaveAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Disposal must not throw because leaving failed.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.LeaveFailed(_logger, ex);
        }

        End(new CviSessionEndedEventArgs(CviSessionEndReason.Left, "Disposed."));
        await _timer.DisposeAsync().ConfigureAwait(false);
        try
        {
            await _transport.DisposeAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.LeaveFailed(_logger, ex);
        }

        // _lifetime is cancelled (by End) but deliberately not disposed: tool handlers and audio streams still running
        // may link to its token, and a cancellation source without a timer holds nothing to release.
    }

    /// <inheritdoc/>
    public override string ToString() => $"CviSession {ConversationId} ({(HasEnded ? "ended" : _transport.State.ToString())})";

    private async Task PumpTransportAsync()
    {
        try
        {
            await foreach (var item in _transport.ReadEventsAsync(_lifetime.Token).ConfigureAwait(false))
            {
                _inbound.Writer.TryWrite(item);
            }

            _inbound.Writer.TryWrite(new SessionSignal.StreamEnded());
        }
        catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
        {
        }
#pragma warning disable CA1031 // Any transport failure ends the session with that failure as the reason.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _inbound.Writer.TryWrite(new SessionSignal.ReadFailed(ex));
        }
    }

    private void OnTimer() => _inbound.Writer.TryWrite(new SessionSignal.TimerElapsed());

    private async Task RunLoopAsync()
    {
        try
        {
            var reader = _inbound.Reader;
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (reader.TryRead(out var item))
                {
                    Process(item);
                    if (_ended is not null) return;
                }

                ArmTimer();
            }
        }
#pragma warning disable CA1031 // A bug here must end the session visibly, not leave it hanging.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.TransportReadFailed(_logger, ex);
            End(new CviSessionEndedEventArgs(CviSessionEndReason.TransportError, "The session's receive loop failed.", ex));
        }
    }

    private void Process(TransportEvent item)
    {
        switch (item)
        {
            case AppMessageReceived message:
                OnAppMessage(message);
                break;

            case ParticipantJoined joined:
                Log.ParticipantChanged(_logger, joined.Participant.Id, "joined", joined.Participant.IsReplica);
                if (joined.Participant.IsReplica) _replicaPresent = true;
                Publish(SessionNotification.ForRoom(new CviParticipantEventArgs(joined.Participant)));
                break;

            case ParticipantLeft left:
                Log.ParticipantChanged(_logger, left.Participant.Id, "left", left.Participant.IsReplica);
                if (left.Participant.IsReplica && !_transport.RemoteParticipants.Any(p => p.IsReplica)) _replicaPresent = false;
                Publish(SessionNotification.ForRoom(new CviParticipantEventArgs(left.Participant, left.Reason, isDeparture: true)));
                break;

            case TransportStateChanged state:
                Log.TransportStateChanged(_logger, state.State, state.CloseReason, state.Message);
                if (state.State == TransportState.Closed)
                {
                    End(new CviSessionEndedEventArgs(MapCloseReason(state.CloseReason), state.Message, state.Exception), fromLoop: true);
                }
                else
                {
                    Publish(SessionNotification.ForRoom(new CviConnectionStateChangedEventArgs(state)));
                }

                break;

            case SessionSignal.TimerElapsed:
                OnTimerElapsed();
                break;

            case SessionSignal.ReadFailed failed:
                Log.TransportReadFailed(_logger, failed.Exception);
                End(new CviSessionEndedEventArgs(CviSessionEndReason.TransportError, "Reading from the transport failed.", failed.Exception), fromLoop: true);
                break;

            case SessionSignal.StreamEnded:
                End(new CviSessionEndedEventArgs(MapCloseReason(TransportCloseReason.Error), "The transport's event stream ended."), fromLoop: true);
                break;
        }
    }

    private void OnAppMessage(AppMessageReceived message)
    {
        var payload = message.Payload;
        Log.EventPayload(_logger, message.SenderId, new Utf8Text(payload));

        var cviEvent = CviJson.DecodeEvent(payload.Span, _options.JsonReadOptions);
        if (cviEvent is InvalidMessageEvent invalid)
        {
            Log.InvalidMessage(_logger, invalid.Kind, invalid.Reason);
        }
        else
        {
            Log.EventReceived(_logger, cviEvent.EventType, cviEvent.Seq, cviEvent.InferenceId);
        }

        if (_reorder is null)
        {
            Deliver(cviEvent, payload);
            return;
        }

        _released.Clear();
        _reorder.Push((cviEvent, payload), cviEvent is InvalidMessageEvent ? null : cviEvent.Seq, _time.GetUtcNow(), _released);
        DeliverReleased();
    }

    private void OnTimerElapsed()
    {
        if (_reorder is not null && _reorder.Count > 0)
        {
            _released.Clear();
            int before = _reorder.Count;
            _reorder.OnTimer(_time.GetUtcNow(), _released);
            if (_released.Count > 0) Log.ReorderGapSkipped(_logger, _released[0].Event.Seq - 1, before - _reorder.Count);
            DeliverReleased();
        }

        if (_shutdownDeadline is { } deadline && deadline <= _time.GetUtcNow())
        {
            _shutdownDeadline = null;
            Log.ShutdownGraceElapsed(_logger, _options.ShutdownGracePeriod);
            _ = LeaveAfterShutdownAsync();
        }
    }

    private async Task LeaveAfterShutdownAsync()
    {
        try
        {
            await LeaveAsync(CancellationToken.None).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Runs detached; a failure is logged and the session ends anyway.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.LeaveFailed(_logger, ex);
        }
    }

    private void DeliverReleased()
    {
        // Deliver may re-enter nothing (it only publishes), so iterating the shared list is safe.
        foreach (var (cviEvent, raw) in _released)
        {
            Deliver(cviEvent, raw);
        }

        _released.Clear();
    }

    private void ArmTimer()
    {
        DateTimeOffset? next = _reorder?.NextDeadline;
        if (_shutdownDeadline is { } s && (next is null || s < next)) next = s;
        if (_ended is not null || next is null)
        {
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }

        var due = next.Value - _time.GetUtcNow();
        _timer.Change(due < TimeSpan.Zero ? TimeSpan.Zero : due, Timeout.InfiniteTimeSpan);
    }

    private void Deliver(CviEvent cviEvent, ReadOnlyMemory<byte> raw)
    {
        if (_folder is not null && cviEvent is not (InvalidMessageEvent or UnknownEvent) && _folder.IsDuplicate(raw.Span))
        {
            Log.DuplicateFolded(_logger, cviEvent.EventType, cviEvent.Seq);
            return;
        }

        var changes = _speaking.Observe(cviEvent, out bool? interrupted, out TimeSpan? duration);
        _replicaSpeaking = _speaking.IsReplicaSpeaking;
        _userSpeaking = _speaking.IsUserSpeaking;
        SpeakingStateEventArgs? speakingArgs = null;
        if (changes != SpeakingChanges.None)
        {
            var role = (changes & (SpeakingChanges.UserStarted | SpeakingChanges.UserStopped)) != 0 ? ParticipantRole.User : ParticipantRole.Replica;
            speakingArgs = new SpeakingStateEventArgs(role, cviEvent, interrupted, duration);
        }

        switch (cviEvent)
        {
            case ReplicaJoinedEvent:
                _replicaPresent = true;
                break;
            case ShutdownEvent shutdown:
                Log.ShutdownReceived(_logger, shutdown.Reason?.Value);
                _shutdownSeen = true;
                _shutdownDeadline ??= _time.GetUtcNow() + _options.ShutdownGracePeriod;
                break;
        }

        bool firstReplicaJoined = cviEvent is ReplicaJoinedEvent && !_replicaJoinedEventSeen;
        if (cviEvent is ReplicaJoinedEvent) _replicaJoinedEventSeen = true;
        Publish(SessionNotification.ForEvent(cviEvent, changes, speakingArgs, firstReplicaJoined));

        DispatchToolCall(cviEvent);
    }

    private CviSessionEndReason MapCloseReason(TransportCloseReason reason) =>
        _shutdownSeen ? CviSessionEndReason.Shutdown : reason switch
        {
            TransportCloseReason.Left => CviSessionEndReason.Left,
            TransportCloseReason.RoomDeleted => CviSessionEndReason.RoomDeleted,
            TransportCloseReason.Ejected => CviSessionEndReason.Ejected,
            TransportCloseReason.ConnectionLost => CviSessionEndReason.ConnectionLost,
            _ => CviSessionEndReason.TransportError,
        };

    private void Publish(SessionNotification notification)
    {
        var publishers = Volatile.Read(ref _publishers);
        List<IPublisher>? done = null;
        foreach (var publisher in publishers)
        {
            if (!publisher.Publish(notification))
            {
                (done ??= []).Add(publisher);
            }
        }

        if (done is not null)
        {
            foreach (var publisher in done) RemovePublisher(publisher);
        }
    }

    private void AddPublisher(IPublisher publisher)
    {
        CviSessionEndedEventArgs? ended;
        lock (_publishersLock)
        {
            ended = _ended;
            if (ended is null)
            {
                _publishers = [.. _publishers, publisher];
                return;
            }
        }

        publisher.Complete(ended);
    }

    private void RemovePublisher(IPublisher publisher)
    {
        lock (_publishersLock)
        {
            int index = Array.IndexOf(_publishers, publisher);
            if (index < 0) return;
            var copy = new IPublisher[_publishers.Length - 1];
            Array.Copy(_publishers, 0, copy, 0, index);
            Array.Copy(_publishers, index + 1, copy, index, _publishers.Length - index - 1);
            _publishers = copy;
        }
    }

    private void End(CviSessionEndedEventArgs ended, bool fromLoop = false)
    {
        // Events still held for re-ordering are delivered first: ending never drops an event that arrived.
        if (fromLoop && _reorder is not null && _reorder.Count > 0)
        {
            _released.Clear();
            _reorder.Flush(_released);
            DeliverReleased();
        }

        IPublisher[] publishers;
        lock (_publishersLock)
        {
            if (_ended is not null) return;
            _ended = ended;
            publishers = _publishers;
            _publishers = [];
        }

        _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        foreach (var publisher in publishers)
        {
            publisher.Complete(ended);
        }

        CancelAllAudio();
        try
        {
            _lifetime.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }

        _inbound.Writer.TryComplete();
        Log.SessionEnded(_logger, ConversationId, ended.Reason, ended.Message);
        _completion.TrySetResult(ended.Reason);
    }
}
