namespace Tavus.Cvi.Interactions.Transport;

/// <summary>Why a transport reached <see cref="TransportState.Closed"/>.</summary>
public enum TransportCloseReason
{
    /// <summary>Not closed.</summary>
    None = 0,

    /// <summary>The local side left (<see cref="ICviTransport.LeaveAsync"/> or disposal).</summary>
    Left,

    /// <summary>The room was deleted, which for Tavus means the conversation ended.</summary>
    RoomDeleted,

    /// <summary>The local participant was ejected from the room.</summary>
    Ejected,

    /// <summary>The connection was lost and could not be re-established before the deadline.</summary>
    ConnectionLost,

    /// <summary>The room or the server reported a fatal error.</summary>
    Error,
}
