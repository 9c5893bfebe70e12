using Tavus.Cvi.Interactions.Protocol;
using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.Interactions.Session;

public sealed partial class CviSession
{
    /// <summary>Every event (after folding duplicates and, if enabled, re-ordering), in the order <see cref="ReadEventsAsync"/> yields them.</summary>
    public event EventHandler<CviEventArgs<CviEvent>>? EventReceived
    {
        add => AddHandler(nameof(EventReceived), value, static n => n.Event is { } e ? new CviEventArgs<CviEvent>(e) : null);
        remove => RemoveHandler(nameof(EventReceived), value);
    }

    /// <summary><c>conversation.tool_call</c>: raised for every call, whether or not a handler is registered with <see cref="RegisterTool{TArgs}"/>.</summary>
    public event EventHandler<CviEventArgs<ToolCallEvent>>? ToolCallReceived
    {
        add => AddHandler(nameof(ToolCallReceived), value, Of<ToolCallEvent>);
        remove => RemoveHandler(nameof(ToolCallReceived), value);
    }

    /// <summary><c>conversation.utterance</c>: a complete utterance of the user or the replica.</summary>
    public event EventHandler<CviEventArgs<UtteranceEvent>>? UtteranceReceived
    {
        add => AddHandler(nameof(UtteranceReceived), value, Of<UtteranceEvent>);
        remove => RemoveHandler(nameof(UtteranceReceived), value);
    }

    /// <summary><c>conversation.utterance.streaming</c>: the accumulated text of an utterance in progress.</summary>
    public event EventHandler<CviEventArgs<StreamingUtteranceEvent>>? StreamingUtteranceReceived
    {
        add => AddHandler(nameof(StreamingUtteranceReceived), value, Of<StreamingUtteranceEvent>);
        remove => RemoveHandler(nameof(StreamingUtteranceReceived), value);
    }

    /// <summary>The replica started speaking: once per start, whether Tavus reported it with the role-agnostic event, the legacy one, or both.</summary>
    public event EventHandler<SpeakingStateEventArgs>? ReplicaStartedSpeaking
    {
        add => AddHandler(nameof(ReplicaStartedSpeaking), value, n => Speaking(n, SpeakingChanges.ReplicaStarted));
        remove => RemoveHandler(nameof(ReplicaStartedSpeaking), value);
    }

    /// <summary>The replica stopped speaking: once per stop.</summary>
    public event EventHandler<SpeakingStateEventArgs>? ReplicaStoppedSpeaking
    {
        add => AddHandler(nameof(ReplicaStoppedSpeaking), value, n => Speaking(n, SpeakingChanges.ReplicaStopped));
        remove => RemoveHandler(nameof(ReplicaStoppedSpeaking), value);
    }

    /// <summary>The user started speaking: once per start.</summary>
    public event EventHandler<SpeakingStateEventArgs>? UserStartedSpeaking
    {
        add => AddHandler(nameof(UserStartedSpeaking), value, n => Speaking(n, SpeakingChanges.UserStarted));
        remove => RemoveHandler(nameof(UserStartedSpeaking), value);
    }

    /// <summary>The user stopped speaking: once per stop.</summary>
    public event EventHandler<SpeakingStateEventArgs>? UserStoppedSpeaking
    {
        add => AddHandler(nameof(UserStoppedSpeaking), value, n => Speaking(n, SpeakingChanges.UserStopped));
        remove => RemoveHandler(nameof(UserStoppedSpeaking), value);
    }

    /// <summary>
    /// The user interrupted the replica: once per interruption, whether reported by <c>conversation.replica_interrupted</c>
    /// (legacy) or by a stop with <c>interrupted: true</c>.
    /// </summary>
    public event EventHandler<SpeakingStateEventArgs>? ReplicaInterrupted
    {
        add => AddHandler(nameof(ReplicaInterrupted), value, n => Speaking(n, SpeakingChanges.ReplicaInterrupted));
        remove => RemoveHandler(nameof(ReplicaInterrupted), value);
    }

    /// <summary><c>system.replica_joined</c> (or its duplicate <c>system.pal_joined</c>): raised once, for the first of the two.</summary>
    public event EventHandler<CviEventArgs<ReplicaJoinedEvent>>? ReplicaJoined
    {
        add => AddHandler(nameof(ReplicaJoined), value, static n => n.Event is ReplicaJoinedEvent e && n.IsFirstReplicaJoined ? new CviEventArgs<ReplicaJoinedEvent>(e) : null);
        remove => RemoveHandler(nameof(ReplicaJoined), value);
    }

