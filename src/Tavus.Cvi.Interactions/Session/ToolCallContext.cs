using System.Text.Json;
using Tavus.Cvi.Interactions.Protocol;

namespace Tavus.Cvi.Interactions.Session;

/// <summary>What a tool handler knows about the call it answers.</summary>
public sealed class ToolCallContext
{
    internal ToolCallContext(CviSession session, CviEvent callEvent, string name, string? toolCallId, JsonElement arguments)
    {
        Session = session;
        Event = callEvent;
        Name = name;
        ToolCallId = toolCallId;
        Arguments = arguments;
    }

    /// <summary>The session the call arrived on (to send further interactions from the handler).</summary>
    public CviSession Session { get; }

    /// <summary>The call: a <see cref="ToolCallEvent"/> or, for perception tools, a <see cref="PerceptionToolCallEvent"/>.</summary>
    public CviEvent Event { get; }

    /// <summary>The tool's name.</summary>
    public string Name { get; }

    /// <summary>The call's <c>tool_call_id</c>; <see langword="null"/> on payloads that predate tool results.</summary>
    public string? ToolCallId { get; }

    /// <summary>The <c>inference_id</c>: the user utterance that triggered the call.</summary>
    public string? InferenceId => Event.InferenceId;

    /// <summary>The <c>turn_idx</c> of the call, if any.</summary>
    public int? TurnIndex => Event.TurnIndex;

    /// <summary>The arguments as received (a JSON string holding JSON, or an object).</summary>
    public JsonElement Arguments { get; }

    /// <summary>Whether this is a perception tool call (Raven), which Tavus ignores results of unless configured otherwise.</summary>
    public bool IsPerception => Event is PerceptionToolCallEvent;
}
