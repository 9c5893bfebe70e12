namespace Tavus.Cvi.WebRtc.Peer;

/// <summary>The aggregate state of ICE, DTLS and SCTP, as in the W3C <c>RTCPeerConnectionState</c>.</summary>
public enum RtcPeerConnectionState
{
    /// <summary>Nothing started yet.</summary>
    New,

    /// <summary>ICE checks, DTLS handshake or SCTP association in progress.</summary>
    Connecting,

    /// <summary>The SCTP association is up: data channels can open.</summary>
    Connected,

    /// <summary>Consent to send expired (RFC 7675): the remote stopped answering.</summary>
    Disconnected,

    /// <summary>ICE, DTLS (for example a fingerprint mismatch) or SCTP failed.</summary>
    Failed,

    /// <summary>Closed locally or by the remote.</summary>
    Closed,
}
