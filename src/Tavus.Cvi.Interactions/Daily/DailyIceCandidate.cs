namespace Tavus.Cvi.Interactions.Daily;

/// <summary>An ICE candidate as §7 carries it (the fields of an <c>RTCIceCandidateInit</c>).</summary>
/// <param name="Candidate">The <c>candidate:…</c> attribute value, without <c>a=</c>.</param>
/// <param name="SdpMid">The media section's <c>mid</c>, when known.</param>
/// <param name="SdpMLineIndex">The media section's index, when known.</param>
internal sealed record DailyIceCandidate(string Candidate, string? SdpMid, int? SdpMLineIndex);
