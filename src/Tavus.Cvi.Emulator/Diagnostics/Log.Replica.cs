using Microsoft.Extensions.Logging;

namespace Tavus.Cvi.Emulator.Diagnostics;

internal static partial class Log
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "Replica {SessionId} joined conversation {ConversationId}")]
    public static partial void ReplicaJoined(ILogger logger, string conversationId, string sessionId);

    [LoggerMessage(EventId = 401, Level = LogLevel.Error, Message = "Replica of conversation {ConversationId} failed")]
    public static partial void ReplicaFailed(ILogger logger, string conversationId, Exception exception);

    [LoggerMessage(EventId = 402, Level = LogLevel.Debug, Message = "Replica of conversation {ConversationId} ignored an app message: {Reason}")]
    public static partial void ReplicaIgnored(ILogger logger, string conversationId, string reason);

    [LoggerMessage(EventId = 403, Level = LogLevel.Debug, Message = "Replica of conversation {ConversationId} handles {EventType}")]
    public static partial void ReplicaHandles(ILogger logger, string conversationId, string eventType);

    [LoggerMessage(EventId = 410, Level = LogLevel.Debug, Message = "Replica of conversation {ConversationId}: peer-to-peer link to {ClientId} (replica offers: {IsOfferer})")]
    public static partial void ReplicaPeerLinkStarted(ILogger logger, string conversationId, string clientId, bool isOfferer);

    [LoggerMessage(EventId = 411, Level = LogLevel.Debug, Message = "Replica of conversation {ConversationId}: closed the peer-to-peer link to {ClientId}")]
    public static partial void ReplicaPeerLinkClosed(ILogger logger, string conversationId, string clientId);

    [LoggerMessage(EventId = 412, Level = LogLevel.Warning, Message = "Replica of conversation {ConversationId}: malformed peer-to-peer signaling '{Tag}' from {ClientId}")]
    public static partial void ReplicaPeerSignalMalformed(ILogger logger, string conversationId, string clientId, string tag);

    [LoggerMessage(EventId = 413, Level = LogLevel.Warning, Message = "Replica's peer-to-peer link to {ClientId} failed")]
    public static partial void ReplicaPeerFailed(ILogger logger, string clientId, Exception exception);

    [LoggerMessage(EventId = 414, Level = LogLevel.Debug, Message = "Replica could not send on the channel to {ClientId}")]
    public static partial void ReplicaPeerSendFailed(ILogger logger, string clientId, Exception exception);

    [LoggerMessage(EventId = 415, Level = LogLevel.Warning, Message = "Replica's queue for the channel to {ClientId} is full ({Limit}); dropped the oldest message")]
    public static partial void ReplicaPeerQueueFull(ILogger logger, string clientId, int limit);
}
