using System.ComponentModel;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Protocol;

/// <summary>
/// Why a conversation ended: <c>shutdown_reason</c> of the in-call <see cref="ShutdownEvent"/>, of the
/// <c>system.shutdown</c> webhook and of a verbose conversation from the REST API (tavus-protocol.md §E). An open
/// string: Tavus writes the documented reasons with and without their " reached" suffix and with a variable step in
/// internal errors, so compare <see cref="Kind"/> (prefix matching) rather than the exact <see cref="Value"/>.
/// </summary>
/// <remarks>Equality and <see cref="GetHashCode"/> are ordinal over <see cref="Value"/>; <see cref="ToString"/> is <see cref="Value"/>.</remarks>
[JsonConverter(typeof(Converter))]
public readonly struct ShutdownReason : IEquatable<ShutdownReason>
{
    // Ordered so that a longer stem is tried before any stem it contains.
    private static readonly (string Stem, ShutdownReasonKind Kind)[] Stems =
    [
        ("max_call_duration", ShutdownReasonKind.MaxCallDuration),
        ("participant_left_timeout", ShutdownReasonKind.ParticipantLeftTimeout),
        ("participant_absent_timeout", ShutdownReasonKind.ParticipantAbsentTimeout),
        ("bot_could_not_join_meeting", ShutdownReasonKind.BotCouldNotJoinMeeting),
        ("daily_room_has_been_deleted", ShutdownReasonKind.DailyRoomDeleted),
        ("exception_encountered_during_conversation_startup", ShutdownReasonKind.StartupException),
        ("end_conversation_endpoint_hit", ShutdownReasonKind.EndConversationEndpointHit),
        ("internal error", ShutdownReasonKind.InternalError),
        ("internal_error", ShutdownReasonKind.InternalError),
    ];

    private readonly string? _value;

    /// <summary>Creates a reason from its wire value.</summary>
    /// <param name="value">The wire value, such as <c>max_call_duration reached</c>.</param>
    public ShutdownReason(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary><c>max_call_duration reached</c>.</summary>
    public static ShutdownReason MaxCallDurationReached { get; } = new("max_call_duration reached");

    /// <summary><c>participant_left_timeout reached</c>.</summary>
    public static ShutdownReason ParticipantLeftTimeoutReached { get; } = new("participant_left_timeout reached");

    /// <summary><c>participant_absent_timeout reached</c>.</summary>
    public static ShutdownReason ParticipantAbsentTimeoutReached { get; } = new("participant_absent_timeout reached");

    /// <summary><c>bot_could_not_join_meeting_it_was_probably_ended</c>.</summary>
    public static ShutdownReason BotCouldNotJoinMeeting { get; } = new("bot_could_not_join_meeting_it_was_probably_ended");

    /// <summary><c>daily_room_has_been_deleted</c>.</summary>
    public static ShutdownReason DailyRoomDeleted { get; } = new("daily_room_has_been_deleted");

    /// <summary><c>exception_encountered_during_conversation_startup</c>.</summary>
    public static ShutdownReason StartupException { get; } = new("exception_encountered_during_conversation_startup");

    /// <summary><c>end_conversation_endpoint_hit</c>.</summary>
    public static ShutdownReason EndConversationEndpointHit { get; } = new("end_conversation_endpoint_hit");

    // The exact values Tavus is documented to write (§E), so that decoding one returns the cached instance and
    // allocates no string.
    private static readonly (byte[] Utf8, ShutdownReason Reason)[] KnownValues =
    [
        (Encoding.UTF8.GetBytes(ParticipantLeftTimeoutReached.Value), ParticipantLeftTimeoutReached),
        (Encoding.UTF8.GetBytes(EndConversationEndpointHit.Value), EndConversationEndpointHit),
        (Encoding.UTF8.GetBytes(MaxCallDurationReached.Value), MaxCallDurationReached),
        (Encoding.UTF8.GetBytes(ParticipantAbsentTimeoutReached.Value), ParticipantAbsentTimeoutReached),
        (Encoding.UTF8.GetBytes(DailyRoomDeleted.Value), DailyRoomDeleted),
        (Encoding.UTF8.GetBytes(BotCouldNotJoinMeeting.Value), BotCouldNotJoinMeeting),
        (Encoding.UTF8.GetBytes(StartupException.Value), StartupException),
    ];

    /// <summary>The wire value as Tavus wrote it (empty for <see langword="default"/>).</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Which documented reason this is, matched on its stem so that the variants Tavus writes agree.</summary>
    public ShutdownReasonKind Kind
    {
        get
        {
            var value = Value.Trim();
            foreach (var (stem, kind) in Stems)
            {
                if (value.StartsWith(stem, StringComparison.OrdinalIgnoreCase))
                {
                    return kind;
                }
            }

            // Fall back to containment (§E: "match on prefix or contains") for wrapped forms such as "error: ...".
            foreach (var (stem, kind) in Stems)
            {
                if (value.Contains(stem, StringComparison.OrdinalIgnoreCase))
                {
                    return kind;
                }
            }

            return ShutdownReasonKind.Unknown;
        }
    }

    /// <summary>Whether the conversation ended because a timeout or the duration limit ran out.</summary>
    public bool IsTimeout => Kind is ShutdownReasonKind.MaxCallDuration
        or ShutdownReasonKind.ParticipantLeftTimeout
        or ShutdownReasonKind.ParticipantAbsentTimeout;

    /// <summary>Whether the conversation ended because something failed on the Tavus side.</summary>
    public bool IsError => Kind is ShutdownReasonKind.BotCouldNotJoinMeeting
        or ShutdownReasonKind.StartupException
        or ShutdownReasonKind.InternalError;

    /// <summary>Whether two reasons have the same wire value (ordinal). To compare families, compare <see cref="Kind"/>.</summary>
    public static bool operator ==(ShutdownReason left, ShutdownReason right) => left.Equals(right);

    /// <summary>Whether two reasons have different wire values.</summary>
    public static bool operator !=(ShutdownReason left, ShutdownReason right) => !left.Equals(right);

    /// <summary>Converts a wire value to a reason (explicit, because a null string has no reason and throws).</summary>
    /// <param name="value">The wire value.</param>
    /// <exception cref="ArgumentNullException"><paramref name="value"/> is null.</exception>
    public static explicit operator ShutdownReason(string value) => new(value);

    /// <inheritdoc/>
    public bool Equals(ShutdownReason other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public override bool Equals(object? obj) => obj is ShutdownReason other && Equals(other);

    /// <inheritdoc/>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value;

    // The known instance for an exact documented value, for the decoder; false for any other value.
    internal static bool TryGetKnown(ReadOnlySpan<byte> utf8, out ShutdownReason reason)
    {
        foreach (var (known, value) in KnownValues)
        {
            if (utf8.SequenceEqual(known))
            {
                reason = value;
                return true;
            }
        }

        reason = default;
        return false;
    }

    /// <summary>Reads and writes the reason as a JSON string.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public sealed class Converter : JsonConverter<ShutdownReason>
    {
        /// <inheritdoc/>
        public override ShutdownReason Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
            => reader.TokenType == JsonTokenType.String
                ? new ShutdownReason(reader.GetString()!)
                : throw new JsonException("A shutdown reason must be a JSON string.");

        /// <inheritdoc/>
        public override void Write(Utf8JsonWriter writer, ShutdownReason value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            writer.WriteStringValue(value.Value);
        }
    }
}
