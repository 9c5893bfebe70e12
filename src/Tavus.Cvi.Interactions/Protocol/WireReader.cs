using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Tavus.Cvi.Interactions.Protocol;

// Tolerant field readers (tavus-protocol.md §G.2): each takes a reader positioned on the value token, accepts every
// variant the sources disagree on, and throws InvalidFieldException naming the field for anything else.
internal static class WireReader
{
    private const long UnixEpochTicks = 621_355_968_000_000_000;

    public static string? String(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.String => StringValue(ref reader),
        JsonTokenType.Null => null,
        _ => throw InvalidFieldException.WrongType(field, "a string", reader.TokenType),
    };

    // The reader's GetString validates and counts UTF-8 in one pass and transcodes in a second. Nearly everything
    // the protocol carries is unescaped ASCII (ids, base64 audio and frames, most text), which one vectorized check
    // and one widening copy turn into the same string in about half the time (a 6.4 KB audio chunk: the whole
    // difference). Escaped, multi-segment or non-ASCII values take the reader's path, which also reports invalid
    // UTF-8 (InvalidOperationException, caught by the decoders).
    private static string StringValue(ref Utf8JsonReader reader)
    {
        if (!reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            var span = reader.ValueSpan;
            if (Ascii.IsValid(span))
            {
                return Encoding.Latin1.GetString(span);
            }
        }

        return reader.GetString()!;
    }

    // message_type is almost always one of two values: return the constants instead of allocating.
    public static string? MessageType(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            if (reader.ValueTextEquals("conversation"u8))
            {
                return CviEventTypes.ConversationMessageType;
            }

            if (reader.ValueTextEquals("system"u8))
            {
                return CviEventTypes.SystemMessageType;
            }
        }

