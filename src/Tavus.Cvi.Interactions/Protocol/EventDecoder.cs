using System.Text;
using System.Text.Json;

namespace Tavus.Cvi.Interactions.Protocol;

// Decodes one event in two passes over the bytes, with no intermediate DOM: a copy of the reader peeks event_type
// (it is not always the first key), then a reader specialised for that type (a generic over a struct body, so no
// allocation and no virtual call) reads the envelope and properties in wire order, straight into the record.
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

        if (utf8.Trim(" \t\r\n"u8).IsEmpty)
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

            var peek = reader;
            if (!TryPeekEventType(ref peek, out eventType, out var kind, out var peekError))
            {
                return Invalid(InvalidMessageKind.MissingEventType, peekError, utf8, null);
            }

            var result = ReadObject(ref reader, eventType!, kind, utf8);

            // Trailing content after the object ("{}x") is not JSON; Read throws on it.
            while (reader.Read())
            {
            }

            return result;
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

    // For the JsonConverter path: the reader is on StartObject of a value inside a larger document. Errors throw.
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

        return ReadObject(ref reader, eventType!, kind, default);
    }

    private static CviEvent ReadObject(ref Utf8JsonReader reader, string eventType, Kind kind, ReadOnlySpan<byte> whole) => kind switch
    {
        Kind.Utterance => Read<UtteranceBody>(ref reader, eventType),
        Kind.UtteranceStreaming => Read<StreamingUtteranceBody>(ref reader, eventType),
        Kind.StartedSpeaking => Read<StartedSpeakingBody>(ref reader, eventType),
        Kind.StoppedSpeaking => Read<StoppedSpeakingBody>(ref reader, eventType),
        Kind.ReplicaStartedSpeaking => Read<EmptyBody<ReplicaStartedSpeakingEvent>>(ref reader, eventType),
        Kind.ReplicaStoppedSpeaking => Read<ReplicaStoppedSpeakingBody>(ref reader, eventType),
        Kind.UserStartedSpeaking => Read<EmptyBody<UserStartedSpeakingEvent>>(ref reader, eventType),
        Kind.UserStoppedSpeaking => Read<EmptyBody<UserStoppedSpeakingEvent>>(ref reader, eventType),
        Kind.ReplicaInterrupted or Kind.LegacyReplicaInterrupted => Read<EmptyBody<ReplicaInterruptedEvent>>(ref reader, eventType),
        Kind.ToolCall => Read<ToolCallBody>(ref reader, eventType),
        Kind.PerceptionToolCall => Read<PerceptionToolCallBody>(ref reader, eventType),
        Kind.PerceptionAnalysis => Read<PerceptionAnalysisBody>(ref reader, eventType),
        Kind.ReplicaJoined or Kind.PalJoined => Read<ReplicaJoinedBody>(ref reader, eventType),
        Kind.Shutdown => Read<ShutdownBody>(ref reader, eventType),
        _ => ReadUnknown(ref reader, eventType, whole),
    };

    private static CviEvent ReadUnknown(ref Utf8JsonReader reader, string eventType, ReadOnlySpan<byte> whole)
    {
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

        var body = new UnknownBody(eventType, raw);
        return Read(ref reader, eventType, ref body);
    }

    private static CviEvent Read<TBody>(ref Utf8JsonReader reader, string eventType)
        where TBody : struct, IEventBody
    {
        var body = default(TBody);
        return Read(ref reader, eventType, ref body);
    }

    private static CviEvent Read<TBody>(ref Utf8JsonReader reader, string eventType, ref TBody body)
        where TBody : struct, IEventBody
    {
        var envelope = new EventEnvelope { EventType = eventType };
        string? innerInferenceId = null;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var key = WireReader.Utf8Text(ref reader);
            if (key.SequenceEqual("properties"u8))
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

                if (body.KeepsPropertiesRaw)
                {
                    WireReader.SkipValue(ref reader);
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var name = WireReader.Utf8Text(ref reader);
                    if (body.TryRead(ref reader, name, ref envelope))
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

                continue;
            }

            if (!TryReadEnvelopeField(ref reader, key, ref envelope))
            {
                var name = WireReader.PropertyName(ref reader);
                reader.Read();
                (envelope.ExtensionData ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal))[name] = WireReader.Element(ref reader);
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

    // Reader on a PropertyName; on a known envelope key, reads the value and returns true.
    private static bool TryReadEnvelopeField(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> key, ref EventEnvelope envelope)
    {
        if (key.SequenceEqual("event_type"u8))
        {
            // Already known from the peek; the value was checked to be a string there.
            reader.Read();
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

        error = "The message has no 'event_type'.";
        return false;
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
