using System.Buffers;
using System.Text.Json;

namespace Tavus.Cvi.Interactions.Daily;

/// <summary>The local presence as the transport announces it (daily-protocol.md §4.6).</summary>
/// <remarks><paramref name="PeerToPeer"/>: announce <c>rtcType.impl = "peer-to-peer"</c>, which others need to see before
/// they set up a peer-to-peer link to this participant (§7).</remarks>
internal sealed record DailyLocalPresence(string SessionId, string? Name, string? UserId, long? JoinedAt, bool PeerToPeer = false);

/// <summary>
/// Writes the client → server frames of daily-protocol.md (§4.2 envelope <c>{"msgStr", "msgData"}</c>) as UTF-8 JSON
/// text. Several carry <c>sigAuthz</c>, so a frame is never logged whole.
/// </summary>
internal static class DailyFrames
{
    /// <summary><c>join-for-sig</c>, the first frame on a socket (§4.3).</summary>
    public static byte[] JoinForSig(
        string meetingString,
        DailyLocalPresence presence,
        bool fullPresence,
        string sigAuthz,
        string meetingSessionId,
        DailyClientInfo clientInfo,
        string? topology,
        bool sfuRequired = true) =>
        Write(writer =>
        {
            writer.WriteString("mtgStr", meetingString);
            writer.WriteString("from", presence.SessionId);
            writer.WriteString("msgStr", "join-for-sig");
            writer.WriteStartObject("msgData");
            writer.WriteBoolean("sfuRequired", sfuRequired);
            writer.WriteString("sigAuthz", sigAuthz);
            writer.WriteStartObject("mtgSession");
            writer.WriteString("id", meetingSessionId);
            writer.WriteEndObject();
            writer.WritePropertyName("aboutClient");
            WriteAboutClient(writer, clientInfo);
            if (topology is not null)
            {
                writer.WriteString("topology", topology);
            }

            writer.WritePropertyName("presence");
            if (fullPresence)
            {
                WritePresence(writer, presence);
            }
            else
            {
                // The minimal first presence daily-js sends: it does not accept calls until after sig-ack (§4.3, §4.6).
                writer.WriteStartObject();
                writer.WriteString("id", presence.SessionId);
                if (!string.IsNullOrEmpty(presence.Name))
                {
                    writer.WriteString("name", DailyUriEncoding.EncodeUri(presence.Name));
                }

                writer.WriteString("callState", "passive");
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        });

    /// <summary>A full presence update (§4.6): receivers replace the whole presence with it.</summary>
    public static byte[] Presence(DailyLocalPresence presence) =>
        Write(writer =>
        {
            writer.WriteString("msgStr", "sig-presence");
            writer.WritePropertyName("msgData");
            WritePresence(writer, presence);
        });

    /// <summary>The heartbeat (§4.5): <c>{"msgStr":"sig-ack","msgData":{"lTs":…}}</c>.</summary>
    public static byte[] Heartbeat(long localEpochMs) =>
        Write(writer =>
        {
            writer.WriteString("msgStr", "sig-ack");
            writer.WriteStartObject("msgData");
            writer.WriteNumber("lTs", localEpochMs);
            writer.WriteEndObject();
        });

    /// <summary>A soup request (§5): <c>msgData</c> holds the fields and the request id <c>_sendTs</c>.</summary>
    public static byte[] Soup(string command, string sendTs, Action<Utf8JsonWriter>? fields) =>
        Write(writer =>
        {
            writer.WriteString("msgStr", command);
            writer.WriteStartObject("msgData");
            fields?.Invoke(writer);
            writer.WriteString("_sendTs", sendTs);
            writer.WriteEndObject();
        });

    /// <summary>
    /// An app message (§6): the payload goes raw into <c>fields</c>; <c>envelopeTo</c> is <c>"*"</c> or one session id.
    /// </summary>
    public static byte[] AppMessage(ReadOnlySpan<byte> payload, string? recipientId, string sendTs)
    {
        var buffer = new ArrayBufferWriter<byte>(payload.Length + 128);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("msgStr", "sig-msg");
            writer.WriteStartObject("msgData");
            writer.WriteString("tag", "x-egassem");
            writer.WritePropertyName("fields");
            writer.WriteRawValue(payload);
            writer.WriteString("envelopeTo", recipientId ?? "*");
            writer.WriteString("_sendTs", sendTs);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The leave announcement (§4.9): <c>msgData</c> is the string <c>"sig-disconnect"</c>.</summary>
    public static byte[] Disconnect() =>
        Write(writer =>
        {
            writer.WriteString("msgStr", "sig-presence");
            writer.WriteString("msgData", "sig-disconnect");
        });

    /// <summary><c>sig-bye</c>, sent before closing the socket for a room move (§4.8).</summary>
    public static byte[] Bye() =>
        Write(writer =>
        {
            writer.WriteString("msgStr", "sig-bye");
            writer.WriteStartObject("msgData");
            writer.WriteEndObject();
        });

    /// <summary>The <c>aboutClient</c> object as JSON text, for the lookup form (§3).</summary>
    public static string AboutClientJson(DailyClientInfo clientInfo)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteAboutClient(writer, clientInfo);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void WriteAboutClient(Utf8JsonWriter writer, DailyClientInfo clientInfo)
    {
        writer.WriteStartObject();
        writer.WriteString("library", clientInfo.Library);
        writer.WriteString("version", clientInfo.Version);
        writer.WriteEndObject();
    }

    private static void WritePresence(Utf8JsonWriter writer, DailyLocalPresence presence)
    {
        // A sender omits every field equal to its default (§4.6): callState "accepting-calls", states "U", etc.
        writer.WriteStartObject();
        writer.WriteString("id", presence.SessionId);
        if (!string.IsNullOrEmpty(presence.Name))
        {
            writer.WriteString("name", DailyUriEncoding.EncodeUri(presence.Name));
        }

        if (!string.IsNullOrEmpty(presence.UserId))
        {
            writer.WriteString("user_id", presence.UserId);
        }

        if (presence.JoinedAt is { } joinedAt)
        {
            writer.WriteNumber("joinedAt", joinedAt);
        }

        if (presence.PeerToPeer)
        {
            writer.WriteStartObject("rtcType");
            writer.WriteString("impl", "peer-to-peer");
            writer.WriteEndObject();
        }

        writer.WriteEndObject();
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}
