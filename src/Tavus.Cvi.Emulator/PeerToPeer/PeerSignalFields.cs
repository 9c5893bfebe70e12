using System.Text.Json;
using Tavus.Cvi.Emulator.Daily;

namespace Tavus.Cvi.Emulator.PeerToPeer;

/// <summary>
/// The <c>fields</c> of the peer-to-peer signaling messages as daily-js writes and reads them (daily-protocol.md §7):
/// descriptions and candidates are <b>JSON text</b> inside the JSON, an <c>ice candidate</c> without <c>candidate</c>
/// is the end of candidates. The emulator reads them strictly (a client that sends an object where daily-js sends
/// text would not interoperate with daily-js, so it should not pass here either).
/// </summary>
internal static class PeerSignalFields
{
    public const string Offer = "sdp offer";
    public const string Answer = "sdp answer";
    public const string Candidate = "ice candidate";
    public const string Renegotiate = "please renegotiate";

    public static bool IsPeerTag(string tag) => tag is Offer or Answer or Candidate or Renegotiate;

    /// <summary><c>{"offer": "{\"type\":\"offer\",\"sdp\":…}", "participation_type":"full", "newRTCConnection":true}</c>.</summary>
    public static byte[] WriteOffer(string sdp) => SignalingFrames.Write(w =>
    {
        w.WriteString("offer"u8, DescriptionText("offer", sdp));
        w.WriteString("participation_type"u8, "full"u8);
        w.WriteBoolean("newRTCConnection"u8, true);
        w.WriteStartArray("customTracksMediaTagsOrder"u8);
        w.WriteEndArray();
    });

    /// <summary><c>{"answer": "{\"type\":\"answer\",\"sdp\":…}", "participation_type":"full", "newRTCConnection":true}</c>.</summary>
    public static byte[] WriteAnswer(string sdp) => SignalingFrames.Write(w =>
    {
        w.WriteString("answer"u8, DescriptionText("answer", sdp));
        w.WriteString("participation_type"u8, "full"u8);
        w.WriteBoolean("newRTCConnection"u8, true);
    });

    /// <summary><c>{"candidate": "{\"candidate\":…,\"sdpMid\":…,\"sdpMLineIndex\":…}"}</c>, or <c>{}</c> (end of candidates) for null.</summary>
    public static byte[] WriteCandidate(string? candidate, string? sdpMid) => SignalingFrames.Write(w =>
    {
        if (candidate is not null)
        {
            byte[] text = SignalingFrames.Write(c =>
            {
                c.WriteString("candidate"u8, candidate);
                c.WriteString("sdpMid"u8, sdpMid);
                c.WriteNumber("sdpMLineIndex"u8, 0);
            });
            w.WriteString("candidate"u8, System.Text.Encoding.UTF8.GetString(text));
        }
    });

    /// <summary>Reads <c>offer</c>/<c>answer</c>: a string holding the JSON of <c>{type, sdp}</c> with the matching type.</summary>
    public static bool TryReadDescription(ReadOnlySpan<byte> fields, string field, out string sdp)
    {
        sdp = string.Empty;
        try
        {
            using JsonDocument document = JsonDocument.Parse(fields.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object ||
                !document.RootElement.TryGetProperty(field, out JsonElement text) || text.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            using JsonDocument description = JsonDocument.Parse(text.GetString()!);
            JsonElement root = description.RootElement;
            if (root.ValueKind != JsonValueKind.Object ||
                !root.TryGetProperty("type", out JsonElement type) || !type.ValueEquals(field) ||
                !root.TryGetProperty("sdp", out JsonElement s) || s.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            sdp = s.GetString()!;
            return sdp.Length > 0;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>Reads an <c>ice candidate</c>: false when malformed; <paramref name="candidate"/> null = end of candidates.</summary>
    public static bool TryReadCandidate(ReadOnlySpan<byte> fields, out string? candidate)
    {
        candidate = null;
        try
        {
            using JsonDocument document = JsonDocument.Parse(fields.ToArray());
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            if (!document.RootElement.TryGetProperty("candidate", out JsonElement text))
            {
                return true;
            }

            if (text.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            using JsonDocument init = JsonDocument.Parse(text.GetString()!);
            if (init.RootElement.ValueKind != JsonValueKind.Object ||
                !init.RootElement.TryGetProperty("candidate", out JsonElement c) || c.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            candidate = c.GetString();
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string DescriptionText(string type, string sdp) => System.Text.Encoding.UTF8.GetString(SignalingFrames.Write(w =>
    {
        w.WriteString("type"u8, type);
        w.WriteString("sdp"u8, sdp);
    }));
}
