namespace Tavus.Cvi.WebRtc.Peer;

/// <summary>A STUN server used to gather server-reflexive candidates (TURN is not supported).</summary>
public sealed class RtcIceServer
{
    /// <summary>URLs such as <c>stun:stun.example.org:3478</c> (RFC 7064).</summary>
    public IList<string> Urls { get; init; } = [];
}
