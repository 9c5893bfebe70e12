using Tavus.Cvi.Interactions.Protocol;

namespace Tavus.Cvi.Interactions.Session;

/// <summary>
/// Folds the speaking reports into one change each. Tavus sends the role-agnostic
/// <c>conversation.started_speaking</c>/<c>stopped_speaking</c> in parallel with the legacy
/// <c>conversation.replica.*</c>/<c>conversation.user.*</c> events, and PAL ones as both <c>pal</c> and <c>replica</c>
/// (tavus-protocol.md §B.3); an interruption shows as <c>conversation.replica_interrupted</c> (legacy, §B.4) and/or as
/// <c>stopped_speaking</c> with <c>interrupted: true</c>. A change is recognized by its <c>inference_id</c> when the
/// message has one, and by the current state when it does not.
/// </summary>
internal sealed class SpeakingStateTracker
{
    private readonly Side _replica = new();
    private readonly Side _user = new();
    private readonly RecentSet _interrupted = new(64);

    public bool IsReplicaSpeaking => _replica.Speaking;

    public bool IsUserSpeaking => _user.Speaking;

    public SpeakingChanges Observe(CviEvent e, out bool? interrupted, out TimeSpan? duration)
    {
        interrupted = null;
        duration = null;
        switch (e)
        {
            case StartedSpeakingEvent { Role: { } role } when role.IsReplicaOrPal:
            case ReplicaStartedSpeakingEvent:
                return _replica.Start(e.InferenceId) ? SpeakingChanges.ReplicaStarted : SpeakingChanges.None;

            case StartedSpeakingEvent { Role: { } role } when role.IsUser:
            case UserStartedSpeakingEvent:
                return _user.Start(e.InferenceId) ? SpeakingChanges.UserStarted : SpeakingChanges.None;

            case StoppedSpeakingEvent { Role: { } role } stopped when role.IsReplicaOrPal:
                return ReplicaStop(e.InferenceId, stopped.Interrupted, stopped.Duration, out interrupted, out duration);

            case ReplicaStoppedSpeakingEvent stopped:
                return ReplicaStop(e.InferenceId, stopped.Interrupted, stopped.Duration, out interrupted, out duration);

            case StoppedSpeakingEvent { Role: { } role } stopped when role.IsUser:
                duration = ToDuration(stopped.Duration);
                return _user.Stop(e.InferenceId) ? SpeakingChanges.UserStopped : SpeakingChanges.None;

            case UserStoppedSpeakingEvent:
                return _user.Stop(e.InferenceId) ? SpeakingChanges.UserStopped : SpeakingChanges.None;

            case ReplicaInterruptedEvent:
                interrupted = true;
                return Interrupt(e.InferenceId ?? _replica.LastId) ? SpeakingChanges.ReplicaInterrupted : SpeakingChanges.None;

            default:
                return SpeakingChanges.None;
        }
    }

    private SpeakingChanges ReplicaStop(string? inferenceId, bool? wasInterrupted, double? seconds, out bool? interrupted, out TimeSpan? duration)
    {
        interrupted = wasInterrupted;
        duration = ToDuration(seconds);
        string? key = inferenceId ?? _replica.CurrentId;
        var changes = _replica.Stop(inferenceId) ? SpeakingChanges.ReplicaStopped : SpeakingChanges.None;
        if (wasInterrupted == true && Interrupt(key))
        {
            changes |= SpeakingChanges.ReplicaInterrupted;
        }

        return changes;
    }

    private bool Interrupt(string? key) => key is null || _interrupted.Add(key);

    private static TimeSpan? ToDuration(double? seconds) =>
        seconds is { } s && double.IsFinite(s) && s >= 0 && s < TimeSpan.MaxValue.TotalSeconds ? TimeSpan.FromSeconds(s) : null;

    private sealed class Side
    {
        private readonly RecentSet _started = new(64);
        private readonly RecentSet _stopped = new(64);

        public bool Speaking { get; private set; }

        public string? CurrentId { get; private set; }

        public string? LastId { get; private set; }

        public bool Start(string? id)
        {
            if (id is null)
            {
                if (Speaking) return false;
                Speaking = true;
                CurrentId = null;
                return true;
            }

            if (_started.Contains(id)) return false;
            _started.Add(id);
            if (Speaking && CurrentId is null)
            {
                // The same start reported first without an id (legacy), now with one: adopt it.
                CurrentId = LastId = id;
                return false;
            }

            Speaking = true;
            CurrentId = LastId = id;
            return true;
        }

        public bool Stop(string? id)
        {
            if (id is null)
            {
                if (!Speaking) return false;
                Speaking = false;
                if (CurrentId is not null) _stopped.Add(CurrentId);
                CurrentId = null;
                return true;
            }

            if (!_stopped.Add(id)) return false;
            LastId = id;
            if (Speaking && (CurrentId is null || CurrentId == id))
            {
                Speaking = false;
                CurrentId = null;
                return true;
            }

            if (Speaking)
            {
                // A stop for an older utterance while a newer one is under way: that utterance stopped long ago.
                return false;
            }

            // A stop without the start (joined mid-utterance, or the start never arrived): still a stop.
            _started.Add(id);
            return true;
        }
    }

    /// <summary>A set that remembers only its most recent entries.</summary>
    private sealed class RecentSet(int capacity)
    {
        private readonly HashSet<string> _set = new(StringComparer.Ordinal);
        private readonly Queue<string> _order = new();

        public bool Contains(string value) => _set.Contains(value);

        public bool Add(string value)
        {
            if (!_set.Add(value)) return false;
            _order.Enqueue(value);
            if (_order.Count > capacity) _set.Remove(_order.Dequeue());
            return true;
        }
    }
}
