using System.Buffers;
using System.Text.Json;

namespace Tavus.Cvi.Interactions.Daily;

/// <summary>
/// The peer-to-peer signaling messages of daily-protocol.md §7: <c>sig-msg</c> frames addressed to one peer
/// (<c>envelopeTo</c> = its session id) whose <c>fields</c> carry the SDP and candidates as <b>JSON text</b>, as daily-js
/// writes them (<c>JSON.stringify</c> of the <c>RTCSessionDescription</c> / <c>RTCIceCandidate</c>). Readers are
/// tolerant: a description or candidate that arrives as an object instead of text is accepted too.
/// </summary>
internal static class DailyPeerSignaling
{
    /// <summary>The tag of an offer.</summary>
    public const string OfferTag = "sdp offer";

    /// <summary>The tag of an answer.</summary>
    public const string AnswerTag = "sdp answer";

    /// <summary>The tag of a trickled candidate (or, without a candidate, of the end of candidates).</summary>
    public const string CandidateTag = "ice candidate";

    /// <summary>The tag asking the offerer for a new offer.</summary>
    public const string RenegotiateTag = "please renegotiate";

    /// <summary>Whether <paramref name="tag"/> is one of the §7 signaling tags.</summary>
    public static bool IsPeerTag(string? tag) => tag is OfferTag or AnswerTag or CandidateTag or RenegotiateTag;

    /// <summary>
    /// The offer rule of §7: the participant whose session id sorts lower (plain, ordinal string comparison, as
    /// JavaScript's <c>&lt;</c> on strings) makes the offer.
    /// </summary>
    public static bool IsOfferer(string localSessionId, string remoteSessionId) =>
        string.CompareOrdinal(localSessionId, remoteSessionId) < 0;

    /// <summary>
    /// <c>sdp offer</c>: <c>offer</c> = JSON text of <c>{type:"offer", sdp}</c>, the three <c>*_type</c> fields and
    /// <c>newRTCConnection:true</c> (every offer of this transport starts a new connection: the WebRTC stack does not
    /// renegotiate).
    /// </summary>
    public static byte[] Offer(string toSessionId, string sdp, string sendTs) =>
        Frame(OfferTag, toSessionId, sendTs, writer =>
        {
            writer.WriteString("offer", DescriptionJson("offer", sdp));
            WriteParticipantFields(writer);
            writer.WriteBoolean("newRTCConnection", true);
            writer.WriteStartArray("customTracksMediaTagsOrder");
            writer.WriteEndArray();
        });

    /// <summary><c>sdp answer</c>: <c>answer</c> = JSON text of <c>{type:"answer", sdp}</c>, the <c>*_type</c> fields, <c>newRTCConnection</c>.</summary>
    public static byte[] Answer(string toSessionId, string sdp, string sendTs) =>
        Frame(AnswerTag, toSessionId, sendTs, writer =>
        {
            writer.WriteString("answer", DescriptionJson("answer", sdp));
            WriteParticipantFields(writer);
            writer.WriteBoolean("newRTCConnection", true);
        });

    /// <summary>
    /// <c>ice candidate</c>: <c>candidate</c> = JSON text of <c>{candidate, sdpMid, sdpMLineIndex}</c>; a
    /// <see langword="null"/> candidate leaves the field out, which means "end of candidates" (§7).
    /// </summary>
    public static byte[] Candidate(string toSessionId, DailyIceCandidate? candidate, string sendTs) =>
        Frame(CandidateTag, toSessionId, sendTs, writer =>
        {
            if (candidate is not null)
            {
                writer.WriteString("candidate", CandidateJson(candidate));
            }
        });

    /// <summary><c>please renegotiate</c> with <c>forceIceRestart</c>: the offerer should start over with a new offer.</summary>
    public static byte[] Renegotiate(string toSessionId, string sendTs) =>
        Frame(RenegotiateTag, toSessionId, sendTs, writer => writer.WriteBoolean("forceIceRestart", true));

