using Microsoft.Extensions.Logging;
using Tavus.Cvi.Emulator.Faults;

namespace Tavus.Cvi.Emulator.Diagnostics;

internal static partial class Log
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Debug, Message = "Room {Room} looked up (admitted: {Admitted})")]
    public static partial void RoomLookedUp(ILogger logger, string room, bool admitted);

    [LoggerMessage(EventId = 201, Level = LogLevel.Information, Message = "Fault: room lookup of {Room} answered with {Fault}")]
    public static partial void LookupFaultInjected(ILogger logger, string room, RoomLookupFault fault);

    [LoggerMessage(EventId = 202, Level = LogLevel.Information, Message = "Fault: WebSocket connect to room {Room} refused (primary worker form: {Primary})")]
    public static partial void ConnectRefused(ILogger logger, string room, bool primary);

    [LoggerMessage(EventId = 203, Level = LogLevel.Information, Message = "Session {SessionId} joined room {Room} ({Count} participants)")]
    public static partial void ClientJoined(ILogger logger, string room, string sessionId, int count);

    [LoggerMessage(EventId = 204, Level = LogLevel.Information, Message = "Session {SessionId} left room {Room}")]
    public static partial void ClientLeft(ILogger logger, string room, string sessionId);

    [LoggerMessage(EventId = 205, Level = LogLevel.Warning, Message = "Join to room {Room} refused (first frame {MsgStr}: wrong type, meeting, session id or sigAuthz)")]
    public static partial void JoinRefused(ILogger logger, string room, string msgStr);

    [LoggerMessage(EventId = 206, Level = LogLevel.Warning, Message = "Malformed frame from session {SessionId} in room {Room}: {What}")]
    public static partial void MalformedClientFrame(ILogger logger, string room, string sessionId, string what);

    [LoggerMessage(EventId = 207, Level = LogLevel.Debug, Message = "Ignored unknown frame type {MsgStr} from session {SessionId} in room {Room}")]
    public static partial void UnknownClientFrame(ILogger logger, string room, string sessionId, string msgStr);

    [LoggerMessage(EventId = 208, Level = LogLevel.Warning, Message = "Dropped an app message of {Size} UTF-16 units (limit {Limit}) from session {SessionId} in room {Room}")]
    public static partial void AppMessageTooLarge(ILogger logger, string room, string sessionId, int size, int limit);

    [LoggerMessage(EventId = 209, Level = LogLevel.Information, Message = "Fault: aborted the socket of session {SessionId} in room {Room}")]
    public static partial void SocketDroppedByFault(ILogger logger, string room, string sessionId);

    [LoggerMessage(EventId = 210, Level = LogLevel.Warning, Message = "Closed the socket of session {SessionId} in room {Room}: it stopped reading")]
    public static partial void SlowConsumerDropped(ILogger logger, string room, string sessionId);

    [LoggerMessage(EventId = 211, Level = LogLevel.Information, Message = "Closed the socket of session {SessionId} in room {Room}: silent too long")]
    public static partial void IdleDropped(ILogger logger, string room, string sessionId);

    [LoggerMessage(EventId = 213, Level = LogLevel.Error, Message = "Signaling connection of session {SessionId} in room {Room} failed")]
    public static partial void ConnectionFailed(ILogger logger, string room, string sessionId, Exception exception);

    [LoggerMessage(EventId = 212, Level = LogLevel.Information, Message = "Fault: {Fault} on room {Room} ({Count} sockets)")]
    public static partial void ControlFault(ILogger logger, string room, string fault, int count);
}
