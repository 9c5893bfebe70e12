using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Protocol;

/// <summary>The role of a speaker in an event: the user, or the replica (called PAL in the 2026 docs).</summary>
/// <remarks>
/// An extensible string value: the known values are static properties, and any other string the wire carries is kept
/// as is (be liberal in what you read). Comparison ignores case.
/// </remarks>
[JsonConverter(typeof(Converter))]
public readonly struct ParticipantRole : IEquatable<ParticipantRole>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire string.</summary>
    /// <param name="value">The wire string; not empty.</param>
    public ParticipantRole(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        _value = value;
    }

    /// <summary>The human participant (<c>user</c>).</summary>
    public static ParticipantRole User { get; } = new("user");

    /// <summary>The replica, under its legacy name (<c>replica</c>).</summary>
    public static ParticipantRole Replica { get; } = new("replica");

    /// <summary>The replica under its 2026 name (<c>pal</c>); Tavus sends PAL turns twice, once as <c>pal</c> and once as <c>replica</c> (tavus-protocol.md §B.1).</summary>
    public static ParticipantRole Pal { get; } = new("pal");

    /// <summary>Whether this is the AI side of the call: <see cref="Replica"/> or <see cref="Pal"/>.</summary>
    public bool IsReplicaOrPal => Equals(Replica) || Equals(Pal);

    /// <summary>Whether this is the human side of the call.</summary>
    public bool IsUser => Equals(User);

    /// <summary>Returns the known instance for a wire string (no allocation), or a new value for any other string.</summary>
    /// <param name="value">The wire string.</param>
    public static ParticipantRole Parse(string value) => value switch
    {
        "user" => User,
        "replica" => Replica,
        "pal" => Pal,
        _ => new(value),
    };

    /// <summary>The wire string (empty for <see langword="default"/>).</summary>
    public string Value => _value ?? string.Empty;

    /// <inheritdoc/>
    public bool Equals(ParticipantRole other) => string.Equals(Value, other.Value, StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc/>
    public override bool Equals([NotNullWhen(true)] object? obj) => obj is ParticipantRole other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.OrdinalIgnoreCase.GetHashCode(Value);

    /// <summary>The wire string.</summary>
    public override string ToString() => Value;

    /// <summary>Whether two values are equal, ignoring case.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator ==(ParticipantRole left, ParticipantRole right) => left.Equals(right);

    /// <summary>Whether two values differ, ignoring case.</summary>
    /// <param name="left">The first value.</param>
    /// <param name="right">The second value.</param>
    public static bool operator !=(ParticipantRole left, ParticipantRole right) => !left.Equals(right);

    /// <summary>Reads and writes the value as a JSON string.</summary>
    public sealed class Converter : JsonConverter<ParticipantRole>
    {
        /// <inheritdoc/>
        public override ParticipantRole Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                throw new JsonException("A ParticipantRole must be a JSON string.");
            }

            return Parse(reader.GetString()!);
        }

        /// <inheritdoc/>
        public override void Write(Utf8JsonWriter writer, ParticipantRole value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            writer.WriteStringValue(value.Value);
        }
    }
}