    /// <summary>The JSON text of an <c>RTCSessionDescriptionInit</c>: <c>{"type":…,"sdp":…}</c>.</summary>
    public static string DescriptionJson(string type, string sdp) => WriteText(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("type", type);
        writer.WriteString("sdp", sdp);
        writer.WriteEndObject();
    });

    /// <summary>The JSON text of an <c>RTCIceCandidateInit</c>: <c>{"candidate":…,"sdpMid":…,"sdpMLineIndex":…}</c>.</summary>
    public static string CandidateJson(DailyIceCandidate candidate) => WriteText(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("candidate", candidate.Candidate);
        if (candidate.SdpMid is null)
        {
            writer.WriteNull("sdpMid");
        }
        else
        {
            writer.WriteString("sdpMid", candidate.SdpMid);
        }

        if (candidate.SdpMLineIndex is { } index)
        {
            writer.WriteNumber("sdpMLineIndex", index);
        }
        else
        {
            writer.WriteNull("sdpMLineIndex");
        }

        writer.WriteEndObject();
    });

    /// <summary>
    /// Reads the SDP of an <c>offer</c>/<c>answer</c> field: JSON text of <c>{type, sdp}</c> (daily-js), or the object
    /// itself. The <c>type</c>, when present, must match.
    /// </summary>
    public static bool TryReadDescription(JsonElement fields, string field, out string sdp)
    {
        sdp = string.Empty;
        if (fields.ValueKind != JsonValueKind.Object || !fields.TryGetProperty(field, out var value))
        {
            return false;
        }

        return TryParseObject(value, description =>
        {
            if (description.TryGetProperty("type", out var type) && (type.ValueKind != JsonValueKind.String || !type.ValueEquals(field)))
            {
                return null;
            }

            return description.TryGetProperty("sdp", out var text) && text.ValueKind == JsonValueKind.String && text.GetString() is { Length: > 0 } s ? s : null;
        }, out sdp);
    }

    /// <summary>
    /// Reads the <c>candidate</c> field of an <c>ice candidate</c> message. Returns false when it is malformed;
    /// otherwise <paramref name="candidate"/> is the candidate, or <see langword="null"/> for the end of candidates
    /// (field absent or null, or an empty <c>candidate</c> string as browsers emit at the end of gathering).
    /// </summary>
    public static bool TryReadCandidate(JsonElement fields, out DailyIceCandidate? candidate)
    {
        candidate = null;
        if (fields.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return true;
        }

        if (fields.ValueKind != JsonValueKind.Object)
        {
            return false;
        }

        if (!fields.TryGetProperty("candidate", out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return true;
        }

        var ok = TryParseObject(value, init =>
        {
            if (!init.TryGetProperty("candidate", out var text) || text.ValueKind != JsonValueKind.String)
            {
                return null;
            }

            var mid = init.TryGetProperty("sdpMid", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            int? index = init.TryGetProperty("sdpMLineIndex", out var i) && i.ValueKind == JsonValueKind.Number && i.TryGetInt32(out var n) ? n : null;
            return new DailyIceCandidate(text.GetString()!, mid, index);
        }, out DailyIceCandidate parsed);
        if (!ok)
        {
            return false;
        }

        candidate = parsed.Candidate.Length == 0 ? null : parsed;
        return true;
    }

    private static bool TryParseObject<T>(JsonElement value, Func<JsonElement, T?> read, out T result)
        where T : class
    {
        result = null!;
        if (value.ValueKind == JsonValueKind.Object)
        {
            result = read(value)!;
            return result is not null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return false;
        }

        try
        {
            using var document = JsonDocument.Parse(value.GetString()!, new JsonDocumentOptions { MaxDepth = 16 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            result = read(document.RootElement)!;
            return result is not null;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void WriteParticipantFields(Utf8JsonWriter writer)
    {
        // §7 lists participation_type, device_type and network_type; only "full" is a documented value (§4.6
        // participationType). The other two are left out rather than invented: their values are not known.
        writer.WriteString("participation_type", "full");
    }

    private static byte[] Frame(string tag, string toSessionId, string sendTs, Action<Utf8JsonWriter> fields)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("msgStr", "sig-msg");
            writer.WriteStartObject("msgData");
            writer.WriteString("tag", tag);
            writer.WriteStartObject("fields");
            fields(writer);
            writer.WriteEndObject();
            writer.WriteString("envelopeTo", toSessionId);
            writer.WriteString("_sendTs", sendTs);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static string WriteText(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            body(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
