using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Protocol;

/// <summary>A voice-activity sensitivity level of <c>conversation.sensitivity</c> (tavus-protocol.md §A.6).</summary>
/// <remarks>
/// An extensible string value: the known values are static properties, and any other string the wire carries is kept
/// as is (be liberal in what you read). Comparison ignores case.
/// </remarks>
[JsonConverter(typeof(Converter))]
public readonly struct Sensitivity : IEquatable<Sensitivity>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire string.</summary>
    /// <param name="value">The wire string; not empty.</param>
    public Sensitivity(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        _value = value;
    }

    /// <summary><c>low</c> (documented).</summary>
    public static Sensitivity Low { get; } = new("low");

    /// <summary><c>medium</c> (documented).</summary>
    public static Sensitivity Medium { get; } = new("medium");

    /// <summary><c>high</c> (documented).</summary>
    public static Sensitivity High { get; } = new("high");

    /// <summary><c>superlow</c> (allowed by the @tavus/cvi-ui types only).</summary>
    public static Sensitivity SuperLow { get; } = new("superlow");

    /// <summary><c>verylow</c> (allowed by the @tavus/cvi-ui types only).</summary>
    public static Sensitivity VeryLow { get; } = new("verylow");

    /// <summary><c>auto</c> (allowed by the @tavus/cvi-ui types only).</summary>
    public static Sensitivity Auto { get; } = new("auto");

    /// <summary>Returns the known instance for a wire string, or a new value for any other string.</summary>
    /// <param name="value">The wire string.</param>
    public static Sensitivity Parse(string value) => value switch
    {
        "low" => Low,
        "medium" => Medium,
        "high" => High,
        "superlow" => SuperLow,
        "verylow" => VeryLow,
        "auto" => Auto,
        _ => new(value),
    };

    /// <summary>The wire string (empty for <see langword="default"/>).</summary>
    public string Value => _value ?? string.Empty;

    /// <inheritdoc/>
    public bool Equals(Sensitivity other) => string.Equals(Value, other.Value, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is Sensitivity other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Value);

    /// <summary>The wire string.</summary>
    public override string ToString() => Value;

    /// <summary>Whether two values are equal, ignoring case.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(Sensitivity left, Sensitivity right) => left.Equals(right);

    /// <summary>Whether two values differ, ignoring case.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(Sensitivity left, Sensitivity right) => !left.Equals(right);

    /// <summary>Reads and writes the value as a JSON string.</summary>
    public sealed class Converter : JsonConverter<Sensitivity>
    {
        /// <inheritdoc/>
        public override Sensitivity Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException("A Sensitivity must be a JSON string.");
            }

            return Parse(reader.GetString()!);
        }

        /// <inheritdoc/>
        public override void Write(Utf8JsonWriter writer, Sensitivity value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            writer.WriteStringValue(value.Value);
        }
    }
}
