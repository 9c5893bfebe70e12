using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Protocol;

/// <summary>A frame attached to a vision <see cref="PerceptionToolCallEvent"/> (tavus-protocol.md §B.6).</summary>
public sealed record PerceptionFrame
{
    /// <summary><c>data</c>: the image, base64 (normally JPEG).</summary>
    [JsonPropertyName("data")]
    public string? Data { get; init; }

    /// <summary><c>mime_type</c>, such as <c>image/jpeg</c>.</summary>
    [JsonPropertyName("mime_type")]
    public string? MimeType { get; init; }

    /// <summary>Keys the SDK does not model, kept as received (settable because the serializer fills it).</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? ExtensionData { get; set; }

    /// <summary>Decodes <see cref="Data"/>; null when absent or not valid base64.</summary>
    public byte[]? GetBytes()
    {
        if (Data is null)
        {
            return null;
        }

        var buffer = new byte[(Data.Length * 3 / 4) + 3];
        return Convert.TryFromBase64String(Data, buffer, out var written) ? buffer.AsSpan(0, written).ToArray() : null;
    }

    /// <summary>Value equality; <see cref="ExtensionData"/> is compared by JSON content.</summary>
    /// <param name="other">The other frame.</param>
    public bool Equals(PerceptionFrame? other) =>
        ReferenceEquals(this, other) ||
        (other is not null &&
         string.Equals(Data, other.Data, StringComparison.Ordinal) &&
         string.Equals(MimeType, other.MimeType, StringComparison.Ordinal) &&
         JsonEquality.DictionaryEquals(ExtensionData, other.ExtensionData));

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Data, MimeType);
}
