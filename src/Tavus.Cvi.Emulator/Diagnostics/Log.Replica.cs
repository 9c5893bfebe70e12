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
}
