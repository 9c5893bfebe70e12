namespace Tavus.Cvi.Interactions.Session;

/// <summary>Why a <see cref="CviSession"/> ended.</summary>
public enum CviSessionEndReason
{
    /// <summary>The session left the room: <see cref="CviSession.LeaveAsync"/> or <see cref="CviSession.DisposeAsync"/>.</summary>
    Left = 0,

    /// <summary>Tavus announced the end of the conversation with <c>system.shutdown</c> and then closed the room.</summary>
    Shutdown,

    /// <summary>The room was deleted (for Tavus: the conversation ended) without a <c>system.shutdown</c> first.</summary>
    RoomDeleted,

    /// <summary>The local participant was ejected from the room.</summary>
    Ejected,

    /// <summary>The connection was lost and not re-established in time.</summary>
    ConnectionLost,

    /// <summary>The transport failed or closed for another reason; see <see cref="CviSessionEndedEventArgs.Exception"/>.</summary>
    TransportError,
}
