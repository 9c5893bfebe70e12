using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Tavus.Cvi.Interactions.Diagnostics;
using Tavus.Cvi.Interactions.Protocol;
using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.Interactions.Session;

public sealed partial class CviSession
{
    private readonly ConcurrentDictionary<string, ToolRegistration> _tools = new(StringComparer.Ordinal);
    private readonly Queue<string> _recentToolCallOrder = new();
    private readonly HashSet<string> _recentToolCalls = new(StringComparer.Ordinal);

    /// <summary>
    /// Registers a tool handler: when a <c>conversation.tool_call</c> (or a <c>conversation.perception_tool_call</c>)
    /// for <paramref name="name"/> arrives, the handler runs off the receive loop with the deserialized arguments, and
    /// the session answers with its result (<see cref="ToolOptions.ReplyStyle"/>; by default a
    /// <c>conversation.tool_result</c> with the call's <c>tool_call_id</c>). A handler that throws, or arguments that
    /// do not deserialize, are answered with <c>status: error</c> and a message free of the exception's details. The
    /// call is still raised as <see cref="ToolCallReceived"/>.
    /// </summary>
    /// <typeparam name="TArgs">The arguments type.</typeparam>
    /// <param name="name">The tool's function name.</param>
    /// <param name="argumentsType">Source-generated metadata of <typeparamref name="TArgs"/>.</param>
    /// <param name="handler">Computes the result; a string converts to a successful <see cref="ToolResult"/>. Its token is cancelled when the session ends or the tool's <see cref="ToolOptions.Timeout"/> passes.</param>
    /// <param name="options">How to answer; defaults when null.</param>
    /// <returns>Disposing it unregisters the tool.</returns>
    /// <exception cref="ArgumentException">A tool of that name is registered already.</exception>
    public IDisposable RegisterTool<TArgs>(
        string name,
        JsonTypeInfo<TArgs> argumentsType,
        Func<TArgs, ToolCallContext, CancellationToken, ValueTask<ToolResult>> handler,
        ToolOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(argumentsType);
        ArgumentNullException.ThrowIfNull(handler);
        return RegisterToolCore(name, (arguments, context, ct) =>
        {
            TArgs? args;
            try
            {
                args = arguments.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null
                    ? default
                    : arguments.Deserialize(argumentsType);
            }
            catch (JsonException)
            {
                return ValueTask.FromResult(ToolResult.Error($"The arguments of the tool '{name}' are not valid."));
            }

            return handler(args!, context, ct);
        }, options);
    }

    /// <summary>
    /// Registers a tool handler that takes the arguments as JSON: the object (unwrapped when the call carried it as a
    /// JSON string, as Tavus does), or <c>{}</c> when absent. Otherwise as <see cref="RegisterTool{TArgs}"/>.
    /// </summary>
    /// <param name="name">The tool's function name.</param>
    /// <param name="handler">Computes the result.</param>
    /// <param name="options">How to answer; defaults when null.</param>
    /// <returns>Disposing it unregisters the tool.</returns>
    public IDisposable RegisterTool(
        string name,
        Func<JsonElement, ToolCallContext, CancellationToken, ValueTask<ToolResult>> handler,
        ToolOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(handler);
        return RegisterToolCore(name, (arguments, context, ct) =>
            handler(arguments.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null ? EmptyObject : arguments, context, ct), options);
    }

    private static JsonElement EmptyObject { get; } = JsonDocument.Parse("{}").RootElement.Clone();

    private ToolRegistration RegisterToolCore(
        string name, Func<JsonElement, ToolCallContext, CancellationToken, ValueTask<ToolResult>> invoke, ToolOptions? options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        var registration = new ToolRegistration(name, invoke, options ?? new ToolOptions());
        if (!_tools.TryAdd(name, registration))
        {
            throw new ArgumentException($"A tool named '{name}' is registered already.", nameof(name));
        }

        registration.Attach(r => _tools.TryRemove(new KeyValuePair<string, ToolRegistration>(r.Name, r)));
        return registration;
    }

