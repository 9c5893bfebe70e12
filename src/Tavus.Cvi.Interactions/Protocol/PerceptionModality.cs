using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Protocol;

/// <summary>The perception channel of a <c>conversation.perception_tool_call</c> (tavus-protocol.md §B.6).</summary>
/// <remarks>
/// An extensible string value: the known values are static properties, and any other string the wire carries is kept
/// as is (be liberal in what you read). Comparison ignores case.
/// </remarks>
[JsonConverter(typeof(Converter))]
public readonly struct PerceptionModality : IEquatable<PerceptionModality>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire string.</summary>
    /// <param name="value">The wire string; not empty.</param>
    public PerceptionModality(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        _value = value;
    }

    /// <summary><c>vision</c>: a visual tool; its arguments are a JSON object and it may carry frames.</summary>
    public static PerceptionModality Vision { get; } = new("vision");

    /// <summary><c>audio</c>: an audio tool; its arguments are a JSON-encoded string.</summary>
    public static PerceptionModality Audio { get; } = new("audio");

    /// <summary>Returns the known instance for a wire string, or a new value for any other string.</summary>
    /// <param name="value">The wire string.</param>
    public static PerceptionModality Parse(string value) => value switch
    {
        "vision" => Vision,
        "audio" => Audio,
        _ => new(value),
    };

    /// <summary>The wire string (empty for <see langword="default"/>).</summary>
    public string Value => _value ?? string.Empty;

    /// <inheritdoc/>
    public bool Equals(PerceptionModality other) => string.Equals(Value, other.Value, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is PerceptionModality other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Value);

    /// <summary>The wire string.</summary>
    public override string ToString() => Value;

    /// <summary>Whether two values are equal, ignoring case.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(PerceptionModality left, PerceptionModality right) => left.Equals(right);

    /// <summary>Whether two values differ, ignoring case.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(PerceptionModality left, PerceptionModality right) => !left.Equals(right);

    /// <summary>Reads and writes the value as a JSON string.</summary>
    public sealed class Converter : JsonConverter<PerceptionModality>
    {
        /// <inheritdoc/>
        public override PerceptionModality Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException("A PerceptionModality must be a JSON string.");
            }

            return Parse(reader.GetString()!);
        }

        /// <inheritdoc/>
        public override void Write(Utf8JsonWriter writer, PerceptionModality value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            writer.WriteStringValue(value.Value);
        }
    }
}
