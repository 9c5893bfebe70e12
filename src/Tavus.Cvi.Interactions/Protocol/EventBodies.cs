using System.Text.Json;

namespace Tavus.Cvi.Interactions.Protocol;

// The properties of one event type while it is being decoded. TryRead is called with the reader on a key of
// "properties" (and that key as unescaped UTF-8): for a key it models, it reads the value and returns true. whole is
// the message the reader runs over (empty on the JsonConverter path), for values kept as raw text. Build makes the
// record.
internal interface IEventBody
{
    bool KeepsPropertiesRaw { get; }

    bool TryRead(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name, ref EventEnvelope envelope, scoped ReadOnlySpan<byte> whole);

    CviEvent Build(ref EventEnvelope envelope);
}

internal struct EmptyBody<TEvent> : IEventBody
    where TEvent : CviEvent, new()
{
    public readonly bool KeepsPropertiesRaw => false;

    public readonly bool TryRead(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name, ref EventEnvelope envelope, scoped ReadOnlySpan<byte> whole) => false;

    public readonly CviEvent Build(ref EventEnvelope envelope) => new TEvent();
}

internal readonly struct UnknownBody(string eventType, string rawJson) : IEventBody
{
    // RawJson already holds the properties; splitting them into elements too would only cost.
    public bool KeepsPropertiesRaw => true;

    public bool TryRead(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name, ref EventEnvelope envelope, scoped ReadOnlySpan<byte> whole) => false;

    public CviEvent Build(ref EventEnvelope envelope) => new UnknownEvent(eventType, rawJson);
}

internal struct UtteranceBody : IEventBody
{
    private ParticipantRole? _role;
    private string? _speech;
    private string? _content;
    private string? _visualContext;
    private string? _userAudioAnalysis;
    private string? _userVisualAnalysis;
    private bool? _interrupted;

    public readonly bool KeepsPropertiesRaw => false;

    public bool TryRead(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name, ref EventEnvelope envelope, scoped ReadOnlySpan<byte> whole)
    {
        if (name.SequenceEqual("role"u8))
        {
            reader.Read();
            _role = WireReader.Role(ref reader, "properties.role");
        }
        else if (name.SequenceEqual("speech"u8))
        {
            reader.Read();
            _speech = WireReader.String(ref reader, "properties.speech");
        }
        else if (name.SequenceEqual("content"u8))
        {
            // tavus-skills names the text "content" (§B.1).
            reader.Read();
            _content = WireReader.String(ref reader, "properties.content");
        }
        else if (name.SequenceEqual("visual_context"u8))
        {
            reader.Read();
            _visualContext = WireReader.String(ref reader, "properties.visual_context");
        }
        else if (name.SequenceEqual("user_audio_analysis"u8))
        {
            reader.Read();
            _userAudioAnalysis = WireReader.String(ref reader, "properties.user_audio_analysis");
        }
        else if (name.SequenceEqual("user_visual_analysis"u8))
        {
            reader.Read();
            _userVisualAnalysis = WireReader.String(ref reader, "properties.user_visual_analysis");
        }
        else if (name.SequenceEqual("interrupted"u8))
        {
            reader.Read();
            _interrupted = WireReader.Boolean(ref reader, "properties.interrupted");
        }
        else
        {
            return false;
        }

        return true;
    }

    public readonly CviEvent Build(ref EventEnvelope envelope)
    {
        BodyHelpers.KeepLoser(ref envelope, "content", _speech, _content);
        return new UtteranceEvent
        {
            Role = _role,
            Speech = _speech ?? _content,
            VisualContext = _visualContext,
            UserAudioAnalysis = _userAudioAnalysis,
            UserVisualAnalysis = _userVisualAnalysis,
            Interrupted = _interrupted,
        };
    }
}

internal struct StreamingUtteranceBody : IEventBody
{
    private ParticipantRole? _role;
    private string? _speech;
    private string? _content;
    private int? _contentIndex;
    private bool? _final;
    private bool? _isInterrupted;

