using System.Text;
using System.Text.Json;

namespace Tavus.Cvi.Interactions.Protocol;

// Decodes one event in one pass over the bytes, with no intermediate DOM. The envelope keys before event_type (in
// practice message_type) are read into the envelope as they come; event_type picks a reader specialised for that
// type (a generic over a struct body, so no allocation and no virtual call), which carries on from there and reads
// the rest, properties included, straight into the record. Only when properties come before event_type does a copy
// of the reader look ahead for it (event_type is not always the first key). Every per-message cost counts here: a
// short event is a few hundred nanoseconds in all.
internal static class EventDecoder
{
    private enum Kind
    {
        Unknown,
        Utterance,
        UtteranceStreaming,
        StartedSpeaking,
        StoppedSpeaking,
        ReplicaStartedSpeaking,
        ReplicaStoppedSpeaking,
        UserStartedSpeaking,
        UserStoppedSpeaking,
        ReplicaInterrupted,
        LegacyReplicaInterrupted,
        ToolCall,
        PerceptionToolCall,
        PerceptionAnalysis,
        ReplicaJoined,
        PalJoined,
        Shutdown,
    }

    public static CviEvent Decode(ReadOnlySpan<byte> utf8, CviJsonReadOptions options)
    {
        if (utf8.Length > options.MaxMessageBytes)
        {
            return new InvalidMessageEvent(
                InvalidMessageKind.TooLarge,
                $"The message is {utf8.Length} bytes, over the limit of {options.MaxMessageBytes}.",
                RawText(utf8, options.MaxRawTextChars));
        }

        if (WireReader.IsBlank(utf8))
        {
            return Invalid(InvalidMessageKind.NotJson, "The message is empty.", utf8, null);
        }

        string? eventType = null;
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = options.MaxDepth });
            if (!reader.Read())
            {
                return Invalid(InvalidMessageKind.NotJson, "The message is empty.", utf8, null);
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                // Tell "valid JSON but not an object" from "not JSON": read the value to its end.
                WireReader.SkipValue(ref reader);
                while (reader.Read())
                {
                }

                return Invalid(InvalidMessageKind.NotAnObject, "The message is JSON but not an object.", utf8, null);
            }

            var envelope = default(EventEnvelope);
            var kind = Kind.Unknown;
            var atProperties = false;
            while (true)
            {
                if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName)
                {
                    return Invalid(InvalidMessageKind.MissingEventType, "The message has no 'event_type'.", utf8, null);
                }

                var key = WireReader.Utf8Text(ref reader);
                if (key.SequenceEqual("event_type"u8))
                {
                    reader.Read();
                    if (!TryClassify(ref reader, out eventType, out kind, out var error))
                    {
                        return Invalid(InvalidMessageKind.MissingEventType, error, utf8, null);
                    }

                    break;
                }

                if (key.SequenceEqual("properties"u8))
                {
                    // The body's type is not known yet: find event_type further on, then read properties with it.
                    var peek = reader;
                    peek.Read();
                    WireReader.SkipValue(ref peek);
                    if (!TryPeekEventType(ref peek, out eventType, out kind, out var error))
                    {
                        return Invalid(InvalidMessageKind.MissingEventType, error, utf8, null);
                    }

                    atProperties = true;
                    break;
                }

                ReadEnvelopeFieldOrExtension(ref reader, key, ref envelope);
            }

            envelope.EventType = eventType;
            var result = ReadObject(ref reader, ref envelope, kind, utf8, atProperties);

            // Trailing content after the object ("{}x") is not JSON; Read throws on it.
            while (reader.Read())
            {
            }

            return result;
        }
        catch (Exception e) when (eventType is null && e is InvalidFieldException or ArgumentException)
        {
            // A wrong field before event_type: report what a reader that looked for event_type first would, a
            // missing event_type before the wrong field, and name the event type when there is one.
            return InvalidBeforeEventType(utf8, options, e.Message);
        }
        catch (InvalidFieldException e)
        {
            return Invalid(InvalidMessageKind.InvalidField, e.Message, utf8, eventType);
        }
        catch (JsonException e)
        {
            return Invalid(InvalidMessageKind.NotJson, "The message is not valid JSON: " + e.Message, utf8, eventType);
        }
        catch (InvalidOperationException e)
        {
            // Utf8JsonReader.GetString throws this for invalid UTF-8 inside a string.
            return Invalid(InvalidMessageKind.NotJson, "The message is not valid UTF-8 JSON: " + e.Message, utf8, eventType);
        }
        catch (ArgumentException e)
        {
            return Invalid(InvalidMessageKind.InvalidField, e.Message, utf8, eventType);
        }
    }

    private static InvalidMessageEvent InvalidBeforeEventType(ReadOnlySpan<byte> utf8, CviJsonReadOptions options, string fieldError)
    {
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = options.MaxDepth });
            reader.Read();
            return TryPeekEventType(ref reader, out var eventType, out _, out var error)
                ? Invalid(InvalidMessageKind.InvalidField, fieldError, utf8, eventType)
                : Invalid(InvalidMessageKind.MissingEventType, error, utf8, null);
        }
        catch (JsonException e)
        {
            return Invalid(InvalidMessageKind.NotJson, "The message is not valid JSON: " + e.Message, utf8, null);
        }
    }

    // For the JsonConverter path: the reader is on StartObject of a value inside a larger document, possibly in
    // segments, so it peeks event_type first and reads the object from its start. Errors throw.
    public static CviEvent Read(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException("A CVI event must be a JSON object.");
        }

        var peek = reader;
        if (!TryPeekEventType(ref peek, out var eventType, out var kind, out var error))
        {
            throw new JsonException(error);
        }

        var envelope = new EventEnvelope { EventType = eventType };
        return ReadObject(ref reader, ref envelope, kind, default, atProperties: false);
    }

    // The reader is on the value of event_type (or on the key "properties" when atProperties is set, or on the
    // object's start on the converter path); whole is the message, empty on the converter path.
    private static CviEvent ReadObject(ref Utf8JsonReader reader, ref EventEnvelope envelope, Kind kind, ReadOnlySpan<byte> whole, bool atProperties) => kind switch
    {
        Kind.Utterance => Read<UtteranceBody>(ref reader, ref envelope, whole, atProperties),
        Kind.UtteranceStreaming => Read<StreamingUtteranceBody>(ref reader, ref envelope, whole, atProperties),
        Kind.StartedSpeaking => Read<StartedSpeakingBody>(ref reader, ref envelope, whole, atProperties),
        Kind.StoppedSpeaking => Read<StoppedSpeakingBody>(ref reader, ref envelope, whole, atProperties),
        Kind.ReplicaStartedSpeaking => Read<EmptyBody<ReplicaStartedSpeakingEvent>>(ref reader, ref envelope, whole, atProperties),
        Kind.ReplicaStoppedSpeaking => Read<ReplicaStoppedSpeakingBody>(ref reader, ref envelope, whole, atProperties),
        Kind.UserStartedSpeaking => Read<EmptyBody<UserStartedSpeakingEvent>>(ref reader, ref envelope, whole, atProperties),
        Kind.UserStoppedSpeaking => Read<EmptyBody<UserStoppedSpeakingEvent>>(ref reader, ref envelope, whole, atProperties),
        Kind.ReplicaInterrupted or Kind.LegacyReplicaInterrupted => Read<EmptyBody<ReplicaInterruptedEvent>>(ref reader, ref envelope, whole, atProperties),
        Kind.ToolCall => Read<ToolCallBody>(ref reader, ref envelope, whole, atProperties),
        Kind.PerceptionToolCall => Read<PerceptionToolCallBody>(ref reader, ref envelope, whole, atProperties),
        Kind.PerceptionAnalysis => Read<PerceptionAnalysisBody>(ref reader, ref envelope, whole, atProperties),
        Kind.ReplicaJoined or Kind.PalJoined => Read<ReplicaJoinedBody>(ref reader, ref envelope, whole, atProperties),
        Kind.Shutdown => Read<ShutdownBody>(ref reader, ref envelope, whole, atProperties),
        _ => ReadUnknown(ref reader, ref envelope, whole, atProperties),
    };

    private static CviEvent ReadUnknown(ref Utf8JsonReader reader, ref EventEnvelope envelope, ReadOnlySpan<byte> whole, bool atProperties)
    {
        string raw;
        if (!whole.IsEmpty)
        {
            raw = Encoding.UTF8.GetString(whole).Trim();
        }
        else
        {
            // Converter path: the reader is still on the object's start.
            var copy = reader;
            using var document = JsonDocument.ParseValue(ref copy);
            raw = document.RootElement.GetRawText();
        }

        var body = new UnknownBody(envelope.EventType!, raw);
        return Read(ref reader, ref envelope, ref body, whole, atProperties);
    }

    private static CviEvent Read<TBody>(ref Utf8JsonReader reader, ref EventEnvelope envelope, ReadOnlySpan<byte> whole, bool atProperties)
        where TBody : struct, IEventBody
    {
        var body = default(TBody);
        return Read(ref reader, ref envelope, ref body, whole, atProperties);
    }

    private static CviEvent Read<TBody>(ref Utf8JsonReader reader, ref EventEnvelope envelope, ref TBody body, ReadOnlySpan<byte> whole, bool atProperties)
        where TBody : struct, IEventBody
    {
        string? innerInferenceId = null;
        if (atProperties)
        {
            ReadProperties(ref reader, ref envelope, ref body, whole, ref innerInferenceId);
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = WireReader.Utf8Text(ref reader);
            if (key.SequenceEqual("properties"u8))
            {
                ReadProperties(ref reader, ref envelope, ref body, whole, ref innerInferenceId);
            }
            else
            {
                ReadEnvelopeFieldOrExtension(ref reader, key, ref envelope);
            }
        }

        if (innerInferenceId is not null)
        {
            if (envelope.InferenceId is null)
            {
                envelope.InferenceId = innerInferenceId;
            }
            else if (!string.Equals(envelope.InferenceId, innerInferenceId, StringComparison.Ordinal))
            {
                // Two different ids: keep the inner one where it was rather than drop it.
                envelope.AddAdditionalProperty("inference_id", JsonSerializer.SerializeToElement(innerInferenceId, CviJsonContext.Default.String));
            }
        }

        var result = body.Build(ref envelope);
        result.SetEnvelope(envelope);
        return result;
    }

    // Reader on the key "properties".
    private static void ReadProperties<TBody>(ref Utf8JsonReader reader, ref EventEnvelope envelope, ref TBody body, ReadOnlySpan<byte> whole, ref string? innerInferenceId)
        where TBody : struct, IEventBody
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

        if (body.KeepsPropertiesRaw)
        {
            WireReader.SkipValue(ref reader);
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = WireReader.Utf8Text(ref reader);
            if (body.TryRead(ref reader, name, ref envelope, whole))
            {
                continue;
            }

            // tavus-skills puts inference_id inside properties (§B.3, §B.4); it belongs to the envelope.
            if (innerInferenceId is null && name.SequenceEqual("inference_id"u8))
            {
                reader.Read();
                innerInferenceId = WireReader.String(ref reader, "properties.inference_id");
                continue;
            }

            var unknownName = WireReader.PropertyName(ref reader);
            reader.Read();
            envelope.AddAdditionalProperty(unknownName, WireReader.Element(ref reader));
        }
    }

    private static void ReadEnvelopeFieldOrExtension(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> key, ref EventEnvelope envelope)
    {
        if (!TryReadEnvelopeField(ref reader, key, ref envelope))
        {
            var name = WireReader.PropertyName(ref reader);
            reader.Read();
            (envelope.ExtensionData ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal))[name] = WireReader.Element(ref reader);
        }
    }

    // Reader on a PropertyName; on a known envelope key, reads the value and returns true.
    private static bool TryReadEnvelopeField(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> key, ref EventEnvelope envelope)
    {
        if (key.SequenceEqual("event_type"u8))
        {
            // Already known (a repeated event_type is ignored, whatever its value).
            reader.Read();
            WireReader.SkipValue(ref reader);
            return true;
        }

        if (key.SequenceEqual("message_type"u8))
        {
            reader.Read();
            envelope.MessageType = WireReader.MessageType(ref reader);
            return true;
        }

        if (key.SequenceEqual("conversation_id"u8))
        {
            reader.Read();
            envelope.ConversationId = WireReader.String(ref reader, "conversation_id");
            return true;
        }

        if (key.SequenceEqual("inference_id"u8))
        {
            reader.Read();
            envelope.InferenceId = WireReader.String(ref reader, "inference_id");
            return true;
        }

        if (key.SequenceEqual("seq"u8))
        {
            reader.Read();
            envelope.Seq = WireReader.Int64(ref reader, "seq");
            return true;
        }

        if (key.SequenceEqual("turn_idx"u8))
        {
            reader.Read();
            envelope.TurnIndex = WireReader.Int32(ref reader, "turn_idx");
            return true;
        }

        if (key.SequenceEqual("timestamp"u8))
        {
            reader.Read();
            envelope.Timestamp = WireReader.Timestamp(ref reader, "timestamp");
            return true;
        }

        return false;
    }

    // Scans the top-level keys for event_type, skipping values; stops at the first one.
    private static bool TryPeekEventType(ref Utf8JsonReader reader, out string? eventType, out Kind kind, out string error)
    {
        eventType = null;
        kind = Kind.Unknown;
        error = string.Empty;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!WireReader.Utf8Text(ref reader).SequenceEqual("event_type"u8))
            {
                reader.Read();
                WireReader.SkipValue(ref reader);
                continue;
            }

            reader.Read();
            return TryClassify(ref reader, out eventType, out kind, out error);
        }

        error = "The message has no 'event_type'.";
        return false;
    }

    // Reader on the value of event_type.
    private static bool TryClassify(ref Utf8JsonReader reader, out string? eventType, out Kind kind, out string error)
    {
        eventType = null;
        kind = Kind.Unknown;
        error = string.Empty;
        if (reader.TokenType != JsonTokenType.String)
        {
            error = "The field 'event_type' must be a string.";
            return false;
        }

        (eventType, kind) = Classify(ref reader);
        if (eventType.Length == 0)
        {
            error = "The field 'event_type' is empty.";
            return false;
        }

        return true;
    }

    // Known names come back as their constants, so the common case allocates no string for event_type.
    private static (string Name, Kind Kind) Classify(ref Utf8JsonReader reader)
    {
        var value = WireReader.Utf8Text(ref reader);
        foreach (var (utf8, name, kind) in KnownTypes)
        {
            if (value.SequenceEqual(utf8))
            {
                return (name, kind);
            }
        }

        return (reader.GetString()!, Kind.Unknown);
    }

    private static readonly (byte[] Utf8, string Name, Kind Kind)[] KnownTypes =
    [
        // Most frequent first: streaming utterances and speaking events dominate a live call.
        Entry(CviEventTypes.UtteranceStreaming, Kind.UtteranceStreaming),
        Entry(CviEventTypes.Utterance, Kind.Utterance),
        Entry(CviEventTypes.StartedSpeaking, Kind.StartedSpeaking),
        Entry(CviEventTypes.StoppedSpeaking, Kind.StoppedSpeaking),
        Entry(CviEventTypes.ReplicaStartedSpeaking, Kind.ReplicaStartedSpeaking),
        Entry(CviEventTypes.ReplicaStoppedSpeaking, Kind.ReplicaStoppedSpeaking),
        Entry(CviEventTypes.UserStartedSpeaking, Kind.UserStartedSpeaking),
        Entry(CviEventTypes.UserStoppedSpeaking, Kind.UserStoppedSpeaking),
        Entry(CviEventTypes.ToolCall, Kind.ToolCall),
        Entry(CviEventTypes.PerceptionToolCall, Kind.PerceptionToolCall),
        Entry(CviEventTypes.PerceptionAnalysis, Kind.PerceptionAnalysis),
        Entry(CviEventTypes.ReplicaInterrupted, Kind.ReplicaInterrupted),
        Entry(CviEventTypes.LegacyReplicaInterrupted, Kind.LegacyReplicaInterrupted),
        Entry(CviEventTypes.ReplicaJoined, Kind.ReplicaJoined),
        Entry(CviEventTypes.PalJoined, Kind.PalJoined),
        Entry(CviEventTypes.Shutdown, Kind.Shutdown),
    ];

    private static (byte[], string, Kind) Entry(string name, Kind kind) => (Encoding.UTF8.GetBytes(name), name, kind);

    private static InvalidMessageEvent Invalid(InvalidMessageKind kind, string reason, ReadOnlySpan<byte> utf8, string? eventType) =>
        new(kind, reason, RawText(utf8, int.MaxValue), eventType);

    private static string RawText(ReadOnlySpan<byte> utf8, int maxChars)
    {
        // Invalid UTF-8 becomes U+FFFD: the text is for diagnostics, never re-parsed.
        var maxBytes = maxChars >= int.MaxValue / 4 ? utf8.Length : Math.Min(utf8.Length, maxChars * 3);
        var text = Encoding.UTF8.GetString(utf8[..maxBytes]);
        return text.Length > maxChars ? text[..maxChars] : text;
    }
}
