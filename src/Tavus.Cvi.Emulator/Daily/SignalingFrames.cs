using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tavus.Cvi.Emulator.Daily;

/// <summary>Builders of the server's signaling frames (daily-protocol.md §4–§6). Every frame carries <c>serverTS</c>.</summary>
internal static class SignalingFrames
{
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>An app message or other <c>sig-msg</c> as a recipient sees it (§6): tag lifted, <c>fields</c> → <c>msgData</c>.</summary>
    public static byte[] SigMsg(string tag, string from, string to, ReadOnlySpan<byte> payload, long serverTs)
    {
        var buffer = new ArrayBufferWriter<byte>(payload.Length + 160);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("msgStr"u8, "sig-msg"u8);
            writer.WriteString("tag"u8, tag);
            writer.WriteString("from"u8, from);
            writer.WriteString("to"u8, to);
            writer.WritePropertyName("msgData"u8);
            writer.WriteRawValue(payload, skipInputValidation: true);
            writer.WriteNumber("serverTS"u8, serverTs);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>A presence update (or, with a null presence, a leave) relayed from <paramref name="from"/> (§4.6).</summary>
    public static byte[] Presence(string from, JsonObject? presence, string? leftReason, int activeCount, long serverTs) => Write(w =>
    {
        w.WriteString("msgStr"u8, "sig-presence"u8);
        w.WriteString("from"u8, from);
        w.WritePropertyName("msgData"u8);
        if (presence is null)
        {
            w.WriteNullValue();
        }
        else
        {
            presence.WriteTo(w);
        }

        if (leftReason is not null)
        {
            w.WriteString("leftReason"u8, leftReason);
        }

        WriteCounts(w, activeCount);
        w.WriteNumber("serverTS"u8, serverTs);
    });

    /// <summary>A soup reply (§5): top-level <c>tag:"soup"</c>, <c>msgData._kTs</c> = the request's <c>_sendTs</c>.</summary>
    public static byte[] SoupReply(string? kTs, Action<Utf8JsonWriter> fields, long serverTs) => Write(w =>
    {
        w.WriteString("tag"u8, "soup"u8);
        w.WritePropertyName("msgData"u8);
        w.WriteStartObject();
        if (kTs is not null)
        {
            w.WriteString("_kTs"u8, kTs);
        }

        fields(w);
        w.WriteEndObject();
        w.WriteNumber("serverTS"u8, serverTs);
    });

    public static byte[] Batch(IReadOnlyList<OutboundFrame> frames, int activeCount, long serverTs)
    {
        var buffer = new ArrayBufferWriter<byte>(frames.Sum(f => f.Utf8.Length) + 128);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("msgStr"u8, "sig-batch"u8);
            writer.WriteStartArray("msgs"u8);
            foreach (OutboundFrame frame in frames)
            {
                writer.WriteRawValue(frame.Utf8, skipInputValidation: true);
            }

            writer.WriteEndArray();
            WriteCounts(writer, activeCount);
            writer.WriteNumber("serverTS"u8, serverTs);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void WriteCounts(Utf8JsonWriter w, int activeCount)
    {
        w.WriteNumber("activeCount"u8, activeCount);
        w.WriteNumber("fullParticipantsCount"u8, activeCount);
        w.WriteNumber("passiveCount"u8, 0);
    }

    /// <summary>The permission object every participant gets (§4.6): present, may send everything, no admin.</summary>
    public static JsonObject Permissions() => new()
    {
        ["hasPresence"] = true,
        ["canSend"] = true,
        ["canAdmin"] = false,
    };

    /// <summary>
    /// The length daily-js checks against its limit: <c>JSON.stringify(data).length</c>, i.e. UTF-16 code units of
    /// a compact serialization that escapes only what JSON requires (daily-protocol.md §6).
    /// </summary>
    public static int MeasureLikeJsonStringify(JsonElement payload)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            payload.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetCharCount(buffer.WrittenSpan);
    }

    /// <summary>JavaScript's <c>encodeURI</c>, which daily-js applies to a presence <c>name</c> (§4.6).</summary>
    public static string EncodeUri(string value)
    {
        const string Unreserved = ";,/?:@&=+$-_.!~*'()#";
        var sb = new System.Text.StringBuilder(value.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (char.IsAsciiLetterOrDigit(c) || Unreserved.Contains(c, StringComparison.Ordinal))
            {
                sb.Append(c);
                continue;
            }

            int count = char.IsHighSurrogate(c) && i + 1 < value.Length
                ? System.Text.Encoding.UTF8.GetBytes(value.AsSpan(i++, 2), utf8)
                : System.Text.Encoding.UTF8.GetBytes(value.AsSpan(i, 1), utf8);
            for (int b = 0; b < count; b++)
            {
                sb.Append('%').Append(utf8[b].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }
}
