namespace Tavus.Cvi.WebRtc.Sctp;

/// <summary>Association states of RFC 9260 §4.</summary>
public enum SctpAssociationState
{
    /// <summary>No association (initially, and after shutdown or abort).</summary>
    Closed,

    /// <summary>INIT sent, waiting for INIT-ACK.</summary>
    CookieWait,

    /// <summary>COOKIE-ECHO sent, waiting for COOKIE-ACK.</summary>
    CookieEchoed,

    /// <summary>Association up: data flows.</summary>
    Established,

    /// <summary>Close requested: sending what is queued before SHUTDOWN.</summary>
    ShutdownPending,

    /// <summary>SHUTDOWN sent.</summary>
    ShutdownSent,

    /// <summary>SHUTDOWN received: sending what is queued before SHUTDOWN-ACK.</summary>
    ShutdownReceived,

    /// <summary>SHUTDOWN-ACK sent.</summary>
    ShutdownAckSent,
}
