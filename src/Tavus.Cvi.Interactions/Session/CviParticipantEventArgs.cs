using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.Interactions.Session;

/// <summary>The arguments of <see cref="CviSession.ParticipantJoined"/> and <see cref="CviSession.ParticipantLeft"/>.</summary>
public sealed class CviParticipantEventArgs : EventArgs
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="participant">Who joined or left.</param>
    /// <param name="reason">For a departure, the reason the room gave, if any.</param>
    public CviParticipantEventArgs(RoomParticipant participant, string? reason = null)
        : this(participant, reason, isDeparture: reason is not null)
    {
    }

    internal CviParticipantEventArgs(RoomParticipant participant, string? reason, bool isDeparture)
    {
        ArgumentNullException.ThrowIfNull(participant);
        IsDeparture = isDeparture;
        Participant = participant;
        Reason = reason;
    }

    /// <summary>Who joined or left.</summary>
    public RoomParticipant Participant { get; }

    /// <summary>For a departure, the reason the room gave, if any.</summary>
    public string? Reason { get; }

    internal bool IsDeparture { get; }
}
