using System.Net;
using Microsoft.Extensions.Logging;
using Tavus.Cvi.WebRtc.Ice;

namespace Tavus.Cvi.WebRtc.Diagnostics;

/// <summary>ICE and STUN log messages (event ids 4000-4099).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4000, Level = LogLevel.Debug, Message = "ICE candidate pair {Pair} succeeded")]
    public static partial void PairSucceeded(ILogger logger, IceCandidatePair pair);

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "ICE selected pair {Pair} as {Role}")]
    public static partial void Selected(ILogger logger, IceCandidatePair pair, IceRole role);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Debug, Message = "ICE learned a peer-reflexive remote candidate {EndPoint}")]
    public static partial void PeerReflexive(ILogger logger, IPEndPoint endPoint);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "ICE role conflict resolved: now {Role}")]
    public static partial void RoleSwitched(ILogger logger, IceRole role);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Debug, Message = "Ignored STUN message from {EndPoint}: {Reason}")]
    public static partial void IgnoredStun(ILogger logger, IPEndPoint endPoint, string reason);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "ICE failed: {Reason}")]
    public static partial void Failed(ILogger logger, string reason);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "ICE consent expired on {Pair} (RFC 7675)")]
    public static partial void ConsentExpired(ILogger logger, IceCandidatePair pair);
}
