namespace Tavus.Cvi.WebRtc.Diagnostics;

/// <summary>
/// The assembly's source-generated log messages, split across files per area (<c>Log.Ice.cs</c>, <c>Log.Dtls.cs</c>,
/// <c>Log.Peer.cs</c>, <c>Log.Sctp.cs</c>, ...). Event id ranges: Stun/Ice 4000-4099, Dtls 4100-4199, Sdp 4200-4249,
/// Peer 4300-4399; the SCTP and data-channel layers use their own range (see their files).
/// ICE passwords and DTLS keys never appear in a message; payloads only at Trace.
/// </summary>
internal static partial class Log
{
}
