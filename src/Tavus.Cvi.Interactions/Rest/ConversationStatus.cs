using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Rest;

/// <summary>
/// The status of a conversation (tavus-protocol.md §D.2): <see cref="Active"/> or <see cref="Ended"/>. An extensible
/// string: a value Tavus adds later is kept as it came, not rejected.
/// </summary>
[JsonConverter(typeof(Converter))]
public readonly struct ConversationStatus : IEquatable<ConversationStatus>
{
    private readonly string? _value;

    /// <summary>Creates a status from its wire value.</summary>
    /// <param name="value">The wire value, such as <c>active</c>.</param>
    public ConversationStatus(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>The conversation is running (or waiting for participants) and holds a concurrency slot.</summary>
    public static ConversationStatus Active { get; } = new("active");

    /// <summary>The conversation has ended.</summary>
    public static ConversationStatus Ended { get; } = new("ended");

    /// <summary>The wire value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Whether two statuses are equal (ordinal, case-insensitive).</summary>
    public static bool operator ==(ConversationStatus left, ConversationStatus right) => left.Equals(right);

    /// <summary>Whether two statuses differ.</summary>
    public static bool operator !=(ConversationStatus left, ConversationStatus right) => !left.Equals(right);

    /// <summary>Converts a wire value to a status.</summary>
    /// <param name="value">The wire value.</param>
    public static implicit operator ConversationStatus(string value) => new(value);

    /// <inheritdoc/>
    public bool Equals(ConversationStatus other) => string.Equals(Value, other.Value, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc/>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public override bool Equals(object? obj) => obj is ConversationStatus other && Equals(other);

    /// <inheritdoc/>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value;

    /// <summary>Reads and writes the status as a JSON string.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public sealed class Converter : JsonConverter<ConversationStatus>
    {
        /// <inheritdoc/>
        public override ConversationStatus Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
            => reader.TokenType == JsonTokenType.String
                ? new ConversationStatus(reader.GetString()!)
                : throw new JsonException("A conversation status must be a JSON string.");

        /// <inheritdoc/>
        public override void Write(Utf8JsonWriter writer, ConversationStatus value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            writer.WriteStringValue(value.Value);
        }
    }
}
