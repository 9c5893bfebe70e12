using System.Text.Json;

namespace Tavus.Cvi.Interactions.Session;

/// <summary>
/// Folds the PAL duplicates: for PAL turns Tavus sends two app messages that differ only in <c>properties.role</c>
/// (<c>"pal"</c> and the legacy <c>"replica"</c>) (tavus-protocol.md §B.1-§B.3, §G.3). The first of the pair is kept;
/// the second is recognized by a fingerprint of the raw JSON that ignores <c>role</c>, <c>seq</c> and <c>timestamp</c>
/// (the sources do not say whether the copies share those).
/// </summary>
internal sealed class PalReplicaDuplicateFolder
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    private readonly Queue<(ulong Fingerprint, bool IsPal)> _recent = new();
    private readonly int _window;

    public PalReplicaDuplicateFolder(int window = 64)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(window);
        _window = window;
    }

    /// <summary>
    /// Whether the message is the second copy of a PAL pair and should be dropped. Messages without a
    /// <c>pal</c>/<c>replica</c> role, and malformed JSON, are never duplicates.
    /// </summary>
    public bool IsDuplicate(ReadOnlySpan<byte> utf8Json)
    {
        if (!TryFingerprint(utf8Json, out ulong fingerprint, out bool isPal)) return false;

        foreach (var (f, pal) in _recent)
        {
            if (f == fingerprint && pal != isPal)
            {
                return true;
            }
        }

        _recent.Enqueue((fingerprint, isPal));
        if (_recent.Count > _window) _recent.Dequeue();
        return false;
    }

    /// <summary>Hashes the message without role/seq/timestamp; false unless <c>properties.role</c> is pal or replica.</summary>
    internal static bool TryFingerprint(ReadOnlySpan<byte> utf8Json, out ulong fingerprint, out bool isPal)
    {
        fingerprint = FnvOffset;
        isPal = false;
        bool hasRole = false;
        try
        {
            var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            bool inProperties = false;
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    int depth = reader.CurrentDepth;
                    if (depth == 1 && (reader.ValueTextEquals("seq"u8) || reader.ValueTextEquals("timestamp"u8)))
                    {
                        reader.Read();
                        reader.Skip();
                        continue;
                    }

                    if (depth == 2 && inProperties && reader.ValueTextEquals("role"u8))
                    {
                        reader.Read();
                        if (reader.TokenType != JsonTokenType.String) return false;
                        if (reader.ValueTextEquals("pal"u8)) isPal = true;
                        else if (!reader.ValueTextEquals("replica"u8)) return false;
                        hasRole = true;
                        continue;
                    }

                    if (depth == 1) inProperties = reader.ValueTextEquals("properties"u8);
                }

                fingerprint = Mix(fingerprint, (byte)reader.TokenType);
                foreach (byte b in reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan)
                {
                    fingerprint = Mix(fingerprint, b);
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }

        return hasRole;
    }

    private static ulong Mix(ulong hash, byte value) => (hash ^ value) * FnvPrime;
}
