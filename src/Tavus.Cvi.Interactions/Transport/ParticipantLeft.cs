namespace Tavus.Cvi.Interactions.Transport;

/// <summary>A participant left the room.</summary>
/// <param name="Participant">Who left.</param>
/// <param name="Reason">The reason the room gave, if any.</param>
public sealed record ParticipantLeft(RoomParticipant Participant, string? Reason) : TransportEvent;
