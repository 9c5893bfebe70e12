using System.Text;
using System.Text.Json;

namespace Tavus.Cvi.Interactions.Protocol;

// Reads what a client sent (the emulator's side), as liberally as EventDecoder reads events: legacy names
// (§A.4, §A.5), "done" as a string (§A.1), modality "speech" (§A.1), overwrite context in properties.text (§A.4).
// Like EventDecoder it reads in one pass: keys before event_type are taken as they come, event_type is matched as
// bytes against the known names (no string), and a reader specialised for the type carries on from there.
internal static class InteractionDecoder
{
    private enum Kind
    {
        Unknown,
        Echo,
        Respond,
        Interrupt,
        Overwrite,
        Append,
        Sensitivity,
        ToolResult,
        Realtime,
    }

    public static bool TryDecode(ReadOnlySpan<byte> utf8, CviJsonReadOptions options, out CviInteraction? interaction, out string? error)
    {
        interaction = null;
        error = null;
        if (utf8.Length > options.MaxMessageBytes)
        {
            error = $"The message is {utf8.Length} bytes, over the limit of {options.MaxMessageBytes}.";
            return false;
        }

        if (WireReader.IsBlank(utf8))
        {
            error = "The message is empty: not JSON.";
            return false;
        }

        var typeKnown = false;
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = options.MaxDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "The message is not a JSON object.";
                return false;
            }

