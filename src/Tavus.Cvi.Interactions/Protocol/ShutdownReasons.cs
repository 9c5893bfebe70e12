namespace Tavus.Cvi.Interactions.Protocol;

/// <summary>
/// Known values of <see cref="ShutdownEvent.Reason"/> (tavus-protocol.md §E). The docs disagree on suffixes (for
/// example <c>participant_left_timeout</c> with and without " reached"), so match with <see cref="Matches"/>.
/// </summary>
public static class ShutdownReasons
{
    /// <summary><c>max_call_duration reached</c>.</summary>
    public const string MaxCallDuration = "max_call_duration";

    /// <summary><c>participant_left_timeout reached</c>.</summary>
    public const string ParticipantLeftTimeout = "participant_left_timeout";

    /// <summary><c>participant_absent_timeout reached</c>.</summary>
    public const string ParticipantAbsentTimeout = "participant_absent_timeout";

    /// <summary><c>bot_could_not_join_meeting_it_was_probably_ended</c>.</summary>
    public const string BotCouldNotJoinMeeting = "bot_could_not_join_meeting_it_was_probably_ended";

    /// <summary><c>daily_room_has_been_deleted</c>.</summary>
    public const string DailyRoomDeleted = "daily_room_has_been_deleted";

    /// <summary><c>exception_encountered_during_conversation_startup</c>.</summary>
    public const string StartupException = "exception_encountered_during_conversation_startup";

    /// <summary><c>end_conversation_endpoint_hit</c>: the REST end call.</summary>
    public const string EndConversationEndpointHit = "end_conversation_endpoint_hit";

    /// <summary><c>internal error occurred at step x</c>.</summary>
    public const string InternalError = "internal error occurred";

    /// <summary>Whether a reason starts with a known value, ignoring case and any suffix such as " reached".</summary>
    /// <param name="reason">The received reason.</param>
    /// <param name="known">One of the constants of this class.</param>
    public static bool Matches(string? reason, string known)
    {
        ArgumentNullException.ThrowIfNull(known);
        return reason is not null && reason.StartsWith(known, StringComparison.OrdinalIgnoreCase);
    }
}
