using Microsoft.Extensions.Logging;

namespace Tavus.Cvi.Interactions.WebRtc.Diagnostics;

/// <summary>
/// The assembly's source-generated log messages. Event ids 2037 and 2100-2199: 2037 keeps the id the SDP message had
/// in the Daily transport (names reach users' telemetry). SDP only at Trace and never with the ICE password.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2037, EventName = "DailyPeerSdp", Level = LogLevel.Trace,
        Message = "Peer-to-peer SDP {Direction} ({Type}) for participant {PeerId}: {Sdp}")]
    public static partial void DailyPeerSdp(ILogger logger, string direction, string type, string peerId, string sdp);

    [LoggerMessage(EventId = 2100, EventName = "DailyPeerConnectionState", Level = LogLevel.Debug,
        Message = "Peer-to-peer connection to participant {PeerId} is {State}")]
    public static partial void DailyPeerConnectionState(ILogger logger, string peerId, string state);
}
