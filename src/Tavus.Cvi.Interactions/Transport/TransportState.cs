namespace Tavus.Cvi.Interactions.Transport;

/// <summary>The connection state of an <see cref="ICviTransport"/>.</summary>
public enum TransportState
{
    /// <summary>Created, not joined yet.</summary>
    Disconnected = 0,

    /// <summary>Joining the room.</summary>
    Connecting,

    /// <summary>Joined: messages flow.</summary>
    Connected,

    /// <summary>The connection was lost and is being re-established; sends are queued.</summary>
    Reconnecting,

    /// <summary>Left or ended for good. A closed transport cannot be joined again.</summary>
    Closed,
}
