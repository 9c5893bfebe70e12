namespace Tavus.Cvi.WebRtc.DataChannels;

/// <summary>Life cycle of a data channel (the W3C <c>RTCDataChannelState</c> values).</summary>
public enum DataChannelState
{
    /// <summary>Created, waiting for the association.</summary>
    Connecting,

    /// <summary>Messages can be sent.</summary>
    Open,

    /// <summary>Its streams are being reset.</summary>
    Closing,

    /// <summary>Both directions reset (or the association ended); the id is free again.</summary>
    Closed,
}
