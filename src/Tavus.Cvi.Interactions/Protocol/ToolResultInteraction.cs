using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization.Metadata;
using System.Text.Json.Serialization;
using System.Text.Json;

namespace Tavus.Cvi.Interactions.Protocol;

/// <summary>
/// <c>conversation.tool_result</c>: the result of a tool call delivered by app message, matched by
/// <see cref="ToolCallId"/> (tavus-protocol.md §A.7, §C).
/// </summary>
[JsonConverter(typeof(CviInteractionJsonConverter<ToolResultInteraction>))]
public sealed record ToolResultInteraction : CviInteraction
{
    private LazyJsonElement _output;

    /// <inheritdoc/>
    public override string EventType => CviEventTypes.ToolResult;

    /// <summary><c>tool_call_id</c>: the id of the originating <see cref="ToolCallEvent"/> or <see cref="PerceptionToolCallEvent"/>.</summary>
    public string? ToolCallId { get; init; }

    /// <summary>
    /// <c>output</c>: a JSON string (passed through as is) or a JSON object (serialized by Tavus). Use
    /// <see cref="FromText"/> or <see cref="FromJson"/> to create one.
    /// </summary>
    public JsonElement Output { get => _output.Value; init => _output = LazyJsonElement.FromElement(value); }

    // The decoder sets the wire text here, parsed on first read of Output (see LazyJsonElement).
    internal LazyJsonElement OutputValue { get => _output; init => _output = value; }

    /// <summary><c>status</c>: <see cref="ToolResultStatus.Success"/> (Tavus's default when absent) or <see cref="ToolResultStatus.Error"/>.</summary>
    public ToolResultStatus? Status { get; init; }

    /// <summary>The output as text: the string itself when it is a JSON string, otherwise its JSON text; null when absent.</summary>
    public string? OutputText => Output.ValueKind switch
    {
        JsonValueKind.Undefined => null,
        JsonValueKind.String => Output.GetString(),
        _ => Output.GetRawText(),
    };

    /// <summary>Creates a result whose output is a string.</summary>
    /// <param name="toolCallId">The id of the tool call being answered.</param>
    /// <param name="output">The output text.</param>
    /// <param name="status">The status; <see cref="ToolResultStatus.Success"/> when null.</param>
    public static ToolResultInteraction FromText(string toolCallId, string output, ToolResultStatus? status = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(toolCallId);
        ArgumentNullException.ThrowIfNull(output);
        return new ToolResultInteraction
        {
            ToolCallId = toolCallId,
            Output = JsonSerializer.SerializeToElement(output, CviJsonContext.Default.String),
            Status = status ?? ToolResultStatus.Success,
        };
    }

    /// <summary>Creates a result whose output is a JSON value (normally an object).</summary>
    /// <param name="toolCallId">The id of the tool call being answered.</param>
    /// <param name="output">The output.</param>
    /// <param name="status">The status; <see cref="ToolResultStatus.Success"/> when null.</param>
    public static ToolResultInteraction FromJson(string toolCallId, JsonElement output, ToolResultStatus? status = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(toolCallId);
        if (output.ValueKind == JsonValueKind.Undefined)
        {
            throw new ArgumentException("The output must be a JSON value.", nameof(output));
        }

        return new ToolResultInteraction { ToolCallId = toolCallId, Output = output.Clone(), Status = status ?? ToolResultStatus.Success };
    }

    /// <summary>Creates a result whose output is an object serialized with source-generated metadata.</summary>
    /// <typeparam name="T">The output type.</typeparam>
    /// <param name="toolCallId">The id of the tool call being answered.</param>
    /// <param name="output">The output.</param>
    /// <param name="typeInfo">The metadata of <typeparamref name="T"/>.</param>
    /// <param name="status">The status; <see cref="ToolResultStatus.Success"/> when null.</param>
    public static ToolResultInteraction FromObject<T>(string toolCallId, T output, JsonTypeInfo<T> typeInfo, ToolResultStatus? status = null)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return FromJson(toolCallId, JsonSerializer.SerializeToElement(output, typeInfo), status);
    }

    /// <summary>Creates a result whose output is an object serialized with the given options.</summary>
    /// <typeparam name="T">The output type.</typeparam>
    /// <param name="toolCallId">The id of the tool call being answered.</param>
    /// <param name="output">The output.</param>
    /// <param name="options">The serializer options; reflection-based when they carry no source-generated resolver.</param>
    /// <param name="status">The status; <see cref="ToolResultStatus.Success"/> when null.</param>
    [RequiresUnreferencedCode("Serializing an arbitrary type may need reflection; use the JsonTypeInfo overload for trimming.")]
    [RequiresDynamicCode("Serializing an arbitrary type may need runtime code generation; use the JsonTypeInfo overload for AOT.")]
    public static ToolResultInteraction FromObject<T>(string toolCallId, T output, JsonSerializerOptions? options = null, ToolResultStatus? status = null) =>
        FromJson(toolCallId, JsonSerializer.SerializeToElement(output, options), status);

    /// <summary>Value equality; <see cref="Output"/> is compared by JSON content.</summary>
    /// <param name="other">The other interaction.</param>
    public bool Equals(ToolResultInteraction? other) =>
        base.Equals(other) &&
        string.Equals(ToolCallId, other.ToolCallId, StringComparison.Ordinal) &&
        Nullable.Equals(Status, other.Status) &&
        JsonEquality.ElementEquals(Output, other.Output);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), ToolCallId, Status);
}