    public readonly bool KeepsPropertiesRaw => false;

    public bool TryRead(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name, ref EventEnvelope envelope, scoped ReadOnlySpan<byte> whole)
    {
        if (name.SequenceEqual("role"u8))
        {
            reader.Read();
            _role = WireReader.Role(ref reader, "properties.role");
        }
        else if (name.SequenceEqual("speech"u8))
        {
            reader.Read();
            _speech = WireReader.String(ref reader, "properties.speech");
        }
        else if (name.SequenceEqual("content_index"u8))
        {
            reader.Read();
            _contentIndex = WireReader.Int32(ref reader, "properties.content_index");
        }
        else if (name.SequenceEqual("final"u8))
        {
            reader.Read();
            _final = WireReader.Boolean(ref reader, "properties.final");
        }
        else if (name.SequenceEqual("is_interrupted"u8))
        {
            reader.Read();
            _isInterrupted = WireReader.Boolean(ref reader, "properties.is_interrupted");
        }
        else if (name.SequenceEqual("content"u8))
        {
            reader.Read();
            _content = WireReader.String(ref reader, "properties.content");
        }
        else
        {
            return false;
        }

        return true;
    }

    public readonly CviEvent Build(ref EventEnvelope envelope)
    {
        BodyHelpers.KeepLoser(ref envelope, "content", _speech, _content);
        return new StreamingUtteranceEvent
        {
            Role = _role,
            Speech = _speech ?? _content,
            ContentIndex = _contentIndex,
            IsFinal = _final,
            IsInterrupted = _isInterrupted,
        };
    }
}

internal struct StartedSpeakingBody : IEventBody
{
    private ParticipantRole? _role;

    public readonly bool KeepsPropertiesRaw => false;

    public bool TryRead(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name, ref EventEnvelope envelope, scoped ReadOnlySpan<byte> whole)
    {
        if (!name.SequenceEqual("role"u8))
        {
            return false;
        }

        reader.Read();
        _role = WireReader.Role(ref reader, "properties.role");
        return true;
    }

    public readonly CviEvent Build(ref EventEnvelope envelope) => new StartedSpeakingEvent { Role = _role };
}

// conversation.stopped_speaking and conversation.replica.stopped_speaking share their stop fields (§B.3).
internal struct StopFields
{
    public bool? Interrupted;
    public double? Duration;

    public bool TryRead(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name)
    {
        if (name.SequenceEqual("interrupted"u8))
        {
            reader.Read();
            Interrupted = WireReader.Boolean(ref reader, "properties.interrupted");
        }
        else if (name.SequenceEqual("duration"u8))
        {
            reader.Read();
            Duration = WireReader.Double(ref reader, "properties.duration");
        }
        else
        {
            return false;
        }

        return true;
    }
}

internal struct StoppedSpeakingBody : IEventBody
{
    private ParticipantRole? _role;
    private StopFields _stop;

    public readonly bool KeepsPropertiesRaw => false;

    public bool TryRead(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name, ref EventEnvelope envelope, scoped ReadOnlySpan<byte> whole)
    {
        if (!name.SequenceEqual("role"u8))
        {
            return _stop.TryRead(ref reader, name);
        }

        reader.Read();
        _role = WireReader.Role(ref reader, "properties.role");
        return true;
    }

    public readonly CviEvent Build(ref EventEnvelope envelope) =>
        new StoppedSpeakingEvent { Role = _role, Interrupted = _stop.Interrupted, Duration = _stop.Duration };
}

internal struct ReplicaStoppedSpeakingBody : IEventBody
{
    private StopFields _stop;

    public readonly bool KeepsPropertiesRaw => false;

    public bool TryRead(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name, ref EventEnvelope envelope, scoped ReadOnlySpan<byte> whole) => _stop.TryRead(ref reader, name);

