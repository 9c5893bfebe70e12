namespace Tavus.Cvi.Interactions.Transport;

/// <summary>Something that happened in the room: the items of <see cref="ICviTransport.ReadEventsAsync"/>.</summary>
public abstract record TransportEvent;
