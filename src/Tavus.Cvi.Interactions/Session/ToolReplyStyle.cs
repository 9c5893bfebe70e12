namespace Tavus.Cvi.Interactions.Session;

/// <summary>How the session answers a tool call once its handler returned (tavus-protocol.md §C).</summary>
public enum ToolReplyStyle
{
    /// <summary><c>conversation.tool_result</c> with the call's <c>tool_call_id</c>, output and status: the current mechanism.</summary>
    ToolResult = 0,

    /// <summary>
    /// For personas that predate tool results: the replica speaks the output verbatim with a text
    /// <c>conversation.echo</c> (Tavus's original tool-calling example). The LLM does not see it.
    /// </summary>
    Echo,

    /// <summary>
    /// For personas that predate tool results: the output is appended to the LLM context with
    /// <c>conversation.append_llm_context</c> and <c>job_status: completed</c>, so the LLM can use it.
    /// </summary>
    AppendContext,

    /// <summary>No reply: the handler answers itself (for example with <see cref="CviSession.SendToolResultAsync(string, string, Protocol.ToolResultStatus?, CancellationToken)"/>).</summary>
    None,
}