            string? conversationId = null;
            string eventType;
            Kind kind;
            var atProperties = false;
            while (true)
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName)
                {
                    throw new InvalidFieldException("The message has no 'event_type'.");
                }

                var key = WireReader.Utf8Text(ref reader);
                if (key.SequenceEqual("event_type"u8))
                {
                    reader.Read();
                    (eventType, kind) = Classify(ref reader);
                    break;
                }

                if (key.SequenceEqual("properties"u8))
                {
                    // The body's type is not known yet: find event_type further on, then read properties with it.
                    var peek = reader;
                    peek.Read();
                    WireReader.SkipValue(ref peek);
                    (eventType, kind) = PeekEventType(ref peek);
                    atProperties = true;
                    break;
                }

                if (key.SequenceEqual("conversation_id"u8))
                {
                    reader.Read();
                    conversationId = WireReader.String(ref reader, "conversation_id");
                }
                else
                {
                    // message_type is always "conversation" for interactions, and clients send only the four envelope
                    // keys (§0.1): anything else at the top level is ignored.
                    reader.Read();
                    WireReader.SkipValue(ref reader);
                }
            }

            typeKnown = true;
            interaction = ReadObject(ref reader, eventType, kind, conversationId, utf8, atProperties);
            while (reader.Read())
            {
            }

            return true;
        }
        catch (InvalidFieldException e) when (!typeKnown)
        {
            // A wrong field before event_type: report what a reader that looked for event_type first would.
            error = ErrorBeforeEventType(utf8, options, e.Message);
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

    private static string ErrorBeforeEventType(ReadOnlySpan<byte> utf8, CviJsonReadOptions options, string fieldError)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = options.MaxDepth });
            reader.Read();
            PeekEventType(ref reader);
            return fieldError;
        }
        catch (JsonException e)
        {
            return e is InvalidFieldException ? e.Message : "The message is not valid JSON: " + e.Message;
        }
    }

    // For the JsonConverter path: the reader is on StartObject of a value inside a larger document, possibly in
    // segments, so it peeks event_type first and reads the object from its start. Errors throw.
    public static CviInteraction ReadObject(ref Utf8JsonReader reader, ReadOnlySpan<byte> whole)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("An interaction must be a JSON object.");
        }

        var peek = reader;
        var (eventType, kind) = PeekEventType(ref peek);
        return ReadObject(ref reader, eventType, kind, null, whole, atProperties: false);
    }

    // The reader is on the value of event_type, on the key "properties" when atProperties is set, or on the object's
    // start (converter path, whole empty).
    private static CviInteraction ReadObject(ref Utf8JsonReader reader, string eventType, Kind kind, string? conversationId, ReadOnlySpan<byte> whole, bool atProperties)
    {
        switch (kind)
        {
            case Kind.Echo:
                return Read<EchoBody>(ref reader, conversationId, whole, atProperties);
            case Kind.Respond:
                return Read<RespondBody>(ref reader, conversationId, whole, atProperties);
            case Kind.Interrupt:
                return Read<InterruptBody>(ref reader, conversationId, whole, atProperties);
            case Kind.Overwrite:
                return Read<OverwriteBody>(ref reader, conversationId, whole, atProperties);
            case Kind.Append:
                return Read<AppendBody>(ref reader, conversationId, whole, atProperties);
            case Kind.Sensitivity:
                return Read<SensitivityBody>(ref reader, conversationId, whole, atProperties);
            case Kind.ToolResult:
                return Read<ToolResultBody>(ref reader, conversationId, whole, atProperties);
            case Kind.Realtime:
                return Read<RealtimeBody>(ref reader, conversationId, whole, atProperties);
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

                conversationId = Read<InterruptBody>(ref reader, conversationId, whole, atProperties).ConversationId;
                return new UnknownInteraction(eventType, raw) { ConversationId = conversationId };
        }
    }

    private static (string EventType, Kind Kind) PeekEventType(ref Utf8JsonReader reader)
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
            return Classify(ref reader);
        }

        throw new InvalidFieldException("The message has no 'event_type'.");
    }

    // Reader on the value of event_type. Known names come back as their constants, so reading one allocates nothing.
    private static (string EventType, Kind Kind) Classify(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            var value = WireReader.Utf8Text(ref reader);
            foreach (var (utf8, name, kind) in KnownTypes)
            {
                if (value.SequenceEqual(utf8))
                {
                    return (name, kind);
                }
            }
        }

        var text = WireReader.String(ref reader, "event_type");
        if (string.IsNullOrEmpty(text))
        {
            throw new InvalidFieldException("The field 'event_type' is empty.");
        }

        return (text, Kind.Unknown);
    }

    private static readonly (byte[] Utf8, string Name, Kind Kind)[] KnownTypes =
    [
        // Most frequent first: audio echo chunks dominate what a client sends.
        Entry(CviEventTypes.Echo, Kind.Echo),
        Entry(CviEventTypes.Respond, Kind.Respond),
        Entry(CviEventTypes.Interrupt, Kind.Interrupt),
        Entry(CviEventTypes.AppendLlmContext, Kind.Append),
        Entry(CviEventTypes.OverwriteLlmContext, Kind.Overwrite),
        Entry(CviEventTypes.ToolResult, Kind.ToolResult),
        Entry(CviEventTypes.Sensitivity, Kind.Sensitivity),
        Entry(CviEventTypes.LegacyAppendContext, Kind.Append),
        Entry(CviEventTypes.LegacyOverwriteContext, Kind.Overwrite),
        Entry(CviEventTypes.RealtimeApi, Kind.Realtime),
    ];

    private static (byte[], string, Kind) Entry(string name, Kind kind) => (Encoding.UTF8.GetBytes(name), name, kind);

    private static CviInteraction Read<TBody>(ref Utf8JsonReader reader, string? conversationId, ReadOnlySpan<byte> whole, bool atProperties)
        where TBody : struct, IInteractionBody
    {
        var body = default(TBody);
        Dictionary<string, JsonElement>? additional = null;
        if (atProperties)
        {
            ReadProperties(ref reader, ref body, whole, ref additional);
        }

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
                ReadProperties(ref reader, ref body, whole, ref additional);
            }
            else
            {
                // event_type is known; message_type is always "conversation" for interactions; clients send only
                // the four envelope keys (§0.1), so anything else at the top level is ignored.
                reader.Read();
                WireReader.SkipValue(ref reader);
            }
        }

        return body.Build(conversationId, additional);
    }

    // Reader on the key "properties".
    private static void ReadProperties<TBody>(ref Utf8JsonReader reader, ref TBody body, ReadOnlySpan<byte> whole, ref Dictionary<string, JsonElement>? additional)
        where TBody : struct, IInteractionBody
    {
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw InvalidFieldException.WrongType("properties", "an object", reader.TokenType);
        }

        if (body.TakesWholeProperties(ref reader, whole))
        {
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (body.TryRead(ref reader, WireReader.Utf8Text(ref reader), whole))
            {
                continue;
            }

            var name = WireReader.PropertyName(ref reader);
            reader.Read();
            (additional ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal))[name] = WireReader.Element(ref reader);
        }
    }

    private interface IInteractionBody
    {
        bool TakesWholeProperties(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> whole);

        bool TryRead(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name, scoped ReadOnlySpan<byte> whole);

        CviInteraction Build(string? conversationId, Dictionary<string, JsonElement>? additional);
    }

    private struct EchoBody : IInteractionBody
    {
        private EchoModality? _modality;
        private string? _text;
        private string? _audio;
        private byte[]? _audioUtf8;
        private int? _sampleRate;
        private string? _inferenceId;
        private bool? _done;

        public readonly bool TakesWholeProperties(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> whole) => false;

        public bool TryRead(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name, scoped ReadOnlySpan<byte> whole)
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
                // Base64 is ASCII: keep its bytes and let EchoInteraction make the string when asked. Anything
                // escaped or not ASCII (never seen) is read as a string at once.
                reader.Read();
                if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && !reader.HasValueSequence && Ascii.IsValid(reader.ValueSpan))
                {
                    // Every byte is overwritten at once, so the array need not be zeroed first (6.4 KB a chunk).
                    var value = reader.ValueSpan;
                    _audioUtf8 = GC.AllocateUninitializedArray<byte>(value.Length);
                    value.CopyTo(_audioUtf8);
                    _audio = null;
                }
                else
                {
                    _audio = WireReader.String(ref reader, "properties.audio");
                    _audioUtf8 = null;
                }
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
            AudioUtf8 = _audioUtf8,
            SampleRate = _sampleRate,
            InferenceId = _inferenceId,
            Done = _done,
        };
    }

    private struct RespondBody : IInteractionBody
    {
        private string? _text;

        public readonly bool TakesWholeProperties(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> whole) => false;

        public bool TryRead(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name, scoped ReadOnlySpan<byte> whole)
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
        public readonly bool TakesWholeProperties(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> whole) => false;

        public readonly bool TryRead(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name, scoped ReadOnlySpan<byte> whole) => false;

        public readonly CviInteraction Build(string? conversationId, Dictionary<string, JsonElement>? additional) =>
            new InterruptInteraction { ConversationId = conversationId, AdditionalProperties = additional };
    }

    private struct OverwriteBody : IInteractionBody
    {
        private string? _context;
        private string? _text;

        public readonly bool TakesWholeProperties(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> whole) => false;

        public bool TryRead(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name, scoped ReadOnlySpan<byte> whole)
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

        public readonly bool TakesWholeProperties(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> whole) => false;

        public bool TryRead(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name, scoped ReadOnlySpan<byte> whole)
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

        public readonly bool TakesWholeProperties(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> whole) => false;

        public bool TryRead(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name, scoped ReadOnlySpan<byte> whole)
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
        private LazyJsonElement _output;
        private ToolResultStatus? _status;

        public readonly bool TakesWholeProperties(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> whole) => false;

        public bool TryRead(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name, scoped ReadOnlySpan<byte> whole)
        {
            if (name.SequenceEqual("tool_call_id"u8))
            {
                reader.Read();
                _toolCallId = WireReader.String(ref reader, "properties.tool_call_id");
            }
            else if (name.SequenceEqual("output"u8))
            {
                reader.Read();
                _output = WireReader.LazyElement(ref reader, whole);
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
            new ToolResultInteraction { ConversationId = conversationId, AdditionalProperties = additional, ToolCallId = _toolCallId, OutputValue = _output, Status = _status };
    }

    private struct RealtimeBody : IInteractionBody
    {
        private LazyJsonElement _body;

        public bool TakesWholeProperties(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> whole)
        {
            _body = WireReader.LazyElement(ref reader, whole);
            return true;
        }

        public readonly bool TryRead(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name, scoped ReadOnlySpan<byte> whole) => false;

        public readonly CviInteraction Build(string? conversationId, Dictionary<string, JsonElement>? additional) =>
            new RealtimeApiInteraction { ConversationId = conversationId, BodyValue = _body };
    }
}
