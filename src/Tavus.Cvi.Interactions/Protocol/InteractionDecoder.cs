using System.Text;
using System.Text.Json;

namespace Tavus.Cvi.Interactions.Protocol;

// Reads what a client sent (the emulator's side), as liberally as EventDecoder reads events: legacy names
// (§A.4, §A.5), "done" as a string (§A.1), modality "speech" (§A.1), overwrite context in properties.text (§A.4).
internal static class InteractionDecoder
{
    public static bool TryDecode(ReadOnlySpan<byte> utf8, CviJsonReadOptions options, out CviInteraction? interaction, out string? error)
    {
        interaction = null;
        error = null;
        if (utf8.Length > options.MaxMessageBytes)
        {
            error = $"The message is {utf8.Length} bytes, over the limit of {options.MaxMessageBytes}.";
            return false;
        }

        if (utf8.Trim(" \t\r\n"u8).IsEmpty)
        {
            error = "The message is empty: not JSON.";
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = options.MaxDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "The message is not a JSON object.";
                return false;
            }

            interaction = ReadObject(ref reader, utf8);
            while (reader.Read())
            {
            }

            return true;
        }
        catch (JsonException e)
        {
            // Includes InvalidFieldException, whose message names the field.
            error = e is InvalidFieldException ? e.Message : "The message is not valid JSON: " + e.Message;
        }
        catch (InvalidOperationException e)
        {
            error = "The message is not valid UTF-8 JSON: " + e.Message;
        }
        catch (ArgumentException e)
        {
            error = e.Message;
        }

