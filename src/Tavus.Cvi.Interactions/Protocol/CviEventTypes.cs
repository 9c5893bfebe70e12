namespace Tavus.Cvi.Interactions.Protocol;

/// <summary>The wire <c>event_type</c> names of the protocol (tavus-protocol.md §A, §B), including legacy spellings the SDK reads.</summary>
public static class CviEventTypes
{
    /// <summary><c>conversation.echo</c> (§A.1).</summary>
    public const string Echo = "conversation.echo";

    /// <summary><c>conversation.respond</c> (§A.2).</summary>
    public const string Respond = "conversation.respond";

    /// <summary><c>conversation.interrupt</c> (§A.3).</summary>
    public const string Interrupt = "conversation.interrupt";

    /// <summary><c>conversation.overwrite_llm_context</c> (§A.4), the documented name.</summary>
    public const string OverwriteLlmContext = "conversation.overwrite_llm_context";

    /// <summary><c>conversation.overwrite_context</c>: the legacy name from tavus-skills (§A.4).</summary>
    public const string LegacyOverwriteContext = "conversation.overwrite_context";

    /// <summary><c>conversation.append_llm_context</c> (§A.5), the documented name.</summary>
    public const string AppendLlmContext = "conversation.append_llm_context";

    /// <summary><c>conversation.append_context</c>: the legacy name from tavus-skills (§A.5).</summary>
    public const string LegacyAppendContext = "conversation.append_context";

    /// <summary><c>conversation.sensitivity</c> (§A.6).</summary>
    public const string Sensitivity = "conversation.sensitivity";

    /// <summary><c>conversation.tool_result</c> (§A.7).</summary>
    public const string ToolResult = "conversation.tool_result";

    /// <summary><c>conversation.realtime_api</c> (§A.8, legacy).</summary>
    public const string RealtimeApi = "conversation.realtime_api";

    /// <summary><c>conversation.utterance</c> (§B.1).</summary>
    public const string Utterance = "conversation.utterance";

    /// <summary><c>conversation.utterance.streaming</c> (§B.2).</summary>
    public const string UtteranceStreaming = "conversation.utterance.streaming";

    /// <summary><c>conversation.started_speaking</c> (§B.3, role-agnostic).</summary>
    public const string StartedSpeaking = "conversation.started_speaking";

    /// <summary><c>conversation.stopped_speaking</c> (§B.3, role-agnostic).</summary>
    public const string StoppedSpeaking = "conversation.stopped_speaking";

    /// <summary><c>conversation.replica.started_speaking</c> (§B.3, legacy).</summary>
    public const string ReplicaStartedSpeaking = "conversation.replica.started_speaking";

    /// <summary><c>conversation.replica.stopped_speaking</c> (§B.3, legacy).</summary>
    public const string ReplicaStoppedSpeaking = "conversation.replica.stopped_speaking";

    /// <summary><c>conversation.user.started_speaking</c> (§B.3, legacy).</summary>
    public const string UserStartedSpeaking = "conversation.user.started_speaking";

    /// <summary><c>conversation.user.stopped_speaking</c> (§B.3, legacy).</summary>
    public const string UserStoppedSpeaking = "conversation.user.stopped_speaking";

    /// <summary><c>conversation.replica_interrupted</c> (§B.4), the documented spelling.</summary>
    public const string ReplicaInterrupted = "conversation.replica_interrupted";

    /// <summary><c>conversation.replica.interrupted</c>: the tavus-skills spelling (§B.4).</summary>
    public const string LegacyReplicaInterrupted = "conversation.replica.interrupted";

    /// <summary><c>conversation.tool_call</c> (§B.5).</summary>
    public const string ToolCall = "conversation.tool_call";

    /// <summary><c>conversation.perception_tool_call</c> (§B.6).</summary>
    public const string PerceptionToolCall = "conversation.perception_tool_call";

    /// <summary><c>conversation.perception_analysis</c> (§B.7).</summary>
    public const string PerceptionAnalysis = "conversation.perception_analysis";

    /// <summary><c>system.replica_joined</c> (§B.8).</summary>
    public const string ReplicaJoined = "system.replica_joined";

    /// <summary><c>system.pal_joined</c>: the 2026 duplicate of <see cref="ReplicaJoined"/> (§B.8).</summary>
    public const string PalJoined = "system.pal_joined";

    /// <summary><c>system.shutdown</c> (§E).</summary>
    public const string Shutdown = "system.shutdown";

    /// <summary>The <c>message_type</c> of conversation messages.</summary>
    public const string ConversationMessageType = "conversation";

    /// <summary>The <c>message_type</c> of system messages.</summary>
    public const string SystemMessageType = "system";
}
