using Microsoft.Extensions.Logging;
using Tavus.Cvi.WebRtc.Dtls;
using Tavus.Cvi.WebRtc.Peer;

namespace Tavus.Cvi.WebRtc.Diagnostics;

/// <summary>Peer-connection and UDP driver log messages (event ids 4300-4399).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4300, Level = LogLevel.Information, Message = "Peer connection state {From} -> {To}")]
    public static partial void PeerStateChanged(ILogger logger, RtcPeerConnectionState from, RtcPeerConnectionState to);

    [LoggerMessage(EventId = 4301, Level = LogLevel.Debug, Message = "Remote {Type} applied: {Candidates} candidates, DTLS role {Role}")]
    public static partial void RemoteDescriptionApplied(ILogger logger, RtcSdpType type, int candidates, DtlsRole role);

    [LoggerMessage(EventId = 4302, Level = LogLevel.Information, Message = "UDP socket bound to {EndPoint}")]
    public static partial void SocketBound(ILogger logger, System.Net.EndPoint endPoint);

    [LoggerMessage(EventId = 4303, Level = LogLevel.Debug, Message = "UDP receive error ignored: {Error}")]
    public static partial void ReceiveErrorIgnored(ILogger logger, System.Net.Sockets.SocketError error);

    [LoggerMessage(EventId = 4304, Level = LogLevel.Warning, Message = "UDP send to {EndPoint} failed: {Error}")]
    public static partial void SendFailed(ILogger logger, System.Net.EndPoint endPoint, System.Net.Sockets.SocketError error);

    [LoggerMessage(EventId = 4305, Level = LogLevel.Error, Message = "A user event handler threw; the receive loop continues")]
    public static partial void HandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4306, Level = LogLevel.Error, Message = "The peer connection loop failed")]
    public static partial void LoopFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4308, Level = LogLevel.Warning, Message = "Data channel {Label} could not be opened: {Reason}")]
    public static partial void ChannelOpenFailed(Microsoft.Extensions.Logging.ILogger logger, string label, string reason);

    [LoggerMessage(EventId = 4309, Level = LogLevel.Warning, Message = "The SCTP/DCEP layer rejected input: {Reason}")]
    public static partial void SctpPacketRejected(ILogger logger, string reason);

    [LoggerMessage(EventId = 4310, Level = LogLevel.Warning, Message = "Handling a datagram failed; the loop continues")]
    public static partial void DatagramFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4311, Level = LogLevel.Debug, Message = "A message for data channel {Label} was dropped: {Reason}")]
    public static partial void SendDropped(ILogger logger, string label, string reason);

    [LoggerMessage(EventId = 4307, Level = LogLevel.Debug, Message = "STUN server {Url} could not be resolved")]
    public static partial void StunServerUnresolved(ILogger logger, string url);

    [LoggerMessage(EventId = 4312, Level = LogLevel.Debug, Message = "UDP segmentation offload is off: {Reason} ({Error})")]
    public static partial void SegmentationOffloadOff(ILogger logger, string reason, System.Net.Sockets.SocketError error);
}