        return String(ref reader, "message_type");
    }

    // done is a JSON boolean in current docs and the string "true"/"false" in older docs and tavus-skills (§A.1).
    public static bool? Boolean(ref Utf8JsonReader reader, string field)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.True:
                return true;
            case JsonTokenType.False:
                return false;
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                if (reader.ValueTextEquals("true"u8) || reader.ValueTextEquals("True"u8) || reader.ValueTextEquals("TRUE"u8))
                {
                    return true;
                }

                if (reader.ValueTextEquals("false"u8) || reader.ValueTextEquals("False"u8) || reader.ValueTextEquals("FALSE"u8))
                {
                    return false;
                }

                throw InvalidFieldException.BadValue(field, "a boolean or \"true\"/\"false\"");
            default:
                throw InvalidFieldException.WrongType(field, "a boolean", reader.TokenType);
        }
    }

    public static long? Int64(ref Utf8JsonReader reader, string field)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                if (reader.TryGetInt64(out var value))
                {
                    return value;
                }

                // 42.0 is an integer written by a language without integers (JavaScript); 42.5 is not.
                if (reader.TryGetDouble(out var d) && d == Math.Floor(d) && d >= long.MinValue && d <= long.MaxValue)
                {
                    return (long)d;
                }

                throw InvalidFieldException.BadValue(field, "an integer");
            case JsonTokenType.String:
                if (long.TryParse(reader.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
                {
                    return parsed;
                }

                throw InvalidFieldException.BadValue(field, "an integer");
            case JsonTokenType.Null:
                return null;
            default:
                throw InvalidFieldException.WrongType(field, "an integer", reader.TokenType);
        }
    }

    public static int? Int32(ref Utf8JsonReader reader, string field)
    {
        var value = Int64(ref reader, field);
        if (value is null)
        {
            return null;
        }

        if (value < int.MinValue || value > int.MaxValue)
        {
            throw InvalidFieldException.BadValue(field, "a 32-bit integer");
        }

        return (int)value.Value;
    }

    public static double? Double(ref Utf8JsonReader reader, string field)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                if (reader.TryGetDouble(out var value) && double.IsFinite(value))
                {
                    return value;
                }

                throw InvalidFieldException.BadValue(field, "a finite number");
            case JsonTokenType.String:
                if (double.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed) && double.IsFinite(parsed))
                {
                    return parsed;
                }

                throw InvalidFieldException.BadValue(field, "a number");
            case JsonTokenType.Null:
                return null;
            default:
                throw InvalidFieldException.WrongType(field, "a number", reader.TokenType);
        }
    }

    // timestamp: Unix seconds (fractional) in-call, ISO-8601 strings in webhooks and the docs' logging wrapper (§0.1).
    // Seconds are read as decimal so that a value written by WriteTimestamp reads back to the same tick.
    public static DateTimeOffset? Timestamp(ref Utf8JsonReader reader, string field)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Number:
                if (!reader.HasValueSequence && TryFromPlainUnixSeconds(reader.ValueSpan, out var plain))
                {
                    return plain;
                }

                if (reader.TryGetDecimal(out var seconds) && TryFromUnixSeconds(seconds, out var fromNumber))
                {
                    return fromNumber;
                }

                throw InvalidFieldException.BadValue(field, "Unix seconds within the range of DateTimeOffset");
            case JsonTokenType.String:
                var text = reader.GetString()!;
                if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var secondsText) &&
                    TryFromUnixSeconds(secondsText, out var fromNumericText))
                {
                    return fromNumericText;
                }

                if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                {
                    return parsed;
                }

                throw InvalidFieldException.BadValue(field, "Unix seconds or an ISO-8601 date");
            case JsonTokenType.Null:
                return null;
            default:
                throw InvalidFieldException.WrongType(field, "Unix seconds or an ISO-8601 date", reader.TokenType);
        }
    }

    // The in-call form, non-negative seconds with at most seven decimals ("1746000001.5"), read digit by digit: the
    // same tick as the decimal path below (seven decimals are exactly ticks, nothing to round) at a fraction of the
    // cost of decimal parsing and arithmetic. Anything else (exponent, sign, more decimals, the range edge) returns
    // false and takes the decimal path.
    private static bool TryFromPlainUnixSeconds(ReadOnlySpan<byte> number, out DateTimeOffset value)
    {
        value = default;
        long whole = 0;
        var i = 0;
        for (; i < number.Length && (uint)(number[i] - '0') <= 9; i++)
        {
            if (i == 12)
            {
                return false;
            }

            whole = (whole * 10) + (number[i] - '0');
        }

        if (i == 0 || whole >= 253_402_300_799L)
        {
            return false;
        }

        long fraction = 0;
        var scale = 10_000_000L;
        if (i < number.Length)
        {
            if (number[i] != '.' || number.Length - i - 1 is < 1 or > 7)
            {
                return false;
            }

            for (i++; i < number.Length; i++)
            {
                if ((uint)(number[i] - '0') > 9)
                {
                    return false;
                }

                fraction = (fraction * 10) + (number[i] - '0');
                scale /= 10;
            }
        }

        value = new DateTimeOffset(UnixEpochTicks + (whole * 10_000_000L) + (fraction * scale), TimeSpan.Zero);
        return true;
    }

    public static decimal ToUnixSeconds(DateTimeOffset value) => (value.UtcTicks - UnixEpochTicks) / 10_000_000m;

    private static bool TryFromUnixSeconds(decimal seconds, out DateTimeOffset value)
    {
        value = default;
        // DateTimeOffset spans years 1..9999: about -62e9..253e9 seconds around the epoch.
        if (seconds < -62_135_596_800m || seconds > 253_402_300_799m)
        {
            return false;
        }

        var ticks = UnixEpochTicks + (long)decimal.Round(seconds * 10_000_000m, MidpointRounding.ToEven);
        if (ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks)
        {
            return false;
        }

        value = new DateTimeOffset(ticks, TimeSpan.Zero);
        return true;
    }

    // Roles: the three known values come back as cached instances, so reading a role allocates nothing (§B.1).
    public static ParticipantRole? Role(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            if (reader.ValueTextEquals("user"u8))
            {
                return ParticipantRole.User;
            }

            if (reader.ValueTextEquals("replica"u8))
            {
                return ParticipantRole.Replica;
            }

            if (reader.ValueTextEquals("pal"u8))
            {
                return ParticipantRole.Pal;
            }
        }

        var text = String(ref reader, field);
        return string.IsNullOrWhiteSpace(text) ? null : ParticipantRole.Parse(text);
    }

    public static PerceptionModality? PerceptionModality(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            if (reader.ValueTextEquals("audio"u8))
            {
                return Protocol.PerceptionModality.Audio;
            }

            if (reader.ValueTextEquals("vision"u8))
            {
                return Protocol.PerceptionModality.Vision;
            }
        }

        var text = String(ref reader, field);
        return string.IsNullOrWhiteSpace(text) ? null : Protocol.PerceptionModality.Parse(text);
    }

    // The documented values come back as cached instances (no string); any other string is kept as it is.
    public static ShutdownReason? ShutdownReason(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && !reader.HasValueSequence &&
            Protocol.ShutdownReason.TryGetKnown(reader.ValueSpan, out var known))
        {
            return known;
        }

        if (String(ref reader, field) is { } text)
        {
            return new Protocol.ShutdownReason(text);
        }

        return null;
    }

    public static EchoModality? EchoModality(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            if (reader.ValueTextEquals("audio"u8))
            {
                return Protocol.EchoModality.Audio;
            }

            if (reader.ValueTextEquals("text"u8))
            {
                return Protocol.EchoModality.Text;
            }
        }

        var text = String(ref reader, field);
        return string.IsNullOrWhiteSpace(text) ? null : Protocol.EchoModality.Parse(text);
    }

    public static Sensitivity? Sensitivity(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            if (reader.ValueTextEquals("high"u8))
            {
                return Protocol.Sensitivity.High;
            }

            if (reader.ValueTextEquals("medium"u8))
            {
                return Protocol.Sensitivity.Medium;
            }

            if (reader.ValueTextEquals("low"u8))
            {
                return Protocol.Sensitivity.Low;
            }
        }

        var text = String(ref reader, field);
        return string.IsNullOrWhiteSpace(text) ? null : Protocol.Sensitivity.Parse(text);
    }

    public static ToolResultStatus? ToolResultStatus(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            if (reader.ValueTextEquals("success"u8))
            {
                return Protocol.ToolResultStatus.Success;
            }

            if (reader.ValueTextEquals("error"u8))
            {
                return Protocol.ToolResultStatus.Error;
            }
        }

        var text = String(ref reader, field);
        return string.IsNullOrWhiteSpace(text) ? null : Protocol.ToolResultStatus.Parse(text);
    }

    // tool arguments: a JSON string holding JSON, or an object (§B.5, §B.6); anything else is kept as is.
    public static JsonElement Element(ref Utf8JsonReader reader) => JsonElement.ParseValue(ref reader);

    public static LazyJsonElement ObjectOrString(ref Utf8JsonReader reader, string field, scoped ReadOnlySpan<byte> whole) => reader.TokenType switch
    {
        JsonTokenType.StartObject or JsonTokenType.String or JsonTokenType.Null or JsonTokenType.StartArray => LazyElement(ref reader, whole),
        _ => throw InvalidFieldException.WrongType(field, "an object or a string", reader.TokenType),
    };

    // Reader on a value's first token; whole is the message the reader runs over, or empty when the reader is a
    // JsonConverter's view of a larger document (then the value is parsed at once). The value is kept as a copy of
    // its text: skipping it validates it, and copying bytes is far cheaper than building a JsonDocument.
    public static LazyJsonElement LazyElement(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> whole)
    {
        if (whole.IsEmpty || reader.HasValueSequence)
        {
            return LazyJsonElement.FromElement(JsonElement.ParseValue(ref reader));
        }

        var start = checked((int)reader.TokenStartIndex);
        SkipValue(ref reader);
        var end = checked((int)reader.BytesConsumed);
        return LazyJsonElement.FromUtf8(whole[start..end].ToArray());
    }

    // Empty or only JSON whitespace. A message almost always starts with '{', so the trim runs only when it does not.
    public static bool IsBlank(ReadOnlySpan<byte> utf8) =>
        utf8.IsEmpty || (utf8[0] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' && utf8.Trim(" \t\r\n"u8).IsEmpty);

    public static void SkipValue(ref Utf8JsonReader reader)
    {
        // The caller's reader may be a segment handed to a JsonConverter, where Skip() is not allowed; TrySkip is,
        // and it always succeeds there because converters receive whole values.
        if (!reader.TrySkip())
        {
            throw new JsonException("The JSON value is incomplete.");
        }
    }

    // The current property name (or string value) as unescaped UTF-8, so that a key is compared with a few
    // length-checked SequenceEquals instead of one ValueTextEquals call per candidate. Escaped or multi-segment
    // values (never seen from Tavus) take a slower, allocating path.
    public static ReadOnlySpan<byte> Utf8Text(ref Utf8JsonReader reader) =>
        reader.HasValueSequence || reader.ValueIsEscaped ? System.Text.Encoding.UTF8.GetBytes(reader.GetString()!) : reader.ValueSpan;

    // A property name as a string, for keys the SDK does not model (kept in extension data).
    public static string PropertyName(ref Utf8JsonReader reader) => reader.GetString()!;
}
