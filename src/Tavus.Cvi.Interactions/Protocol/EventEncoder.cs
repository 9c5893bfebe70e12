using System.Text.Json;

namespace Tavus.Cvi.Interactions.Protocol;

// Writes events in the documented shape (tavus-protocol.md §0.1, §B): envelope keys first, then properties; null
// fields are omitted; unknown keys kept at decode time are written back where they were.
internal static class EventEncoder
{
    public static void Write(Utf8JsonWriter writer, CviEvent evt)
    {
        switch (evt)
        {
            case UnknownEvent unknown:
                // Nothing the SDK understands to re-serialize: the received text is the truth.
                writer.WriteRawValue(unknown.RawJson);
                return;
            case InvalidMessageEvent:
                throw new ArgumentException("An InvalidMessageEvent has no JSON form; send its RawText as bytes instead.", nameof(evt));
        }

        writer.WriteStartObject();
        if (evt.MessageType is not null)
        {
            writer.WriteString("message_type"u8, evt.MessageType);
        }

        writer.WriteString("event_type"u8, evt.EventType);
        WriteIfNotNull(writer, "conversation_id"u8, evt.ConversationId);
        WriteIfNotNull(writer, "inference_id"u8, evt.InferenceId);
        if (evt.Seq is { } seq)
        {
            writer.WriteNumber("seq"u8, seq);
        }

        if (evt.TurnIndex is { } turn)
        {
            writer.WriteNumber("turn_idx"u8, turn);
        }

        if (evt.Timestamp is { } timestamp)
        {
            writer.WriteNumber("timestamp"u8, WireReader.ToUnixSeconds(timestamp));
        }

        if (HasProperties(evt))
        {
            writer.WritePropertyName("properties"u8);
            writer.WriteStartObject();
            WriteProperties(writer, evt);
            WriteAll(writer, evt.AdditionalProperties);
            writer.WriteEndObject();
        }

        WriteAll(writer, evt.ExtensionData);
        writer.WriteEndObject();
    }

    // Envelope-only events (§B.3 legacy started/user events, §B.4) have no properties key unless something was kept.
    private static bool HasProperties(CviEvent evt) => evt switch
    {
        ReplicaStartedSpeakingEvent or UserStartedSpeakingEvent or UserStoppedSpeakingEvent or ReplicaInterruptedEvent =>
            evt.AdditionalProperties is { Count: > 0 },
        _ => true,
    };

    private static void WriteProperties(Utf8JsonWriter writer, CviEvent evt)
    {
        switch (evt)
        {
            case UtteranceEvent e:
                WriteIfNotNull(writer, "role"u8, e.Role);
                WriteIfNotNull(writer, "speech"u8, e.Speech);
                WriteIfNotNull(writer, "visual_context"u8, e.VisualContext);
                WriteIfNotNull(writer, "user_audio_analysis"u8, e.UserAudioAnalysis);
                WriteIfNotNull(writer, "user_visual_analysis"u8, e.UserVisualAnalysis);
                WriteIfNotNull(writer, "interrupted"u8, e.Interrupted);
                break;
            case StreamingUtteranceEvent e:
                WriteIfNotNull(writer, "role"u8, e.Role);
                WriteIfNotNull(writer, "speech"u8, e.Speech);
                if (e.ContentIndex is { } index)
                {
                    writer.WriteNumber("content_index"u8, index);
                }

                WriteIfNotNull(writer, "final"u8, e.IsFinal);
                WriteIfNotNull(writer, "is_interrupted"u8, e.IsInterrupted);
                break;
            case StartedSpeakingEvent e:
                WriteIfNotNull(writer, "role"u8, e.Role);
                break;
            case StoppedSpeakingEvent e:
                WriteIfNotNull(writer, "role"u8, e.Role);
                WriteIfNotNull(writer, "interrupted"u8, e.Interrupted);
                WriteDuration(writer, e.Duration);
                break;
            case ReplicaStoppedSpeakingEvent e:
                WriteDuration(writer, e.Duration);
                WriteIfNotNull(writer, "interrupted"u8, e.Interrupted);
                break;
            case ToolCallEvent e:
                WriteIfNotNull(writer, "tool_call_id"u8, e.ToolCallId);
                WriteIfNotNull(writer, "name"u8, e.Name);
                WriteIfDefined(writer, "arguments"u8, e.Arguments);
                break;
            case PerceptionToolCallEvent e:
                if (e.Modality is { } modality)
                {
                    writer.WriteString("modality"u8, modality.Value);
                }

                WriteIfNotNull(writer, "tool_call_id"u8, e.ToolCallId);
                WriteIfNotNull(writer, "name"u8, e.Name);
                WriteIfDefined(writer, "arguments"u8, e.Arguments);
                if (e.Frames is not null)
                {
                    writer.WritePropertyName("frames"u8);
                    JsonSerializer.Serialize(writer, e.Frames, CviJsonContext.Default.IReadOnlyListPerceptionFrame);
                }

                break;
            case PerceptionAnalysisEvent e:
                WriteIfNotNull(writer, "analysis"u8, e.Analysis);
                break;
            case ReplicaJoinedEvent e:
                WriteIfNotNull(writer, "replica_id"u8, e.ReplicaId);
                WriteIfNotNull(writer, "face_id"u8, e.FaceId);
                break;
            case ShutdownEvent e:
                WriteIfNotNull(writer, "replica_id"u8, e.ReplicaId);
                WriteIfNotNull(writer, "shutdown_reason"u8, e.Reason?.Value);
                break;
        }
    }

    private static void WriteDuration(Utf8JsonWriter writer, double? duration)
    {
        if (duration is { } value)
        {
            writer.WriteNumber("duration"u8, value);
        }
    }

    internal static void WriteIfNotNull(Utf8JsonWriter writer, ReadOnlySpan<byte> name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    internal static void WriteIfNotNull(Utf8JsonWriter writer, ReadOnlySpan<byte> name, bool? value)
    {
        if (value is { } b)
        {
            writer.WriteBoolean(name, b);
        }
    }

    private static void WriteIfNotNull(Utf8JsonWriter writer, ReadOnlySpan<byte> name, ParticipantRole? value)
    {
        if (value is { } role)
        {
            writer.WriteString(name, role.Value);
        }
    }

    internal static void WriteIfDefined(Utf8JsonWriter writer, ReadOnlySpan<byte> name, JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Undefined)
        {
            writer.WritePropertyName(name);
            value.WriteTo(writer);
        }
    }

    internal static void WriteAll(Utf8JsonWriter writer, IReadOnlyDictionary<string, JsonElement>? values)
    {
        if (values is null)
        {
            return;
        }

        foreach (var (name, value) in values)
        {
            if (value.ValueKind == JsonValueKind.Undefined)
            {
                continue;
            }

            writer.WritePropertyName(name);
            value.WriteTo(writer);
        }
    }
}