    /// <summary><c>system.shutdown</c>: the conversation is ending. The session ends when the room closes (see <see cref="CviSessionOptions.ShutdownGracePeriod"/>).</summary>
    public event EventHandler<CviEventArgs<ShutdownEvent>>? ShutdownReceived
    {
        add => AddHandler(nameof(ShutdownReceived), value, Of<ShutdownEvent>);
        remove => RemoveHandler(nameof(ShutdownReceived), value);
    }

    /// <summary><c>conversation.perception_tool_call</c>: a Raven perception tool fired.</summary>
    public event EventHandler<CviEventArgs<PerceptionToolCallEvent>>? PerceptionToolCallReceived
    {
        add => AddHandler(nameof(PerceptionToolCallReceived), value, Of<PerceptionToolCallEvent>);
        remove => RemoveHandler(nameof(PerceptionToolCallReceived), value);
    }

    /// <summary><c>conversation.perception_analysis</c>: the end-of-call visual summary.</summary>
    public event EventHandler<CviEventArgs<PerceptionAnalysisEvent>>? PerceptionAnalysisReceived
    {
        add => AddHandler(nameof(PerceptionAnalysisReceived), value, Of<PerceptionAnalysisEvent>);
        remove => RemoveHandler(nameof(PerceptionAnalysisReceived), value);
    }

    /// <summary>An event whose <c>event_type</c> the SDK does not know; it carries its raw JSON.</summary>
    public event EventHandler<CviEventArgs<UnknownEvent>>? UnknownEventReceived
    {
        add => AddHandler(nameof(UnknownEventReceived), value, Of<UnknownEvent>);
        remove => RemoveHandler(nameof(UnknownEventReceived), value);
    }

    /// <summary>A message the SDK cannot read (not JSON, not an object, no <c>event_type</c>, a field of the wrong type, too large). The session goes on.</summary>
    public event EventHandler<CviEventArgs<InvalidMessageEvent>>? InvalidMessageReceived
    {
        add => AddHandler(nameof(InvalidMessageReceived), value, Of<InvalidMessageEvent>);
        remove => RemoveHandler(nameof(InvalidMessageReceived), value);
    }

    /// <summary>The transport's connection state changed (connecting, connected, reconnecting). The end is reported by <see cref="Ended"/>.</summary>
    public event EventHandler<CviConnectionStateChangedEventArgs>? ConnectionStateChanged
    {
        add => AddHandler(nameof(ConnectionStateChanged), value, static n => n.Args as CviConnectionStateChangedEventArgs);
        remove => RemoveHandler(nameof(ConnectionStateChanged), value);
    }

    /// <summary>A participant joined the room (or was there when the session joined).</summary>
    public event EventHandler<CviParticipantEventArgs>? ParticipantJoined
    {
        add => AddHandler(nameof(ParticipantJoined), value, static n => n.Args is CviParticipantEventArgs { IsDeparture: false } a ? a : null);
        remove => RemoveHandler(nameof(ParticipantJoined), value);
    }

    /// <summary>A participant left the room.</summary>
    public event EventHandler<CviParticipantEventArgs>? ParticipantLeft
    {
        add => AddHandler(nameof(ParticipantLeft), value, static n => n.Args is CviParticipantEventArgs { IsDeparture: true } a ? a : null);
        remove => RemoveHandler(nameof(ParticipantLeft), value);
    }

    /// <summary>The session ended; raised once, after every event. A handler added after the end is raised at once.</summary>
    public event EventHandler<CviSessionEndedEventArgs>? Ended
    {
        add => AddHandler<CviSessionEndedEventArgs>(nameof(Ended), value, static _ => null);
        remove => RemoveHandler(nameof(Ended), value);
    }

    /// <summary>
    /// Reads every event, in order, until the session ends. The first enumeration starts with the events received
    /// since the session started (the latest <see cref="CviSessionOptions.EventBufferCapacity"/>); any later or
    /// concurrent enumeration starts with the next event. Each enumeration has its own buffer: a slow reader falls
    /// behind alone, under <see cref="CviSessionOptions.EventBufferFullMode"/>.
    /// </summary>
    /// <param name="cancellationToken">Stops reading; the session goes on.</param>
    /// <returns>The events; the sequence completes when the session ended.</returns>
    /// <exception cref="CviException">With <see cref="EventBufferFullMode.FailReader"/>: this reader fell too far behind.</exception>
    public IAsyncEnumerable<CviEvent> ReadEventsAsync(CancellationToken cancellationToken = default)
    {
        var reader = Interlocked.Exchange(ref _firstReader, null);
        if (reader is not null && !reader.IsAbandoned)
        {
            reader.TakeOver(_options.EventBufferFullMode, _logger);
        }
        else
        {
            reader = new ReaderSubscription("ReadEventsAsync reader", _options.EventBufferCapacity, _options.EventBufferFullMode, _logger);
            AddPublisher(reader);
        }

        return reader.ReadAllAsync(cancellationToken);
    }