    public readonly CviEvent Build(ref EventEnvelope envelope) =>
        new ReplicaStoppedSpeakingEvent { Interrupted = _stop.Interrupted, Duration = _stop.Duration };
}

// conversation.tool_call and conversation.perception_tool_call share their tool fields (§B.5, §B.6).
internal struct ToolFields
{
    public string? ToolCallId;
    public string? Name;
    public string? ToolName;
    public LazyJsonElement Arguments;

    public bool TryRead(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name, scoped ReadOnlySpan<byte> whole)
    {
        if (name.SequenceEqual("tool_call_id"u8))
        {
            reader.Read();
            ToolCallId = WireReader.String(ref reader, "properties.tool_call_id");
        }
        else if (name.SequenceEqual("name"u8))
        {
            reader.Read();
            Name = WireReader.String(ref reader, "properties.name");
        }
        else if (name.SequenceEqual("tool_name"u8))
        {
            // tavus-skills calls it tool_name (§B.5); community code reads name ?? tool_name.
            reader.Read();
            ToolName = WireReader.String(ref reader, "properties.tool_name");
        }
        else if (name.SequenceEqual("arguments"u8))
        {
            reader.Read();
            Arguments = WireReader.ObjectOrString(ref reader, "properties.arguments", whole);
        }
        else
        {
            return false;
        }

        return true;
    }

    public readonly string? ResolveName(ref EventEnvelope envelope)
    {
        BodyHelpers.KeepLoser(ref envelope, "tool_name", Name, ToolName);
        return Name ?? ToolName;
    }
}

internal struct ToolCallBody : IEventBody
{
    private ToolFields _tool;

    public readonly bool KeepsPropertiesRaw => false;

    public bool TryRead(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name, ref EventEnvelope envelope, scoped ReadOnlySpan<byte> whole) => _tool.TryRead(ref reader, name, whole);

    public readonly CviEvent Build(ref EventEnvelope envelope) => new ToolCallEvent
    {
        ToolCallId = _tool.ToolCallId,
        Name = _tool.ResolveName(ref envelope),
        ArgumentsValue = _tool.Arguments,
    };
}

internal struct PerceptionToolCallBody : IEventBody
{
    private ToolFields _tool;
    private PerceptionModality? _modality;
    private List<PerceptionFrame>? _frames;

    public readonly bool KeepsPropertiesRaw => false;

    public bool TryRead(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name, ref EventEnvelope envelope, scoped ReadOnlySpan<byte> whole)
    {
        if (_tool.TryRead(ref reader, name, whole))
        {
            return true;
        }

        if (name.SequenceEqual("modality"u8))
        {
            reader.Read();
            _modality = WireReader.PerceptionModality(ref reader, "properties.modality");
            return true;
        }

        if (name.SequenceEqual("frames"u8))
        {
            reader.Read();
            _frames = ReadFrames(ref reader);
            return true;
        }

        return false;
    }

    // frames: [{data, mime_type, ...}] (§B.6), read by hand: the serializer's entry costs more than the rest of the
    // event. Unknown keys of a frame are kept in its ExtensionData, and a null entry stays null, as the
    // source-generated metadata of PerceptionFrame would read them.
    private static List<PerceptionFrame>? ReadFrames(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw InvalidFieldException.WrongType("properties.frames", "an array", reader.TokenType);
        }

