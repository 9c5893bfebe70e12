using System.Text.Json;

namespace Tavus.Cvi.Interactions.Session;

/// <summary>A registered tool: its name, handler and options.</summary>
internal sealed class ToolRegistration(string name, Func<JsonElement, ToolCallContext, CancellationToken, ValueTask<ToolResult>> invoke, ToolOptions options)
    : IDisposable
{
    private Action<ToolRegistration>? _unregister;

    public string Name { get; } = name;

    public Func<JsonElement, ToolCallContext, CancellationToken, ValueTask<ToolResult>> Invoke { get; } = invoke;

    public ToolReplyStyle ReplyStyle { get; } = options.ReplyStyle;

    public TimeSpan? Timeout { get; } = options.Timeout;

    public void Attach(Action<ToolRegistration> unregister) => _unregister = unregister;

    public void Dispose() => Interlocked.Exchange(ref _unregister, null)?.Invoke(this);
}
