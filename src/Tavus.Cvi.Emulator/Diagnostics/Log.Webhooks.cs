using Microsoft.Extensions.Logging;

namespace Tavus.Cvi.Emulator.Diagnostics;

internal static partial class Log
{
    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "Webhook {EventType} of conversation {ConversationId} delivered: HTTP {Status}")]
    public static partial void WebhookDelivered(ILogger logger, string conversationId, string eventType, int status);

    [LoggerMessage(EventId = 501, Level = LogLevel.Warning, Message = "Webhook {EventType} of conversation {ConversationId} failed: {ErrorType}")]
    public static partial void WebhookFailed(ILogger logger, string conversationId, string eventType, string errorType);
}