    /// <summary>Waits for the next event of a type that satisfies a predicate.</summary>
    /// <typeparam name="TEvent">The event type.</typeparam>
    /// <param name="predicate">The condition; null for any event of the type. It runs on the receive loop: keep it quick.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>The event.</returns>
    /// <exception cref="CviConnectionException">The session ended first.</exception>
    public Task<TEvent> WaitForEventAsync<TEvent>(Func<TEvent, bool>? predicate = null, CancellationToken cancellationToken = default)
        where TEvent : CviEvent =>
        WaitAsync(
            $"a {typeof(TEvent).Name} arrived",
            n => n.Event is TEvent e && (predicate is null || predicate(e)) ? (true, e) : (false, default!),
            alreadyDone: null,
            cancellationToken);

    /// <summary>Waits until the replica is in the room: at once if it is already.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="CviConnectionException">The session ended first.</exception>
    public Task WaitForReplicaJoinedAsync(CancellationToken cancellationToken = default) =>
        WaitAsync(
            "the replica joined",
            static n => (n.Event is ReplicaJoinedEvent || n.Args is CviParticipantEventArgs { IsDeparture: false, Participant.IsReplica: true }, true),
            alreadyDone: () => _replicaPresent,
            cancellationToken);

    /// <summary>
    /// Waits until the replica is not speaking: at once if it is silent now, else at its next stop. To wait for an
    /// answer to something just sent, wait for <see cref="ReplicaStartedSpeaking"/> first (or pass
    /// <paramref name="waitForStart"/>).
    /// </summary>
    /// <param name="waitForStart">Whether to wait, when the replica is silent, for it to start and then stop.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <exception cref="CviConnectionException">The session ended first.</exception>
    public async Task WaitForReplicaToFinishSpeakingAsync(bool waitForStart = false, CancellationToken cancellationToken = default)
    {
        if (waitForStart)
        {
            // Register both waits before looking at the state, so that no change slips between.
            var started = WaitAsync("the replica started speaking", static n => ((n.Speaking & SpeakingChanges.ReplicaStarted) != 0, true), () => _replicaSpeaking, cancellationToken);
            await started.ConfigureAwait(false);
        }

        await WaitAsync(
            "the replica finished speaking",
            static n => ((n.Speaking & SpeakingChanges.ReplicaStopped) != 0, true),
            alreadyDone: () => !_replicaSpeaking,
            cancellationToken).ConfigureAwait(false);
    }

    private Task<T> WaitAsync<T>(string what, Func<SessionNotification, (bool, T)> match, Func<bool>? alreadyDone, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<T>(cancellationToken);
        var waiter = new Waiter<T>(what, match);
        AddPublisher(waiter);

        // Checked after registering: a change published after the registration reaches the waiter, and one published
        // before it is already reflected in the state.
        if (alreadyDone is not null && alreadyDone() && waiter.TrySetResult(default!))
        {
            RemovePublisher(waiter);
            return waiter.Task;
        }

        if (cancellationToken.CanBeCanceled)
        {
            var registration = cancellationToken.Register(static s =>
            {
                var (w, ct) = ((Waiter<T>, CancellationToken))s!;
                w.Cancel(ct);
            }, (waiter, cancellationToken));
            _ = waiter.Task.ContinueWith(
                static (_, s) => ((CancellationTokenRegistration)s!).Dispose(), registration,
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        return waiter.Task;
    }

    private static CviEventArgs<TEvent>? Of<TEvent>(SessionNotification n)
        where TEvent : CviEvent =>
        n.Event is TEvent e ? new CviEventArgs<TEvent>(e) : null;

    private static SpeakingStateEventArgs? Speaking(SessionNotification n, SpeakingChanges change) =>
        (n.Speaking & change) != 0 ? n.SpeakingArgs : null;

    private void AddHandler<TArgs>(string eventName, EventHandler<TArgs>? handler, Func<SessionNotification, TArgs?> map)
        where TArgs : EventArgs
    {
        if (handler is null) return;
        AddPublisher(new HandlerSubscription<TArgs>(this, eventName, handler, map, _options.EventBufferCapacity, _logger));
    }

    private void RemoveHandler<TArgs>(string eventName, EventHandler<TArgs>? handler)
        where TArgs : EventArgs
    {
        if (handler is null) return;
        HandlerSubscription<TArgs>? found = null;
        lock (_publishersLock)
        {
            // The last subscription of an equal delegate, as delegate removal does.
            for (int i = _publishers.Length - 1; i >= 0; i--)
            {
                if (_publishers[i] is HandlerSubscription<TArgs> s && s.EventName == eventName && s.Handler == handler)
                {
                    found = s;
                    break;
                }
            }
        }

        if (found is null) return;
        RemovePublisher(found);
        found.Cancel();
    }
}
