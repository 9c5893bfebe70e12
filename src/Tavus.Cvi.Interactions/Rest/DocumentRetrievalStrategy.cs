using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Rest;

/// <summary>
/// How the knowledge base is searched for a conversation (<c>document_retrieval_strategy</c>, tavus-protocol.md §D.2):
/// <see cref="Speed"/>, <see cref="Balanced"/> or <see cref="Quality"/>. An extensible string: a value Tavus adds later
/// is kept as it came, not rejected.
/// </summary>
[JsonConverter(typeof(Converter))]
public readonly struct DocumentRetrievalStrategy : IEquatable<DocumentRetrievalStrategy>
{
    private readonly string? _value;

    /// <summary>Creates a strategy from its wire value.</summary>
    /// <param name="value">The wire value, such as <c>balanced</c>.</param>
    public DocumentRetrievalStrategy(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        _value = value;
    }

    /// <summary>Fastest retrieval.</summary>
    public static DocumentRetrievalStrategy Speed { get; } = new("speed");

    /// <summary>A balance of latency and relevance.</summary>
    public static DocumentRetrievalStrategy Balanced { get; } = new("balanced");

    /// <summary>Most relevant results, slower.</summary>
    public static DocumentRetrievalStrategy Quality { get; } = new("quality");

    /// <summary>The wire value.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Whether two strategies are equal (ordinal, case-insensitive).</summary>
    public static bool operator ==(DocumentRetrievalStrategy left, DocumentRetrievalStrategy right) => left.Equals(right);

    /// <summary>Whether two strategies differ.</summary>
    public static bool operator !=(DocumentRetrievalStrategy left, DocumentRetrievalStrategy right) => !left.Equals(right);

    /// <summary>Converts a wire value to a strategy.</summary>
    /// <param name="value">The wire value.</param>
    public static implicit operator DocumentRetrievalStrategy(string value) => new(value);

    /// <inheritdoc/>
    public bool Equals(DocumentRetrievalStrategy other) => string.Equals(Value, other.Value, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc/>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public override bool Equals(object? obj) => obj is DocumentRetrievalStrategy other && Equals(other);

    /// <inheritdoc/>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Value);

    /// <inheritdoc/>
    public override string ToString() => Value;

    /// <summary>Reads and writes the strategy as a JSON string.</summary>
    [EditorBrowsable(EditorBrowsableState.Never)]
    public sealed class Converter : JsonConverter<DocumentRetrievalStrategy>
    {
        /// <inheritdoc/>
        public override DocumentRetrievalStrategy Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
            => reader.TokenType == JsonTokenType.String
                ? new DocumentRetrievalStrategy(reader.GetString()!)
                : throw new JsonException("A document retrieval strategy must be a JSON string.");

        /// <inheritdoc/>
        public override void Write(Utf8JsonWriter writer, DocumentRetrievalStrategy value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            writer.WriteStringValue(value.Value);
        }
    }
}
