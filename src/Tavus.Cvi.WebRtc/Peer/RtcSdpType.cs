namespace Tavus.Cvi.WebRtc.Peer;

/// <summary>Whether a session description is an offer or an answer (RFC 3264).</summary>
public enum RtcSdpType
{
    /// <summary>An offer.</summary>
    Offer,

    /// <summary>An answer.</summary>
    Answer,
}
