namespace Tavus.Cvi.WebRtc.Peer;

/// <summary>An SDP offer or answer exchanged through the application's signalling channel.</summary>
/// <param name="Type">Offer or answer.</param>
/// <param name="Sdp">The SDP text.</param>
public sealed record RtcSessionDescription(RtcSdpType Type, string Sdp);
