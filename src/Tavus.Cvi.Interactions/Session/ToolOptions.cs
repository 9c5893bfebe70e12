namespace Tavus.Cvi.Interactions.Session;

/// <summary>Options of one registered tool (<see cref="CviSession.RegisterTool{TArgs}"/>).</summary>
public sealed class ToolOptions
{
    /// <summary>How the session answers: <see cref="ToolReplyStyle.ToolResult"/> by default.</summary>
    public ToolReplyStyle ReplyStyle { get; set; } = ToolReplyStyle.ToolResult;

    /// <summary>
    /// How long the handler may run before the session cancels its token and replies with status <c>error</c>;
    /// <see langword="null"/> (the default) for no limit. Measured with <see cref="CviSessionOptions.TimeProvider"/>.
    /// </summary>
    public TimeSpan? Timeout { get; set; }
}