        var frames = new List<PerceptionFrame>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.Null)
            {
                frames.Add(null!);
                continue;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                throw InvalidFieldException.WrongType("properties.frames", "an array of {data, mime_type} objects", reader.TokenType);
            }

            string? data = null;
            string? mimeType = null;
            Dictionary<string, JsonElement>? extension = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = WireReader.Utf8Text(ref reader);
                if (key.SequenceEqual("data"u8))
                {
                    reader.Read();
                    data = FrameString(ref reader);
                }
                else if (key.SequenceEqual("mime_type"u8))
                {
                    reader.Read();
                    mimeType = FrameString(ref reader);
                }
                else
                {
                    var name = WireReader.PropertyName(ref reader);
                    reader.Read();
                    (extension ??= new Dictionary<string, JsonElement>(StringComparer.Ordinal))[name] = WireReader.Element(ref reader);
                }
            }

            frames.Add(new PerceptionFrame { Data = data, MimeType = mimeType, ExtensionData = extension });
        }

        return frames;
    }

    private static string? FrameString(ref Utf8JsonReader reader) =>
        reader.TokenType is JsonTokenType.String or JsonTokenType.Null
            ? WireReader.String(ref reader, "properties.frames")
            : throw InvalidFieldException.BadValue("properties.frames", "an array of {data, mime_type} objects with string values");

    public readonly CviEvent Build(ref EventEnvelope envelope) => new PerceptionToolCallEvent
    {
        Modality = _modality,
        Frames = _frames,
        ToolCallId = _tool.ToolCallId,
        Name = _tool.ResolveName(ref envelope),
        ArgumentsValue = _tool.Arguments,
    };
}

internal struct PerceptionAnalysisBody : IEventBody
{
    private string? _analysis;

    public readonly bool KeepsPropertiesRaw => false;

    public bool TryRead(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name, ref EventEnvelope envelope, scoped ReadOnlySpan<byte> whole)
    {
        if (!name.SequenceEqual("analysis"u8))
        {
            return false;
        }

        reader.Read();
        _analysis = WireReader.String(ref reader, "properties.analysis");
        return true;
    }

    public readonly CviEvent Build(ref EventEnvelope envelope) => new PerceptionAnalysisEvent { Analysis = _analysis };
}

internal struct ReplicaJoinedBody : IEventBody
{
    private string? _replicaId;
    private string? _faceId;

    public readonly bool KeepsPropertiesRaw => false;

    public bool TryRead(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name, ref EventEnvelope envelope, scoped ReadOnlySpan<byte> whole)
    {
        if (name.SequenceEqual("replica_id"u8))
        {
            reader.Read();
            _replicaId = WireReader.String(ref reader, "properties.replica_id");
        }
        else if (name.SequenceEqual("face_id"u8))
        {
            reader.Read();
            _faceId = WireReader.String(ref reader, "properties.face_id");
        }
        else
        {
            return false;
        }

        return true;
    }

    public readonly CviEvent Build(ref EventEnvelope envelope) => new ReplicaJoinedEvent { ReplicaId = _replicaId, FaceId = _faceId };
}

internal struct ShutdownBody : IEventBody
{
    private ShutdownReason? _reason;
    private string? _replicaId;

    public readonly bool KeepsPropertiesRaw => false;

    public bool TryRead(ref Utf8JsonReader reader, scoped ReadOnlySpan<byte> name, ref EventEnvelope envelope, scoped ReadOnlySpan<byte> whole)
    {
        if (name.SequenceEqual("shutdown_reason"u8))
        {
            reader.Read();
            _reason = WireReader.ShutdownReason(ref reader, "properties.shutdown_reason");
        }
        else if (name.SequenceEqual("replica_id"u8))
        {
            reader.Read();
            _replicaId = WireReader.String(ref reader, "properties.replica_id");
        }
        else
        {
            return false;
        }

        return true;
    }

    public readonly CviEvent Build(ref EventEnvelope envelope) => new ShutdownEvent { Reason = _reason, ReplicaId = _replicaId };
}

internal static class BodyHelpers
{
    // When both the documented key and its alias are present, the documented one wins and the alias is kept in
    // AdditionalProperties rather than dropped (never drop what you do not understand).
    public static void KeepLoser(ref EventEnvelope envelope, string aliasName, string? winner, string? alias)
    {
        if (winner is not null && alias is not null)
        {
            envelope.AddAdditionalProperty(aliasName, JsonSerializer.SerializeToElement(alias, CviJsonContext.Default.String));
        }
    }
}
