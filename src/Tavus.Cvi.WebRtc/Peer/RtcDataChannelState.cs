namespace Tavus.Cvi.WebRtc.Peer;

/// <summary>The state of a data channel (W3C <c>RTCDataChannelState</c>).</summary>
public enum RtcDataChannelState
{
    /// <summary>Waiting for the association or for the DCEP acknowledgement.</summary>
    Connecting,

    /// <summary>Messages can be sent and received.</summary>
    Open,

    /// <summary>The stream reset is in progress (RFC 8831 §6.7).</summary>
    Closing,

    /// <summary>Closed; its stream id may be reused.</summary>
    Closed,
}
