using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Protocol;

/// <summary>What a <c>conversation.echo</c> carries: text to speak or base64 PCM audio (tavus-protocol.md §A.1).</summary>
/// <remarks>
/// An extensible string value: the known values are static properties, and any other string the wire carries is kept
/// as is (be liberal in what you read). Comparison ignores case.
/// </remarks>
[JsonConverter(typeof(Converter))]
public readonly struct EchoModality : IEquatable<EchoModality>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire string.</summary>
    /// <param name="value">The wire string; not empty.</param>
    public EchoModality(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        _value = value;
    }

    /// <summary><c>text</c>: the replica speaks <see cref="EchoInteraction.Text"/>.</summary>
    public static EchoModality Text { get; } = new("text");

    /// <summary><c>audio</c>: the replica lip-syncs <see cref="EchoInteraction.Audio"/>.</summary>
    public static EchoModality Audio { get; } = new("audio");

    /// <summary>
    /// Returns the known instance for a wire string, or a new value for any other string. The legacy
    /// <c>speech</c> sent by the interactions playground (tavus-protocol.md §A.1) reads as <see cref="Text"/>.
    /// </summary>
    /// <param name="value">The wire string.</param>
    public static EchoModality Parse(string value) => value switch
    {
        "text" => Text,
        "audio" => Audio,
        "speech" => Text,
        _ => new(value),
    };

    /// <summary>The wire string (empty for <see langword="default"/>).</summary>
    public string Value => _value ?? string.Empty;

    /// <inheritdoc/>
    public bool Equals(EchoModality other) => string.Equals(Value, other.Value, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is EchoModality other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Value);

    /// <summary>The wire string.</summary>
    public override string ToString() => Value;

    /// <summary>Whether two values are equal, ignoring case.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(EchoModality left, EchoModality right) => left.Equals(right);

    /// <summary>Whether two values differ, ignoring case.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(EchoModality left, EchoModality right) => !left.Equals(right);

    /// <summary>Reads and writes the value as a JSON string.</summary>
    public sealed class Converter : JsonConverter<EchoModality>
    {
        /// <inheritdoc/>
        public override EchoModality Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException("A EchoModality must be a JSON string.");
            }

            return Parse(reader.GetString()!);
        }

        /// <inheritdoc/>
        public override void Write(Utf8JsonWriter writer, EchoModality value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            writer.WriteStringValue(value.Value);
        }
    }
}