        interaction = null;
        return false;
    }

    public static CviInteraction ReadObject(ref Utf8JsonReader reader, ReadOnlySpan<byte> whole)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("An interaction must be a JSON object.");
        }

        var peek = reader;
        var eventType = PeekEventType(ref peek);
        switch (eventType)
        {
            case CviEventTypes.Echo:
                return Read<EchoBody>(ref reader);
            case CviEventTypes.Respond:
                return Read<RespondBody>(ref reader);
            case CviEventTypes.Interrupt:
                return Read<InterruptBody>(ref reader);
            case CviEventTypes.OverwriteLlmContext:
            case CviEventTypes.LegacyOverwriteContext:
                return Read<OverwriteBody>(ref reader);
            case CviEventTypes.AppendLlmContext:
            case CviEventTypes.LegacyAppendContext:
                return Read<AppendBody>(ref reader);
            case CviEventTypes.Sensitivity:
                return Read<SensitivityBody>(ref reader);
            case CviEventTypes.ToolResult:
                return Read<ToolResultBody>(ref reader);
            case CviEventTypes.RealtimeApi:
                return Read<RealtimeBody>(ref reader);
            default:
                string raw;
                if (!whole.IsEmpty)
                {
                    raw = Encoding.UTF8.GetString(whole).Trim();
                }
                else
                {
                    var copy = reader;
                    using var document = JsonDocument.ParseValue(ref copy);
                    raw = document.RootElement.GetRawText();
                }

                var conversationId = Read<InterruptBody>(ref reader).ConversationId;
                return new UnknownInteraction(eventType, raw) { ConversationId = conversationId };
        }
    }

    private static string PeekEventType(ref Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!WireReader.Utf8Text(ref reader).SequenceEqual("event_type"u8))
            {
                reader.Read();
                WireReader.SkipValue(ref reader);
                continue;
            }

            reader.Read();
            var value = WireReader.String(ref reader, "event_type");
            if (string.IsNullOrEmpty(value))
            {
                throw new InvalidFieldException("The field 'event_type' is empty.");
            }

            return value;
        }

        throw new InvalidFieldException("The message has no 'event_type'.");
    }

    private static CviInteraction Read<TBody>(ref Utf8JsonReader reader)
        where TBody : struct, IInteractionBody
    {
        var body = default(TBody);
        string? conversationId = null;
        Dictionary<string, JsonElement>? additional = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = WireReader.Utf8Text(ref reader);
            if (key.SequenceEqual("conversation_id"u8))
            {
                reader.Read();
                conversationId = WireReader.String(ref reader, "conversation_id");
            }
            else if (key.SequenceEqual("properties"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    throw InvalidFieldException.WrongType("properties", "an object", reader.TokenType);
                }

                if (body.TakesWholeProperties(ref reader))
                {
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (body.TryRead(ref reader, WireReader.Utf8Text(ref reader)))
                    {
                        continue;
                    }

                    var name = WireReader.PropertyName(ref reader);
                    reader.Read();
                    (additional ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal))[name] = WireReader.Element(ref reader);
                }
            }
            else if (key.SequenceEqual("message_type"u8) || key.SequenceEqual("event_type"u8))
            {
                // event_type was peeked; message_type is always "conversation" for interactions.
                reader.Read();
                WireReader.SkipValue(ref reader);
            }
            else
            {
                // Clients send only the four envelope keys (§0.1); anything else at the top level is ignored.
                reader.Read();
                WireReader.SkipValue(ref reader);
            }
        }

        return body.Build(conversationId, additional);
    }

    private interface IInteractionBody
    {
        bool TakesWholeProperties(ref Utf8JsonReader reader);

        bool TryRead(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name);

        CviInteraction Build(string? conversationId, Dictionary<string, JsonElement>? additional);
    }

    private struct EchoBody : IInteractionBody
    {
        private EchoModality? _modality;
        private string? _text;
        private string? _audio;
        private int? _sampleRate;
        private string? _inferenceId;
        private bool? _done;

        public readonly bool TakesWholeProperties(ref Utf8JsonReader reader) => false;

        public bool TryRead(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name)
        {
            if (name.SequenceEqual("modality"u8))
            {
                reader.Read();
                _modality = WireReader.EchoModality(ref reader, "properties.modality");
            }
            else if (name.SequenceEqual("text"u8))
            {
                reader.Read();
                _text = WireReader.String(ref reader, "properties.text");
            }
            else if (name.SequenceEqual("audio"u8))
            {
                reader.Read();
                _audio = WireReader.String(ref reader, "properties.audio");
            }
            else if (name.SequenceEqual("sample_rate"u8))
            {
                reader.Read();
                _sampleRate = WireReader.Int32(ref reader, "properties.sample_rate");
            }
            else if (name.SequenceEqual("inference_id"u8))
            {
                reader.Read();
                _inferenceId = WireReader.String(ref reader, "properties.inference_id");
            }
            else if (name.SequenceEqual("done"u8))
            {
                reader.Read();
                _done = WireReader.Boolean(ref reader, "properties.done");
            }
            else
            {
                return false;
            }

            return true;
        }

        public readonly CviInteraction Build(string? conversationId, Dictionary<string, JsonElement>? additional) => new EchoInteraction
        {
            ConversationId = conversationId,
            AdditionalProperties = additional,
            Modality = _modality,
            Text = _text,
            Audio = _audio,
            SampleRate = _sampleRate,
            InferenceId = _inferenceId,
            Done = _done,
        };
    }

    private struct RespondBody : IInteractionBody
    {
        private string? _text;

        public readonly bool TakesWholeProperties(ref Utf8JsonReader reader) => false;

        public bool TryRead(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name)
        {
            if (!name.SequenceEqual("text"u8))
            {
                return false;
            }

            reader.Read();
            _text = WireReader.String(ref reader, "properties.text");
            return true;
        }

        public readonly CviInteraction Build(string? conversationId, Dictionary<string, JsonElement>? additional) =>
            new RespondInteraction { ConversationId = conversationId, AdditionalProperties = additional, Text = _text };
    }

    private struct InterruptBody : IInteractionBody
    {
        public readonly bool TakesWholeProperties(ref Utf8JsonReader reader) => false;

        public readonly bool TryRead(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name) => false;

        public readonly CviInteraction Build(string? conversationId, Dictionary<string, JsonElement>? additional) =>
            new InterruptInteraction { ConversationId = conversationId, AdditionalProperties = additional };
    }

    private struct OverwriteBody : IInteractionBody
    {
        private string? _context;
        private string? _text;

        public readonly bool TakesWholeProperties(ref Utf8JsonReader reader) => false;

        public bool TryRead(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name)
        {
            if (name.SequenceEqual("context"u8))
            {
                reader.Read();
                _context = WireReader.String(ref reader, "properties.context");
                return true;
            }

            if (name.SequenceEqual("text"u8))
            {
                // The interactions playground sends the new context as properties.text (§A.4).
                reader.Read();
                _text = WireReader.String(ref reader, "properties.text");
                return true;
            }

            return false;
        }

        public readonly CviInteraction Build(string? conversationId, Dictionary<string, JsonElement>? additional)
        {
            if (_context is not null && _text is not null)
            {
                (additional ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal))["text"] =
                    JsonSerializer.SerializeToElement(_text, CviJsonContext.Default.String);
            }

            return new OverwriteContextInteraction { ConversationId = conversationId, AdditionalProperties = additional, Context = _context ?? _text };
        }
    }

    private struct AppendBody : IInteractionBody
    {
        private string? _context;
        private string? _jobStatus;

        public readonly bool TakesWholeProperties(ref Utf8JsonReader reader) => false;

        public bool TryRead(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name)
        {
            if (name.SequenceEqual("context"u8))
            {
                reader.Read();
                _context = WireReader.String(ref reader, "properties.context");
            }
            else if (name.SequenceEqual("job_status"u8))
            {
                reader.Read();
                _jobStatus = WireReader.String(ref reader, "properties.job_status");
            }
            else
            {
                return false;
            }

            return true;
        }

        public readonly CviInteraction Build(string? conversationId, Dictionary<string, JsonElement>? additional) =>
            new AppendContextInteraction { ConversationId = conversationId, AdditionalProperties = additional, Context = _context, JobStatus = _jobStatus };
    }

    private struct SensitivityBody : IInteractionBody
    {
        private Sensitivity? _pause;
        private Sensitivity? _interrupt;

        public readonly bool TakesWholeProperties(ref Utf8JsonReader reader) => false;

        public bool TryRead(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name)
        {
            if (name.SequenceEqual("participant_pause_sensitivity"u8))
            {
                reader.Read();
                _pause = WireReader.Sensitivity(ref reader, "properties.participant_pause_sensitivity");
            }
            else if (name.SequenceEqual("participant_interrupt_sensitivity"u8))
            {
                reader.Read();
                _interrupt = WireReader.Sensitivity(ref reader, "properties.participant_interrupt_sensitivity");
            }
            else
            {
                return false;
            }

            return true;
        }

        public readonly CviInteraction Build(string? conversationId, Dictionary<string, JsonElement>? additional) =>
            new SensitivityInteraction { ConversationId = conversationId, AdditionalProperties = additional, PauseSensitivity = _pause, InterruptSensitivity = _interrupt };
    }

    private struct ToolResultBody : IInteractionBody
    {
        private string? _toolCallId;
        private JsonElement _output;
        private ToolResultStatus? _status;

        public readonly bool TakesWholeProperties(ref Utf8JsonReader reader) => false;

        public bool TryRead(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name)
        {
            if (name.SequenceEqual("tool_call_id"u8))
            {
                reader.Read();
                _toolCallId = WireReader.String(ref reader, "properties.tool_call_id");
            }
            else if (name.SequenceEqual("output"u8))
            {
                reader.Read();
                _output = WireReader.Element(ref reader);
            }
            else if (name.SequenceEqual("status"u8))
            {
                reader.Read();
                _status = WireReader.ToolResultStatus(ref reader, "properties.status");
            }
            else
            {
                return false;
            }

            return true;
        }

        public readonly CviInteraction Build(string? conversationId, Dictionary<string, JsonElement>? additional) =>
            new ToolResultInteraction { ConversationId = conversationId, AdditionalProperties = additional, ToolCallId = _toolCallId, Output = _output, Status = _status };
    }

    private struct RealtimeBody : IInteractionBody
    {
        private JsonElement _body;

        public bool TakesWholeProperties(ref Utf8JsonReader reader)
        {
            _body = WireReader.Element(ref reader);
            return true;
        }

        public readonly bool TryRead(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name) => false;

        public readonly CviInteraction Build(string? conversationId, Dictionary<string, JsonElement>? additional) =>
            new RealtimeApiInteraction { ConversationId = conversationId, Body = _body };
    }
}
