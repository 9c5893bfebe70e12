using Microsoft.Extensions.Logging;

namespace Tavus.Cvi.WebRtc.Diagnostics;

/// <summary>SCTP (event ids 4400-4479) and data-channel (4480-4499) log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4400, Level = LogLevel.Debug, Message = "SCTP association state {From} -> {To}")]
    public static partial void SctpStateChanged(ILogger logger, Sctp.SctpAssociationState from, Sctp.SctpAssociationState to);

    [LoggerMessage(EventId = 4401, Level = LogLevel.Information, Message = "SCTP association established: {OutboundStreams} outbound / {InboundStreams} inbound streams, peer a_rwnd {PeerWindow}")]
    public static partial void SctpEstablished(ILogger logger, int outboundStreams, int inboundStreams, long peerWindow);

    [LoggerMessage(EventId = 4402, Level = LogLevel.Debug, Message = "SCTP packet dropped: {Reason}")]
    public static partial void SctpPacketDropped(ILogger logger, string reason);

    [LoggerMessage(EventId = 4403, Level = LogLevel.Warning, Message = "SCTP association aborted: {Reason}")]
    public static partial void SctpAborted(ILogger logger, string reason);

    [LoggerMessage(EventId = 4404, Level = LogLevel.Information, Message = "SCTP association shut down")]
    public static partial void SctpShutdownComplete(ILogger logger);

    [LoggerMessage(EventId = 4405, Level = LogLevel.Debug, Message = "SCTP T3-rtx expired: RTO now {Rto}, {Count} consecutive errors")]
    public static partial void SctpRetransmissionTimeout(ILogger logger, TimeSpan rto, int count);

    [LoggerMessage(EventId = 4406, Level = LogLevel.Debug, Message = "SCTP fast retransmit of TSN {Tsn}")]
    public static partial void SctpFastRetransmit(ILogger logger, uint tsn);

    [LoggerMessage(EventId = 4407, Level = LogLevel.Debug, Message = "SCTP ignored chunk type {Type}: {Reason}")]
    public static partial void SctpChunkIgnored(ILogger logger, byte type, string reason);

    [LoggerMessage(EventId = 4408, Level = LogLevel.Debug, Message = "SCTP stream reset {Direction} of {Count} streams, success {Succeeded}")]
    public static partial void SctpStreamsReset(ILogger logger, Sctp.SctpStreamResetDirection direction, int count, bool succeeded);

    [LoggerMessage(EventId = 4409, Level = LogLevel.Debug, Message = "SCTP abandoned a message on stream {StreamId} ({Length} bytes)")]
    public static partial void SctpMessageAbandoned(ILogger logger, ushort streamId, int length);

    [LoggerMessage(EventId = 4410, Level = LogLevel.Debug, Message = "SCTP peer reported error cause {Cause}")]
    public static partial void SctpPeerError(ILogger logger, ushort cause);

    [LoggerMessage(EventId = 4411, Level = LogLevel.Debug, Message = "SCTP discarded a received message on stream {StreamId}: {Reason}")]
    public static partial void SctpMessageDiscarded(ILogger logger, ushort streamId, string reason);

    [LoggerMessage(EventId = 4480, Level = LogLevel.Debug, Message = "Data channel {Id} '{Label}' opened ({Negotiation})")]
    public static partial void DataChannelOpened(ILogger logger, ushort id, string label, string negotiation);

    [LoggerMessage(EventId = 4481, Level = LogLevel.Debug, Message = "Data channel {Id} closed")]
    public static partial void DataChannelClosed(ILogger logger, ushort id);

    [LoggerMessage(EventId = 4482, Level = LogLevel.Debug, Message = "Data channel message on stream {StreamId} dropped: {Reason}")]
    public static partial void DataChannelMessageDropped(ILogger logger, ushort streamId, string reason);
}
