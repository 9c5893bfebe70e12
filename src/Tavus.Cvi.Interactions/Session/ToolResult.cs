using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Tavus.Cvi.Interactions.Protocol;

namespace Tavus.Cvi.Interactions.Session;

/// <summary>
/// What a tool handler returns: an output (text or any JSON value) and a status. A string converts implicitly to a
/// successful result, so a handler may simply <c>return "It is sunny.";</c>.
/// </summary>
public sealed record ToolResult
{
    private ToolResult(JsonElement output, ToolResultStatus status)
    {
        Output = output;
        Status = status;
    }

    /// <summary>The output: a JSON string is passed to the LLM as is; any other value is serialized by Tavus (tavus-protocol.md §A.7).</summary>
    public JsonElement Output { get; }

    /// <summary><see cref="ToolResultStatus.Success"/> or <see cref="ToolResultStatus.Error"/> (the PAL then acknowledges the failure).</summary>
    public ToolResultStatus Status { get; }

    /// <summary>The output as text: a string's value, or the JSON of any other value.</summary>
    public string OutputText => Output.ValueKind == JsonValueKind.String ? Output.GetString()! : Output.GetRawText();

    /// <summary>A successful text result.</summary>
    /// <param name="output">The result text.</param>
    public static ToolResult Success(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return new(JsonSerializer.SerializeToElement(output, ToolResultJson.String), ToolResultStatus.Success);
    }

    /// <summary>A successful result holding any JSON value.</summary>
    /// <param name="output">The result.</param>
    public static ToolResult Success(JsonElement output)
    {
        if (output.ValueKind == JsonValueKind.Undefined)
        {
            throw new ArgumentException("The output must be a JSON value.", nameof(output));
        }

        return new(output.Clone(), ToolResultStatus.Success);
    }

    /// <summary>A successful result serialized with source-generated metadata.</summary>
    /// <typeparam name="T">The result type.</typeparam>
    /// <param name="output">The result.</param>
    /// <param name="typeInfo">The metadata of <typeparamref name="T"/>.</param>
    public static ToolResult Success<T>(T output, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return new(JsonSerializer.SerializeToElement(output, typeInfo), ToolResultStatus.Success);
    }

    /// <summary>A failed result: the PAL acknowledges the failure instead of speaking a result.</summary>
    /// <param name="message">What went wrong, worded for the LLM (and so for the user). Never put secrets here.</param>
    public static ToolResult Error(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return new(JsonSerializer.SerializeToElement(message, ToolResultJson.String), ToolResultStatus.Error);
    }

    /// <summary>A successful text result.</summary>
    /// <param name="output">The result text.</param>
    public static implicit operator ToolResult(string output) => Success(output);

    /// <summary>A successful text result (the named alternative of the implicit conversion).</summary>
    /// <param name="output">The result text.</param>
    public static ToolResult FromString(string output) => Success(output);
}
