using Microsoft.Extensions.Logging;
using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.Interactions.Diagnostics;

/// <summary>
/// Log messages of the Daily transport (event ids 2000-2999). Frames carry <c>sigAuthz</c>, so no frame is ever logged
/// whole: only its type, and app-message payloads at Trace. Meeting tokens, <c>sigAuthz</c> and lookup bodies never.
/// </summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 2000, EventName = "DailyJoining", Level = LogLevel.Information,
        Message = "Joining Daily room {MeetingString} as session {SessionId}")]
    public static partial void DailyJoining(ILogger logger, string meetingString, string sessionId);

    [LoggerMessage(EventId = 2001, EventName = "DailyRoomLookupSucceeded", Level = LogLevel.Debug,
        Message = "Room lookup for {MeetingString} succeeded: worker {WorkerId}, group {GeoGroup}")]
    public static partial void DailyRoomLookupSucceeded(ILogger logger, string meetingString, string workerId, string? geoGroup);

    [LoggerMessage(EventId = 2002, EventName = "DailyRoomLookupFailed", Level = LogLevel.Warning,
        Message = "Room lookup for {MeetingString} failed (HTTP status {StatusCode}, {Failure})")]
    public static partial void DailyRoomLookupFailed(ILogger logger, string meetingString, int statusCode, CviConnectionFailure failure);

    [LoggerMessage(EventId = 2003, EventName = "DailyMeetingTokenIgnored", Level = LogLevel.Warning,
        Message = "Daily ignored the meeting token for {MeetingString}; joining with the room's defaults")]
    public static partial void DailyMeetingTokenIgnored(ILogger logger, string meetingString);

    [LoggerMessage(EventId = 2004, EventName = "DailySignalingHostRejected", Level = LogLevel.Error,
        Message = "Room {MeetingString}: refusing to send credentials to signaling host {Host}, which the endpoints do not allow")]
    public static partial void DailySignalingHostRejected(ILogger logger, string meetingString, string host);

    [LoggerMessage(EventId = 2005, EventName = "DailySignalingConnecting", Level = LogLevel.Debug,
        Message = "Opening the signaling connection to {Host} (attempt {Attempt})")]
    public static partial void DailySignalingConnecting(ILogger logger, string host, int attempt);

    [LoggerMessage(EventId = 2006, EventName = "DailyJoined", Level = LogLevel.Information,
        Message = "Joined Daily room {MeetingString} as session {SessionId}: topology {Topology}, {ParticipantCount} other participant(s)")]
    public static partial void DailyJoined(ILogger logger, string meetingString, string sessionId, string topology, int participantCount);

    [LoggerMessage(EventId = 2007, EventName = "DailyClientSupportState", Level = LogLevel.Warning,
        Message = "Daily reports client support state '{SupportState}' for this client library")]
    public static partial void DailyClientSupportState(ILogger logger, string supportState);

    [LoggerMessage(EventId = 2008, EventName = "DailyJoinAttemptFailed", Level = LogLevel.Warning,
        Message = "Joining Daily room {MeetingString} failed on attempt {Attempt}")]
    public static partial void DailyJoinAttemptFailed(ILogger logger, string meetingString, int attempt, Exception exception);

    [LoggerMessage(EventId = 2009, EventName = "DailyConnectionLost", Level = LogLevel.Warning,
        Message = "Signaling connection to room {MeetingString} lost ({Why}); reconnecting")]
    public static partial void DailyConnectionLost(ILogger logger, string meetingString, string why);

    [LoggerMessage(EventId = 2010, EventName = "DailyReconnectAttempt", Level = LogLevel.Debug,
        Message = "Reconnect attempt {Attempt} to room {MeetingString} after {DelayMs} ms (lookup: {Lookup})")]
    public static partial void DailyReconnectAttempt(ILogger logger, int attempt, string meetingString, double delayMs, bool lookup);

    [LoggerMessage(EventId = 2011, EventName = "DailyReconnectAttemptFailed", Level = LogLevel.Warning,
        Message = "Reconnect attempt {Attempt} to room {MeetingString} failed")]
    public static partial void DailyReconnectAttemptFailed(ILogger logger, int attempt, string meetingString, Exception exception);

    [LoggerMessage(EventId = 2012, EventName = "DailyReconnected", Level = LogLevel.Information,
        Message = "Reconnected to room {MeetingString} after {Attempt} attempt(s); flushed {Flushed} queued message(s)")]
    public static partial void DailyReconnected(ILogger logger, string meetingString, int attempt, int flushed);

    [LoggerMessage(EventId = 2013, EventName = "DailyTransportClosed", Level = LogLevel.Information,
        Message = "Daily transport for room {MeetingString} closed: {Reason}")]
    public static partial void DailyTransportClosed(ILogger logger, string meetingString, TransportCloseReason reason);

    [LoggerMessage(EventId = 2014, EventName = "DailyHeartbeatStale", Level = LogLevel.Warning,
        Message = "Signaling connection to room {MeetingString} is stale: nothing received for {SilenceMs} ms")]
    public static partial void DailyHeartbeatStale(ILogger logger, string meetingString, double silenceMs);

    [LoggerMessage(EventId = 2015, EventName = "DailyFrameReceived", Level = LogLevel.Trace,
        Message = "Frame received: msgStr {MsgStr}, tag {Tag}, {Length} bytes")]
    public static partial void DailyFrameReceived(ILogger logger, string? msgStr, string? tag, int length);

    [LoggerMessage(EventId = 2016, EventName = "DailyAppMessageReceived", Level = LogLevel.Trace,
        Message = "App message from {SenderId}: {Payload}")]
    public static partial void DailyAppMessageReceived(ILogger logger, string senderId, string payload);

    [LoggerMessage(EventId = 2017, EventName = "DailyAppMessageSent", Level = LogLevel.Trace,
        Message = "App message to {RecipientId}: {Payload}")]
    public static partial void DailyAppMessageSent(ILogger logger, string recipientId, string payload);

    [LoggerMessage(EventId = 2018, EventName = "DailyMalformedFrame", Level = LogLevel.Warning,
        Message = "Ignored a signaling frame that is not a JSON object ({Length} bytes)")]
    public static partial void DailyMalformedFrame(ILogger logger, int length);

    [LoggerMessage(EventId = 2019, EventName = "DailyBatchLimited", Level = LogLevel.Warning,
        Message = "Ignored part of a sig-batch: {Count} frame(s) at nesting depth {Depth} exceed the limits")]
    public static partial void DailyBatchLimited(ILogger logger, int count, int depth);

    [LoggerMessage(EventId = 2020, EventName = "DailyInboundFrameTooLarge", Level = LogLevel.Warning,
        Message = "Discarded an inbound signaling frame over {MaxBytes} bytes")]
    public static partial void DailyInboundFrameTooLarge(ILogger logger, int maxBytes);

    [LoggerMessage(EventId = 2021, EventName = "DailySoupRequestFailed", Level = LogLevel.Warning,
        Message = "SFU request {Command} failed")]
    public static partial void DailySoupRequestFailed(ILogger logger, string command);

    [LoggerMessage(EventId = 2022, EventName = "DailyMeetingMoved", Level = LogLevel.Information,
        Message = "Room {MeetingString} moved to another worker (new style: {NewStyle})")]
    public static partial void DailyMeetingMoved(ILogger logger, string meetingString, bool newStyle);

    [LoggerMessage(EventId = 2023, EventName = "DailyRoomEnded", Level = LogLevel.Warning,
        Message = "Room {MeetingString} ended the transport: {Reason}")]
    public static partial void DailyRoomEnded(ILogger logger, string meetingString, TransportCloseReason reason);

    [LoggerMessage(EventId = 2024, EventName = "DailyMessageQueued", Level = LogLevel.Debug,
        Message = "Queued an app message while reconnecting ({Count} queued)")]
    public static partial void DailyMessageQueued(ILogger logger, int count);

    [LoggerMessage(EventId = 2025, EventName = "DailyParticipantJoined", Level = LogLevel.Debug,
        Message = "Participant {ParticipantId} joined (replica: {IsReplica})")]
    public static partial void DailyParticipantJoined(ILogger logger, string participantId, bool isReplica);

    [LoggerMessage(EventId = 2026, EventName = "DailyParticipantLeft", Level = LogLevel.Debug,
        Message = "Participant {ParticipantId} left ({Reason})")]
    public static partial void DailyParticipantLeft(ILogger logger, string participantId, string? reason);

    [LoggerMessage(EventId = 2027, EventName = "DailyLeaveFailed", Level = LogLevel.Debug,
        Message = "The graceful part of leaving room {MeetingString} failed; closing anyway")]
    public static partial void DailyLeaveFailed(ILogger logger, string meetingString, Exception exception);

    [LoggerMessage(EventId = 2028, EventName = "DailyHeartbeatFailed", Level = LogLevel.Debug,
        Message = "Sending a heartbeat failed")]
    public static partial void DailyHeartbeatFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2029, EventName = "DailyIgnoredTag", Level = LogLevel.Debug,
        Message = "Ignored a sig-msg with tag {Tag} (not supported by this transport)")]
    public static partial void DailyIgnoredTag(ILogger logger, string tag);

    [LoggerMessage(EventId = 2030, EventName = "DailyBinaryFrameIgnored", Level = LogLevel.Warning,
        Message = "Ignored a binary signaling frame; Daily signaling uses text frames")]
    public static partial void DailyBinaryFrameIgnored(ILogger logger);

    [LoggerMessage(EventId = 2031, EventName = "DailyAppMessageRejected", Level = LogLevel.Warning,
        Message = "The server reported that it dropped an app message of this client (sig-msg-rejected)")]
    public static partial void DailyAppMessageRejected(ILogger logger);

    [LoggerMessage(EventId = 2032, EventName = "DailyPeerLinkStarting", Level = LogLevel.Debug,
        Message = "Opening a peer-to-peer connection to participant {PeerId} (this side offers: {IsOfferer})")]
    public static partial void DailyPeerLinkStarting(ILogger logger, string peerId, bool isOfferer);

    [LoggerMessage(EventId = 2033, EventName = "DailyPeerLinkOpen", Level = LogLevel.Information,
        Message = "The peer-to-peer app-message channel to participant {PeerId} is open")]
    public static partial void DailyPeerLinkOpen(ILogger logger, string peerId);

    [LoggerMessage(EventId = 2034, EventName = "DailyPeerLinkFailed", Level = LogLevel.Warning,
        Message = "The peer-to-peer link to participant {PeerId} failed; {QueuedCount} queued messages failed with it")]
    public static partial void DailyPeerLinkFailed(ILogger logger, string peerId, int queuedCount, Exception exception);

    [LoggerMessage(EventId = 2035, EventName = "DailyPeerLinkClosed", Level = LogLevel.Debug,
        Message = "Closed the peer-to-peer link to participant {PeerId}: {Reason}")]
    public static partial void DailyPeerLinkClosed(ILogger logger, string peerId, string reason);

    [LoggerMessage(EventId = 2036, EventName = "DailyPeerSignalReceived", Level = LogLevel.Debug,
        Message = "Received peer-to-peer signaling '{Tag}' from participant {PeerId}")]
    public static partial void DailyPeerSignalReceived(ILogger logger, string tag, string peerId);

    // 2037 (DailyPeerSdp) moved to Tavus.Cvi.Interactions.WebRtc with the WebRTC-specific logging.

    [LoggerMessage(EventId = 2038, EventName = "DailyPeerSignalMalformed", Level = LogLevel.Warning,
        Message = "Ignored a malformed peer-to-peer signaling message '{Tag}' from participant {PeerId}")]
    public static partial void DailyPeerSignalMalformed(ILogger logger, string tag, string peerId);

    [LoggerMessage(EventId = 2039, EventName = "DailyPeerSignalIgnored", Level = LogLevel.Debug,
        Message = "Ignored peer-to-peer signaling '{Tag}' from participant {PeerId}: no matching link")]
    public static partial void DailyPeerSignalIgnored(ILogger logger, string tag, string peerId);

    [LoggerMessage(EventId = 2040, EventName = "DailyPeerMessageUnroutable", Level = LogLevel.Debug,
        Message = "No peer-to-peer link reaches {Recipient}; the app message went to nobody")]
    public static partial void DailyPeerMessageUnroutable(ILogger logger, string recipient);

    [LoggerMessage(EventId = 2041, EventName = "DailyPeerLinkRetry", Level = LogLevel.Information,
        Message = "Setting up a new peer-to-peer connection to participant {PeerId} after a failure")]
    public static partial void DailyPeerLinkRetry(ILogger logger, string peerId);

    [LoggerMessage(EventId = 2042, EventName = "DailyPeerLinkGivenUp", Level = LogLevel.Warning,
        Message = "Gave up the peer-to-peer link to participant {PeerId}; app messages to it are not delivered")]
    public static partial void DailyPeerLinkGivenUp(ILogger logger, string peerId);

    [LoggerMessage(EventId = 2043, EventName = "DailyPeerSignalFailed", Level = LogLevel.Debug,
        Message = "Sending peer-to-peer signaling '{Tag}' to participant {PeerId} failed")]
    public static partial void DailyPeerSignalFailed(ILogger logger, string tag, string peerId, Exception exception);

    [LoggerMessage(EventId = 2044, EventName = "DailyPeerCloseFailed", Level = LogLevel.Debug,
        Message = "Closing the peer-to-peer connection to participant {PeerId} failed")]
    public static partial void DailyPeerCloseFailed(ILogger logger, string peerId, Exception exception);

    [LoggerMessage(EventId = 2045, EventName = "DailyTopologyChanged", Level = LogLevel.Information,
        Message = "Room {MeetingString} switched topology from {From} to {To}")]
    public static partial void DailyTopologyChanged(ILogger logger, string meetingString, string from, string to);

    [LoggerMessage(EventId = 2046, EventName = "DailyTopologySwitchFailed", Level = LogLevel.Debug,
        Message = "Room {MeetingString}: announcing a topology switch on the signaling connection failed")]
    public static partial void DailyTopologySwitchFailed(ILogger logger, string meetingString, Exception exception);
}
