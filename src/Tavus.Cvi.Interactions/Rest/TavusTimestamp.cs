using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Rest;

/// <summary>
/// Tolerant reading of Tavus timestamps. Tavus writes them as ISO-8601 strings (<c>2025-07-11T06:45:47.472000Z</c>),
/// as <c>2024-08-28 15:27:40.824457</c> in video callbacks, and as Unix seconds in newer in-call events
/// (tavus-protocol.md §0.1 and §E); all are UTC unless they say otherwise.
/// </summary>
internal static class TavusTimestamp
{
    public static bool TryParse(string? text, out DateTimeOffset value)
        => DateTimeOffset.TryParse(
            text,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AllowWhiteSpaces,
            out value);

    public static bool TryFromUnixSeconds(double seconds, out DateTimeOffset value)
    {
        // Guard the range DateTimeOffset can represent; a garbage number is "no timestamp", not a crash.
        if (double.IsFinite(seconds) && seconds > -62_135_596_800d && seconds < 253_402_300_799d)
        {
            value = DateTimeOffset.UnixEpoch.AddTicks((long)(seconds * TimeSpan.TicksPerSecond));
            return true;
        }

        value = default;
        return false;
    }

    public static DateTimeOffset? Read(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.String when TryParse(element.GetString(), out var parsed) => parsed,
        JsonValueKind.Number when element.TryGetDouble(out var seconds) && TryFromUnixSeconds(seconds, out var parsed) => parsed,
        _ => null,
    };

    /// <summary>Reads any of the timestamp shapes; an unreadable value becomes <see langword="null"/> rather than an error.</summary>
    internal sealed class Converter : JsonConverter<DateTimeOffset?>
    {
        public override bool HandleNull => true;

        public override DateTimeOffset? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    return TryParse(reader.GetString(), out var parsed) ? parsed : null;
                case JsonTokenType.Number:
                    return reader.TryGetDouble(out var seconds) && TryFromUnixSeconds(seconds, out var fromNumber) ? fromNumber : null;
                default:
                    reader.Skip();
                    return null;
            }
        }

        public override void Write(Utf8JsonWriter writer, DateTimeOffset? value, JsonSerializerOptions options)
        {
            if (value is { } timestamp)
            {
                writer.WriteStringValue(timestamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture));
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    }
}
