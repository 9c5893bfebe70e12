namespace Tavus.Cvi.Interactions.Transport;

/// <summary>The kind of a connection failure, for code that decides whether to retry.</summary>
public enum CviConnectionFailure
{
    /// <summary>Not classified.</summary>
    Unknown = 0,

    /// <summary>The room does not exist (or is not available yet or any more).</summary>
    RoomNotFound,

    /// <summary>Not admitted: missing, invalid or expired meeting token.</summary>
    NotAdmitted,

    /// <summary>The network failed or timed out.</summary>
    Network,

    /// <summary>The connection was lost and not re-established before the deadline.</summary>
    ReconnectDeadlineExceeded,

    /// <summary>The transport is closed (left, room deleted, ejected).</summary>
    Closed,

    /// <summary>The room uses a feature this transport does not support (for example a peer-to-peer topology).</summary>
    Unsupported,
}
