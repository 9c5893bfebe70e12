namespace Tavus.Cvi.Interactions.Transport;

/// <summary>A participant joined the room (or was present when the local participant joined).</summary>
/// <param name="Participant">Who joined.</param>
public sealed record ParticipantJoined(RoomParticipant Participant) : TransportEvent;
