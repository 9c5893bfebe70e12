using Tavus.Cvi.Interactions.Protocol;

namespace Tavus.Cvi.Interactions.Session;

/// <summary>
/// The arguments of the session's speaking-state events (<see cref="CviSession.ReplicaStartedSpeaking"/> and the
/// like). Tavus reports each change up to four times (the role-agnostic <c>conversation.started_speaking</c> and the
/// legacy per-role events, each PAL one as <c>pal</c> and <c>replica</c>; tavus-protocol.md §B.3); the session folds
/// them into one change, described by the first message that announced it.
/// </summary>
public sealed class SpeakingStateEventArgs : EventArgs
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="role"><see cref="ParticipantRole.Replica"/> (also for PAL messages) or <see cref="ParticipantRole.User"/>.</param>
    /// <param name="sourceEvent">The message that announced the change.</param>
    /// <param name="interrupted">For a stop or an interruption: whether the speaker was cut off, when known.</param>
    /// <param name="duration">For a stop: how long the speaker spoke, when known.</param>
    public SpeakingStateEventArgs(ParticipantRole role, CviEvent sourceEvent, bool? interrupted = null, TimeSpan? duration = null)
    {
        ArgumentNullException.ThrowIfNull(sourceEvent);
        Role = role;
        Event = sourceEvent;
        Interrupted = interrupted;
        Duration = duration;
    }

    /// <summary><see cref="ParticipantRole.Replica"/> for the replica (PAL messages included) or <see cref="ParticipantRole.User"/>.</summary>
    public ParticipantRole Role { get; }

    /// <summary>The <c>inference_id</c> of the utterance, when the message carried one.</summary>
    public string? InferenceId => Event.InferenceId;

    /// <summary>Whether the speaker was cut off, when known (stops and interruptions only).</summary>
    public bool? Interrupted { get; }

    /// <summary>How long the speaker spoke, when known (stops only).</summary>
    public TimeSpan? Duration { get; }

    /// <summary>The message that announced the change.</summary>
    public CviEvent Event { get; }
}