    /// <summary>Runs on the receive loop after the call was published: starts the handler, never waits for it.</summary>
    private void DispatchToolCall(CviEvent cviEvent)
    {
        (string? name, string? id, JsonElement arguments) = cviEvent switch
        {
            ToolCallEvent call => (call.Name, call.ToolCallId, call.Arguments),
            PerceptionToolCallEvent call => (call.Name, call.ToolCallId, call.Arguments),
            _ => (null, null, default),
        };

        if (name is null || !_tools.TryGetValue(name, out var tool)) return;

        if (id is not null)
        {
            // One answer per call, even if the call is delivered twice.
            if (!_recentToolCalls.Add(id))
            {
                Log.ToolCallRepeated(_logger, id);
                return;
            }

            _recentToolCallOrder.Enqueue(id);
            if (_recentToolCallOrder.Count > 256) _recentToolCalls.Remove(_recentToolCallOrder.Dequeue());
        }

        Log.ToolCallDispatched(_logger, name, id);
        var context = new ToolCallContext(this, cviEvent, name, id, arguments);
        _ = Task.Run(() => RunToolAsync(tool, context), CancellationToken.None);
    }

    private async Task RunToolAsync(ToolRegistration tool, ToolCallContext context)
    {
        ToolResult result;
        CancellationToken lifetime;
        try
        {
            lifetime = _lifetime.Token;
        }
        catch (ObjectDisposedException)
        {
            return;
        }

        using var timeout = tool.Timeout is { } t ? new CancellationTokenSource(t, _time) : null;
        using var linked = timeout is null
            ? CancellationTokenSource.CreateLinkedTokenSource(lifetime)
            : CancellationTokenSource.CreateLinkedTokenSource(lifetime, timeout.Token);
        try
        {
            var arguments = Unwrap(context.Arguments, out bool valid);
            result = valid
                ? await tool.Invoke(arguments, context, linked.Token).ConfigureAwait(false) ?? ToolResult.Error($"The tool '{tool.Name}' returned no result.")
                : ToolResult.Error($"The arguments of the tool '{tool.Name}' are not valid JSON.");
        }
        catch (OperationCanceledException) when (timeout?.IsCancellationRequested == true && !lifetime.IsCancellationRequested)
        {
            result = ToolResult.Error($"The tool '{tool.Name}' timed out.");
        }
        catch (OperationCanceledException) when (lifetime.IsCancellationRequested)
        {
            return;
        }
#pragma warning disable CA1031 // A user's handler may throw anything: the call is answered with status error.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.ToolHandlerFailed(_logger, tool.Name, context.ToolCallId, ex);

            // The exception's message may hold anything (connection strings, tokens): only the tool's name goes out.
            result = ToolResult.Error($"The tool '{tool.Name}' failed.");
        }

        await ReplyAsync(tool, context, result).ConfigureAwait(false);
    }

    private async Task ReplyAsync(ToolRegistration tool, ToolCallContext context, ToolResult result)
    {
        try
        {
            switch (tool.ReplyStyle)
            {
                case ToolReplyStyle.ToolResult when context.ToolCallId is null:
                    // Perception tools are fire-and-forget unless configured for a result (tavus-protocol.md §B.6).
                    if (!context.IsPerception) Log.ToolCallWithoutId(_logger, tool.Name);
                    break;
                case ToolReplyStyle.ToolResult:
                    try
                    {
                        await SendToolResultAsync(context.ToolCallId, result).ConfigureAwait(false);
                    }
                    catch (CviMessageTooLargeException ex)
                    {
                        // Without an answer the call silently drops out of context (tavus-protocol.md §C): say why.
                        Log.ToolReplyFailed(_logger, tool.Name, context.ToolCallId, ex);
                        await SendToolResultAsync(context.ToolCallId, ToolResult.Error($"The result of the tool '{tool.Name}' was too large to deliver.")).ConfigureAwait(false);
                    }

                    break;
                case ToolReplyStyle.Echo:
                    await EchoAsync(result.OutputText).ConfigureAwait(false);
                    break;
                case ToolReplyStyle.AppendContext:
                    await AppendContextAsync(result.OutputText, AppendContextInteraction.JobStatusCompleted).ConfigureAwait(false);
                    break;
            }
        }
#pragma warning disable CA1031 // Runs detached: a failed reply is logged.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.ToolReplyFailed(_logger, tool.Name, context.ToolCallId, ex);
        }
    }

    /// <summary>The arguments as a JSON value: the JSON inside a string (the documented form, §B.5), or the value itself.</summary>
    private static JsonElement Unwrap(JsonElement arguments, out bool valid)
    {
        valid = true;
        if (arguments.ValueKind != JsonValueKind.String) return arguments;
        var text = arguments.GetString()!;
        if (string.IsNullOrWhiteSpace(text)) return default;
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            valid = false;
            return default;
        }
    }
}
