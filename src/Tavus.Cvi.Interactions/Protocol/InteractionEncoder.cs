using System.Text.Json;

namespace Tavus.Cvi.Interactions.Protocol;

// Writes interactions exactly as documented (tavus-protocol.md §A): message_type, event_type, conversation_id and
// properties only; conversation.interrupt has no properties key (§A.3); null fields are omitted.
internal static class InteractionEncoder
{
    public static void Write(Utf8JsonWriter writer, CviInteraction interaction, CviJsonWriteOptions options)
    {
        if (interaction is UnknownInteraction unknown)
        {
            writer.WriteRawValue(unknown.RawJson);
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("message_type"u8, CviEventTypes.ConversationMessageType);
        writer.WriteString("event_type"u8, EventTypeOf(interaction, options));
        EventEncoder.WriteIfNotNull(writer, "conversation_id"u8, interaction.ConversationId);

        switch (interaction)
        {
            case InterruptInteraction:
                if (interaction.AdditionalProperties is { Count: > 0 })
                {
                    writer.WritePropertyName("properties"u8);
                    writer.WriteStartObject();
                    EventEncoder.WriteAll(writer, interaction.AdditionalProperties);
                    writer.WriteEndObject();
                }

                break;
            case RealtimeApiInteraction realtime:
                // The body is the properties object itself (§A.8).
                writer.WritePropertyName("properties"u8);
                if (realtime.Body.ValueKind == JsonValueKind.Undefined)
                {
                    writer.WriteStartObject();
                    writer.WriteEndObject();
                }
                else if (realtime.Body.ValueKind != JsonValueKind.Object)
                {
                    throw new ArgumentException("A realtime_api body must be a JSON object.", nameof(interaction));
                }
                else
                {
                    realtime.Body.WriteTo(writer);
                }

                break;
            default:
                writer.WritePropertyName("properties"u8);
                writer.WriteStartObject();
                WriteProperties(writer, interaction);
                EventEncoder.WriteAll(writer, interaction.AdditionalProperties);
                writer.WriteEndObject();
                break;
        }

        writer.WriteEndObject();
    }

    private static string EventTypeOf(CviInteraction interaction, CviJsonWriteOptions options) => interaction switch
    {
        OverwriteContextInteraction when options.UseLegacyContextEventNames => CviEventTypes.LegacyOverwriteContext,
        AppendContextInteraction when options.UseLegacyContextEventNames => CviEventTypes.LegacyAppendContext,
        _ => interaction.EventType,
    };

    private static void WriteProperties(Utf8JsonWriter writer, CviInteraction interaction)
    {
        switch (interaction)
        {
            case EchoInteraction echo:
                // Modality is recommended always (§A.1): infer it when the caller left it out.
                var modality = echo.Modality ?? (echo.Audio is not null ? EchoModality.Audio : EchoModality.Text);
                writer.WriteString("modality"u8, modality.Value);
                EventEncoder.WriteIfNotNull(writer, "text"u8, echo.Text);
                EventEncoder.WriteIfNotNull(writer, "audio"u8, echo.Audio);
                if (echo.SampleRate is { } rate)
                {
                    writer.WriteNumber("sample_rate"u8, rate);
                }

                EventEncoder.WriteIfNotNull(writer, "inference_id"u8, echo.InferenceId);

                // Always a JSON boolean, never the legacy "true" string (§A.1).
                EventEncoder.WriteIfNotNull(writer, "done"u8, echo.Done);
                break;
            case RespondInteraction respond:
                EventEncoder.WriteIfNotNull(writer, "text"u8, respond.Text);
                break;
            case OverwriteContextInteraction overwrite:
                EventEncoder.WriteIfNotNull(writer, "context"u8, overwrite.Context);
                break;
            case AppendContextInteraction append:
                EventEncoder.WriteIfNotNull(writer, "context"u8, append.Context);
                EventEncoder.WriteIfNotNull(writer, "job_status"u8, append.JobStatus);
                break;
            case SensitivityInteraction sensitivity:
                if (sensitivity.PauseSensitivity is { } pause)
                {
                    writer.WriteString("participant_pause_sensitivity"u8, pause.Value);
                }

                if (sensitivity.InterruptSensitivity is { } interrupt)
                {
                    writer.WriteString("participant_interrupt_sensitivity"u8, interrupt.Value);
                }

                break;
            case ToolResultInteraction result:
                EventEncoder.WriteIfNotNull(writer, "tool_call_id"u8, result.ToolCallId);
                EventEncoder.WriteIfDefined(writer, "output"u8, result.Output);
                if (result.Status is { } status)
                {
                    writer.WriteString("status"u8, status.Value);
                }

                break;
        }
    }
}
