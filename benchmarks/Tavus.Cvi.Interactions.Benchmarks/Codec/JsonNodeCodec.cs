using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tavus.Cvi.Interactions.Protocol;

namespace Tavus.Cvi.Interactions.Benchmarks.Codec;

// The JsonNode baseline: parse into a DOM, read the fields into the SDK's own records (decode), or build a DOM from
// them and write it (encode). The same output objects as the SDK codec, so the comparison is like for like.
internal static class JsonNodeCodec
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static CviEvent DecodeEvent(byte[] utf8)
    {
        var o = JsonNode.Parse(utf8)!.AsObject();
        var p = o["properties"] as JsonObject;
        var type = (string)o["event_type"]!;
        CviEvent evt = type switch
        {
            CviEventTypes.Utterance => new UtteranceEvent
            {
                Role = Role(p, "role"), Speech = S(p, "speech"), VisualContext = S(p, "visual_context"), Interrupted = B(p, "interrupted"),
            },
            CviEventTypes.UtteranceStreaming => new StreamingUtteranceEvent
            {
                Role = Role(p, "role"), Speech = S(p, "speech"), ContentIndex = (int?)p?["content_index"], IsFinal = B(p, "final"), IsInterrupted = B(p, "is_interrupted"),
            },
            CviEventTypes.StartedSpeaking => new StartedSpeakingEvent { Role = Role(p, "role") },
            CviEventTypes.StoppedSpeaking => new StoppedSpeakingEvent { Role = Role(p, "role"), Interrupted = B(p, "interrupted"), Duration = (double?)p?["duration"] },
            CviEventTypes.ReplicaStartedSpeaking => new ReplicaStartedSpeakingEvent(),
            CviEventTypes.ReplicaStoppedSpeaking => new ReplicaStoppedSpeakingEvent { Interrupted = B(p, "interrupted"), Duration = (double?)p?["duration"] },
            CviEventTypes.UserStartedSpeaking => new UserStartedSpeakingEvent(),
            CviEventTypes.UserStoppedSpeaking => new UserStoppedSpeakingEvent(),
            CviEventTypes.ReplicaInterrupted => new ReplicaInterruptedEvent(),
            CviEventTypes.ToolCall => new ToolCallEvent { ToolCallId = S(p, "tool_call_id"), Name = S(p, "name"), Arguments = Element(p, "arguments") },
            CviEventTypes.PerceptionToolCall => new PerceptionToolCallEvent
            {
                ToolCallId = S(p, "tool_call_id"),
                Name = S(p, "name"),
                Modality = S(p, "modality") is { } m ? PerceptionModality.Parse(m) : null,
                Arguments = Element(p, "arguments"),
                Frames = (p?["frames"] as JsonArray)?.Select(f => new PerceptionFrame { Data = S(f as JsonObject, "data"), MimeType = S(f as JsonObject, "mime_type") }).ToList(),
            },
            CviEventTypes.PerceptionAnalysis => new PerceptionAnalysisEvent { Analysis = S(p, "analysis") },
            CviEventTypes.ReplicaJoined => new ReplicaJoinedEvent { ReplicaId = S(p, "replica_id"), FaceId = S(p, "face_id") },
            CviEventTypes.Shutdown => new ShutdownEvent { ReplicaId = S(p, "replica_id"), Reason = S(p, "shutdown_reason") is { } reason ? new ShutdownReason(reason) : null },
            _ => new UnknownEvent(type, o.ToJsonString()),
        };

        var seconds = (decimal?)o["timestamp"];
        evt.SetEnvelope(new EventEnvelope
        {
            EventType = type,
            MessageType = S(o, "message_type"),
            ConversationId = S(o, "conversation_id"),
            InferenceId = S(o, "inference_id"),
            Seq = (long?)o["seq"],
            TurnIndex = (int?)o["turn_idx"],
            Timestamp = seconds is { } s ? DateTimeOffset.UnixEpoch.AddTicks((long)(s * 10_000_000m)) : null,
        });
        return evt;
    }

    public static CviInteraction DecodeInteraction(byte[] utf8)
    {
        var o = JsonNode.Parse(utf8)!.AsObject();
        var p = o["properties"] as JsonObject;
        var conversationId = S(o, "conversation_id");
        return (string)o["event_type"]! switch
        {
            CviEventTypes.Echo => new EchoInteraction
            {
                ConversationId = conversationId,
                Modality = S(p, "modality") is { } m ? EchoModality.Parse(m) : null,
                Text = S(p, "text"),
                Audio = S(p, "audio"),
                SampleRate = (int?)p?["sample_rate"],
                InferenceId = S(p, "inference_id"),
                Done = B(p, "done"),
            },
            CviEventTypes.Respond => new RespondInteraction { ConversationId = conversationId, Text = S(p, "text") },
            CviEventTypes.Interrupt => new InterruptInteraction { ConversationId = conversationId },
            CviEventTypes.OverwriteLlmContext => new OverwriteContextInteraction { ConversationId = conversationId, Context = S(p, "context") },
            CviEventTypes.AppendLlmContext => new AppendContextInteraction { ConversationId = conversationId, Context = S(p, "context"), JobStatus = S(p, "job_status") },
            CviEventTypes.Sensitivity => new SensitivityInteraction
            {
                ConversationId = conversationId,
                PauseSensitivity = S(p, "participant_pause_sensitivity") is { } pause ? Sensitivity.Parse(pause) : null,
                InterruptSensitivity = S(p, "participant_interrupt_sensitivity") is { } interrupt ? Sensitivity.Parse(interrupt) : null,
            },
            CviEventTypes.ToolResult => new ToolResultInteraction
            {
                ConversationId = conversationId,
                ToolCallId = S(p, "tool_call_id"),
                Output = Element(p, "output"),
                Status = S(p, "status") is { } st ? ToolResultStatus.Parse(st) : null,
            },
            CviEventTypes.RealtimeApi => new RealtimeApiInteraction { ConversationId = conversationId, Body = JsonSerializer.SerializeToElement(p, BaselineJsonContext.Default.JsonObject) },
            var other => new UnknownInteraction(other, o.ToJsonString()),
        };
    }

    public static byte[] EncodeEvent(CviEvent evt)
    {
        var o = new JsonObject
        {
            ["message_type"] = evt.MessageType,
            ["event_type"] = evt.EventType,
        };
        Set(o, "conversation_id", evt.ConversationId);
        Set(o, "inference_id", evt.InferenceId);
        if (evt.Seq is { } seq)
        {
            o["seq"] = seq;
        }

        if (evt.TurnIndex is { } turn)
        {
            o["turn_idx"] = turn;
        }

        if (evt.Timestamp is { } ts)
        {
            o["timestamp"] = (ts.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / 10_000_000m;
        }

        var p = new JsonObject();
        switch (evt)
        {
            case UtteranceEvent e:
                Set(p, "role", e.Role?.Value);
                Set(p, "speech", e.Speech);
                Set(p, "visual_context", e.VisualContext);
                SetBool(p, "interrupted", e.Interrupted);
                break;
            case StreamingUtteranceEvent e:
                Set(p, "role", e.Role?.Value);
                Set(p, "speech", e.Speech);
                if (e.ContentIndex is { } index)
                {
                    p["content_index"] = index;
                }

                SetBool(p, "final", e.IsFinal);
                SetBool(p, "is_interrupted", e.IsInterrupted);
                break;
            case StartedSpeakingEvent e:
                Set(p, "role", e.Role?.Value);
                break;
            case StoppedSpeakingEvent e:
                Set(p, "role", e.Role?.Value);
                SetBool(p, "interrupted", e.Interrupted);
                if (e.Duration is { } d)
                {
                    p["duration"] = d;
                }

                break;
            case ReplicaStoppedSpeakingEvent e:
                if (e.Duration is { } rd)
                {
                    p["duration"] = rd;
                }

                SetBool(p, "interrupted", e.Interrupted);
                break;
            case ToolCallEvent e:
                Set(p, "tool_call_id", e.ToolCallId);
                Set(p, "name", e.Name);
                p["arguments"] = JsonNodeOf(e.Arguments);
                break;
            case PerceptionToolCallEvent e:
                Set(p, "modality", e.Modality?.Value);
                Set(p, "tool_call_id", e.ToolCallId);
                Set(p, "name", e.Name);
                p["arguments"] = JsonNodeOf(e.Arguments);
                if (e.Frames is not null)
                {
                    var frames = new JsonArray();
                    foreach (var f in e.Frames)
                    {
                        frames.Add(new JsonObject { ["data"] = f.Data, ["mime_type"] = f.MimeType });
                    }

                    p["frames"] = frames;
                }

                break;
            case PerceptionAnalysisEvent e:
                Set(p, "analysis", e.Analysis);
                break;
            case ReplicaJoinedEvent e:
                Set(p, "replica_id", e.ReplicaId);
                Set(p, "face_id", e.FaceId);
                break;
            case ShutdownEvent e:
                Set(p, "replica_id", e.ReplicaId);
                Set(p, "shutdown_reason", e.Reason?.Value);
                break;
        }

        if (p.Count > 0)
        {
            o["properties"] = p;
        }

        return Write(o);
    }

    public static byte[] EncodeInteraction(CviInteraction interaction)
    {
        var o = new JsonObject
        {
            ["message_type"] = "conversation",
            ["event_type"] = interaction.EventType,
        };
        Set(o, "conversation_id", interaction.ConversationId);
        JsonObject? p = new();
        switch (interaction)
        {
            case EchoInteraction e:
                p["modality"] = (e.Modality ?? EchoModality.Text).Value;
                Set(p, "text", e.Text);
                Set(p, "audio", e.Audio);
                if (e.SampleRate is { } rate)
                {
                    p["sample_rate"] = rate;
                }

                Set(p, "inference_id", e.InferenceId);
                SetBool(p, "done", e.Done);
                break;
            case RespondInteraction e:
                Set(p, "text", e.Text);
                break;
            case InterruptInteraction:
                p = null;
                break;
            case OverwriteContextInteraction e:
                Set(p, "context", e.Context);
                break;
            case AppendContextInteraction e:
                Set(p, "context", e.Context);
                Set(p, "job_status", e.JobStatus);
                break;
            case SensitivityInteraction e:
                Set(p, "participant_pause_sensitivity", e.PauseSensitivity?.Value);
                Set(p, "participant_interrupt_sensitivity", e.InterruptSensitivity?.Value);
                break;
            case ToolResultInteraction e:
                Set(p, "tool_call_id", e.ToolCallId);
                p["output"] = JsonNodeOf(e.Output);
                Set(p, "status", e.Status?.Value);
                break;
            case RealtimeApiInteraction e:
                p = (JsonObject?)JsonNodeOf(e.Body);
                break;
        }

        if (p is not null)
        {
            o["properties"] = p;
        }

        return Write(o);
    }

    private static byte[] Write(JsonNode node)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            node.WriteTo(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static JsonNode? JsonNodeOf(JsonElement element) =>
        element.ValueKind == JsonValueKind.Undefined ? null : JsonSerializer.SerializeToNode(element, BaselineJsonContext.Default.JsonElement);

    private static string? S(JsonObject? o, string name) => o?[name] is JsonValue v ? v.GetValue<string>() : null;

    private static bool? B(JsonObject? o, string name) => o?[name] is JsonValue v ? v.GetValue<bool>() : null;

    private static ParticipantRole? Role(JsonObject? o, string name) => S(o, name) is { } role ? ParticipantRole.Parse(role) : null;

    private static JsonElement Element(JsonObject? o, string name) =>
        o?[name] is { } node ? JsonSerializer.SerializeToElement(node, BaselineJsonContext.Default.JsonNode) : default;

    private static void Set(JsonObject o, string name, string? value)
    {
        if (value is not null)
        {
            o[name] = value;
        }
    }

    private static void SetBool(JsonObject o, string name, bool? value)
    {
        if (value is { } b)
        {
            o[name] = b;
        }
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(JsonObject))]
[System.Text.Json.Serialization.JsonSerializable(typeof(JsonNode))]
[System.Text.Json.Serialization.JsonSerializable(typeof(JsonElement))]
internal sealed partial class BaselineJsonContext : System.Text.Json.Serialization.JsonSerializerContext
{
}
