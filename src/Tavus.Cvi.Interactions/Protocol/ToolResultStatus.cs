using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Protocol;

/// <summary>The status of a <c>conversation.tool_result</c> (tavus-protocol.md §A.7).</summary>
/// <remarks>
/// An extensible string value: the known values are static properties, and any other string the wire carries is kept
/// as is (be liberal in what you read). Comparison ignores case.
/// </remarks>
[JsonConverter(typeof(Converter))]
public readonly struct ToolResultStatus : IEquatable<ToolResultStatus>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire string.</summary>
    /// <param name="value">The wire string; not empty.</param>
    public ToolResultStatus(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        _value = value;
    }

    /// <summary><c>success</c>: the PAL uses the output (the default when absent).</summary>
    public static ToolResultStatus Success { get; } = new("success");

    /// <summary><c>error</c>: the PAL acknowledges the failure instead of speaking the result.</summary>
    public static ToolResultStatus Error { get; } = new("error");

    /// <summary>Returns the known instance for a wire string, or a new value for any other string.</summary>
    /// <param name="value">The wire string.</param>
    public static ToolResultStatus Parse(string value) => value switch
    {
        "success" => Success,
        "error" => Error,
        _ => new(value),
    };

    /// <summary>The wire string (empty for <see langword="default"/>).</summary>
    public string Value => _value ?? string.Empty;

    /// <inheritdoc/>
    public bool Equals(ToolResultStatus other) => string.Equals(Value, other.Value, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is ToolResultStatus other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Value);

    /// <summary>The wire string.</summary>
    public override string ToString() => Value;

    /// <summary>Whether two values are equal, ignoring case.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(ToolResultStatus left, ToolResultStatus right) => left.Equals(right);

    /// <summary>Whether two values differ, ignoring case.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(ToolResultStatus left, ToolResultStatus right) => !left.Equals(right);

    /// <summary>Reads and writes the value as a JSON string.</summary>
    public sealed class Converter : JsonConverter<ToolResultStatus>
    {
        /// <inheritdoc/>
        public override ToolResultStatus Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException("A ToolResultStatus must be a JSON string.");
            }

            return Parse(reader.GetString()!);
        }

        /// <inheritdoc/>
        public override void Write(Utf8JsonWriter writer, ToolResultStatus value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            writer.WriteStringValue(value.Value);
        }
    }
}
