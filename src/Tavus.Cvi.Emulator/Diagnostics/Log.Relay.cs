using Microsoft.Extensions.Logging;

namespace Tavus.Cvi.Emulator.Diagnostics;

internal static partial class Log
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "{ConversationId} {Tag} {From} -> {To}: {Size} bytes to {Recipients} participants")]
    public static partial void MessageRelayed(ILogger logger, string conversationId, string tag, string from, string to, int size, int recipients);

    [LoggerMessage(EventId = 301, Level = LogLevel.Trace, Message = "{ConversationId} payload {Payload}")]
    private static partial void MessagePayload(ILogger logger, string conversationId, string payload);

    /// <summary>Logs a relayed payload at Trace, decoding it only when the line is written.</summary>
    public static void MessagePayload(ILogger logger, string conversationId, byte[] payload)
    {
        if (logger.IsEnabled(LogLevel.Trace))
        {
#pragma warning disable CA1873 // Guarded by the IsEnabled check just above, which the analyzer does not see through.
            MessagePayload(logger, conversationId, System.Text.Encoding.UTF8.GetString(payload));
#pragma warning restore CA1873
        }
    }
}
