namespace WebhookReceiver;

/// <summary>The sample's log lines, source-generated like the SDK's own.</summary>
internal static partial class SampleLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "Rejected a webhook: {Error}")]
    public static partial void Rejected(ILogger logger, string error);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Rejected a {EventType} webhook: its token was not issued for conversation {ConversationId}")]
    public static partial void WrongConversation(ILogger logger, string eventType, string? conversationId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "{ConversationId}: replica {FaceId} joined ({EventType})")]
    public static partial void Joined(ILogger logger, string? conversationId, string? faceId, string eventType);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "{ConversationId}: ended ({Kind}: {Reason})")]
    public static partial void Ended(ILogger logger, string? conversationId, Tavus.Cvi.Interactions.Protocol.ShutdownReasonKind kind, string reason);

    [LoggerMessage(EventId = 5, Level = LogLevel.Error, Message = "{ConversationId}: ended by an error: {Reason}")]
    public static partial void EndedByError(ILogger logger, string? conversationId, string reason);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "{ConversationId}: transcript with {Count} entries")]
    public static partial void Transcript(ILogger logger, string? conversationId, int count);

    [LoggerMessage(EventId = 7, Level = LogLevel.Information, Message = "  {Role}: {Content}")]
    public static partial void TranscriptLine(ILogger logger, string role, string content);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "{ConversationId}: recording at {Location}")]
    public static partial void Recording(ILogger logger, string? conversationId, string? location);

    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "{ConversationId}: perception analysis: {Analysis}")]
    public static partial void Analysis(ILogger logger, string? conversationId, string? analysis);

    [LoggerMessage(EventId = 10, Level = LogLevel.Information, Message = "{ConversationId}: {EventType} (not typed by the SDK; raw JSON kept)")]
    public static partial void Other(ILogger logger, string? conversationId, string eventType);
}
