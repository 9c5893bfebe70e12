using Microsoft.Extensions.Logging;

namespace Tavus.Cvi.Emulator.Diagnostics;

/// <summary>The emulator's log messages (event ids: REST 100–199, signaling 200–299, relay 300–349, replica 400–499, webhooks 500–599).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Conversation {ConversationId} created (test mode: {TestMode})")]
    public static partial void ConversationCreated(ILogger logger, string conversationId, bool testMode);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Conversation {ConversationId} ended: {ShutdownReason}")]
    public static partial void ConversationEnded(ILogger logger, string conversationId, string shutdownReason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "Rejected {Method} {Path}: missing or invalid x-api-key")]
    public static partial void RestUnauthorized(ILogger logger, string method, string path);
}
