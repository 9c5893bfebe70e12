namespace Tavus.Cvi.Interactions.Protocol;

/// <summary>The documented families of <see cref="ShutdownReason"/> (tavus-protocol.md §E).</summary>
public enum ShutdownReasonKind
{
    /// <summary>A reason this SDK does not recognise; read <see cref="ShutdownReason.Value"/>.</summary>
    Unknown = 0,

    /// <summary><c>max_call_duration reached</c>: the call hit <c>properties.max_call_duration</c>.</summary>
    MaxCallDuration,

    /// <summary><c>participant_left_timeout reached</c>: everyone left and the timeout ran out.</summary>
    ParticipantLeftTimeout,

    /// <summary><c>participant_absent_timeout reached</c>: nobody joined in time.</summary>
    ParticipantAbsentTimeout,

    /// <summary><c>bot_could_not_join_meeting_it_was_probably_ended</c>.</summary>
    BotCouldNotJoinMeeting,

    /// <summary><c>daily_room_has_been_deleted</c>.</summary>
    DailyRoomDeleted,

    /// <summary><c>exception_encountered_during_conversation_startup</c>.</summary>
    StartupException,

    /// <summary><c>end_conversation_endpoint_hit</c>: someone called <c>POST /v2/conversations/{id}/end</c>.</summary>
    EndConversationEndpointHit,

    /// <summary><c>internal error occurred at step x</c>, whatever the step.</summary>
    InternalError,
}
