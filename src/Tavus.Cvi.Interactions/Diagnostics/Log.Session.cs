using Microsoft.Extensions.Logging;

namespace Tavus.Cvi.Interactions.Diagnostics;

// Session log messages: event ids 1000-1999. Payloads only at Trace; no secrets ever (a session holds none, but tool
// outputs and utterances are user data, so they too stay at Trace).
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information, Message = "Session for conversation {ConversationId} started over {Transport}.")]
    public static partial void SessionStarted(ILogger logger, string conversationId, string transport);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "Session for conversation {ConversationId} ended: {Reason}. {Detail}")]
    public static partial void SessionEnded(ILogger logger, string conversationId, Session.CviSessionEndReason reason, string? detail);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "Received {EventType} (seq {Seq}, inference {InferenceId}).")]
    public static partial void EventReceived(ILogger logger, string eventType, long? seq, string? inferenceId);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Trace, Message = "Received payload from {SenderId}: {Payload}")]
    public static partial void EventPayload(ILogger logger, string senderId, Utf8Text payload);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning, Message = "Received a message that is not a valid event ({Kind}): {Reason}")]
    public static partial void InvalidMessage(ILogger logger, Protocol.InvalidMessageKind kind, string reason);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Debug, Message = "Folded the duplicate pal/replica copy of {EventType} (seq {Seq}).")]
    public static partial void DuplicateFolded(ILogger logger, string eventType, long? seq);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Error, Message = "A handler of {EventName} threw; the session goes on.")]
    public static partial void HandlerFailed(ILogger logger, string eventName, Exception exception);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Warning, Message = "The consumer {Consumer} fell {Capacity} events behind; {Policy} (logged on the first and every 1000th drop).")]
    public static partial void ConsumerOverflow(ILogger logger, string consumer, int capacity, string policy);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Debug, Message = "Sent {EventType} ({Size} UTF-16 code units).")]
    public static partial void InteractionSent(ILogger logger, string eventType, int size);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Trace, Message = "Sent payload: {Payload}")]
    public static partial void InteractionPayload(ILogger logger, Utf8Text payload);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Debug, Message = "Calling tool {ToolName} (call {ToolCallId}).")]
    public static partial void ToolCallDispatched(ILogger logger, string toolName, string? toolCallId);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Error, Message = "The handler of tool {ToolName} (call {ToolCallId}) failed; replying with status error.")]
    public static partial void ToolHandlerFailed(ILogger logger, string toolName, string? toolCallId, Exception exception);

    [LoggerMessage(EventId = 1012, Level = LogLevel.Warning, Message = "Could not send the result of tool {ToolName} (call {ToolCallId}).")]
    public static partial void ToolReplyFailed(ILogger logger, string toolName, string? toolCallId, Exception exception);

    [LoggerMessage(EventId = 1013, Level = LogLevel.Warning, Message = "Tool call {ToolName} has no tool_call_id, so no conversation.tool_result can answer it; register the tool with the Echo or AppendContext reply style for personas that predate tool results.")]
    public static partial void ToolCallWithoutId(ILogger logger, string toolName);

    [LoggerMessage(EventId = 1014, Level = LogLevel.Debug, Message = "Ignored a repeated tool call {ToolCallId}.")]
    public static partial void ToolCallRepeated(ILogger logger, string toolCallId);

    [LoggerMessage(EventId = 1015, Level = LogLevel.Debug, Message = "Echo audio {InferenceId} started: {SampleRate} Hz, {ChunkBytes} bytes per chunk.")]
    public static partial void AudioStarted(ILogger logger, string inferenceId, int sampleRate, int chunkBytes);

    [LoggerMessage(EventId = 1016, Level = LogLevel.Debug, Message = "Echo audio {InferenceId} done: {Chunks} chunks, {Bytes} PCM bytes.")]
    public static partial void AudioCompleted(ILogger logger, string inferenceId, int chunks, long bytes);

    [LoggerMessage(EventId = 1017, Level = LogLevel.Information, Message = "Echo audio {InferenceId} interrupted after {Chunks} chunks.")]
    public static partial void AudioInterrupted(ILogger logger, string inferenceId, int chunks);

    [LoggerMessage(EventId = 1018, Level = LogLevel.Warning, Message = "Echo audio {InferenceId}: the source ended inside a sample; its last byte was dropped.")]
    public static partial void AudioOddByteDropped(ILogger logger, string inferenceId);

    [LoggerMessage(EventId = 1019, Level = LogLevel.Debug, Message = "Interrupt: cancelled {Streams} echo audio stream(s).")]
    public static partial void InterruptCancelledAudio(ILogger logger, int streams);

    [LoggerMessage(EventId = 1020, Level = LogLevel.Information, Message = "Transport state: {State} ({CloseReason}). {Detail}")]
    public static partial void TransportStateChanged(ILogger logger, Transport.TransportState state, Transport.TransportCloseReason closeReason, string? detail);

    [LoggerMessage(EventId = 1021, Level = LogLevel.Error, Message = "Reading from the transport failed; the session ends.")]
    public static partial void TransportReadFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1022, Level = LogLevel.Information, Message = "The conversation is shutting down ({Reason}).")]
    public static partial void ShutdownReceived(ILogger logger, string? reason);

    [LoggerMessage(EventId = 1023, Level = LogLevel.Debug, Message = "Gave up waiting for seq {Expected}; released {Count} held event(s).")]
    public static partial void ReorderGapSkipped(ILogger logger, long? expected, int count);

    [LoggerMessage(EventId = 1024, Level = LogLevel.Warning, Message = "The room did not close within {GracePeriod} of system.shutdown; leaving.")]
    public static partial void ShutdownGraceElapsed(ILogger logger, TimeSpan gracePeriod);

    [LoggerMessage(EventId = 1025, Level = LogLevel.Warning, Message = "Leaving the room failed.")]
    public static partial void LeaveFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1026, Level = LogLevel.Debug, Message = "Participant {ParticipantId} {Change} (replica: {IsReplica}).")]
    public static partial void ParticipantChanged(ILogger logger, string participantId, string change, bool isReplica);
}
