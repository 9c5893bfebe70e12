using System.Text;

namespace Tavus.Cvi.Interactions.Daily;

/// <summary>
/// JavaScript's <c>encodeURI</c>/<c>decodeURI</c> (ECMA-262 §19.2.6), which daily-js applies to the presence
/// <c>name</c> (daily-protocol.md §4.6). <see cref="Uri.EscapeDataString(string)"/> differs: it also escapes the reserved
/// characters that <c>encodeURI</c> keeps.
/// </summary>
internal static class DailyUriEncoding
{
    // encodeURI keeps: A-Z a-z 0-9 ; , / ? : @ & = + $ - _ . ! ~ * ' ( ) #
    private const string Unescaped = ";,/?:@&=+$-_.!~*'()#";

    // decodeURI leaves escapes of these reserved characters (and '#') encoded.
    private const string ReservedKept = ";/?:@&=+$,#";

    /// <summary>Encodes as <c>encodeURI</c> does. Lone surrogates become U+FFFD (where JavaScript would throw).</summary>
    public static string EncodeUri(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length);
        Span<byte> utf8 = stackalloc byte[4];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (char.IsAsciiLetterOrDigit(c) || Unescaped.Contains(c, StringComparison.Ordinal))
            {
                builder.Append(c);
                continue;
            }

            Rune rune;
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                rune = new Rune(c, value[i + 1]);
                i++;
            }
            else if (char.IsSurrogate(c))
            {
                rune = Rune.ReplacementChar;
            }
            else
            {
                rune = new Rune(c);
            }

            var written = rune.EncodeToUtf8(utf8);
            for (var b = 0; b < written; b++)
            {
                builder.Append('%').Append(utf8[b].ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    /// <summary>
    /// Decodes as <c>decodeURI</c> does, keeping escapes of reserved characters. Where JavaScript would throw
    /// (malformed escapes or UTF-8), the text is returned unchanged.
    /// </summary>
    public static string DecodeUri(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (!value.Contains('%', StringComparison.Ordinal))
        {
            return value;
        }

        var builder = new StringBuilder(value.Length);
        var bytes = new List<byte>(4);
        var i = 0;
        while (i < value.Length)
        {
            if (value[i] != '%')
            {
                builder.Append(value[i++]);
                continue;
            }

            if (!TryHex(value, i, out var first))
            {
                return value;
            }

            if (first < 0x80)
            {
                var c = (char)first;
                if (ReservedKept.Contains(c, StringComparison.Ordinal))
                {
                    builder.Append(value, i, 3);
                }
                else
                {
                    builder.Append(c);
                }

                i += 3;
                continue;
            }

            var expected = first >= 0xF0 ? 4 : first >= 0xE0 ? 3 : first >= 0xC0 ? 2 : 0;
            if (expected == 0)
            {
                return value;
            }

            bytes.Clear();
            bytes.Add(first);
            i += 3;
            for (var k = 1; k < expected; k++)
            {
                if (i >= value.Length || value[i] != '%' || !TryHex(value, i, out var next) || (next & 0xC0) != 0x80)
                {
                    return value;
                }

                bytes.Add(next);
                i += 3;
            }

            if (Rune.DecodeFromUtf8(bytes.ToArray(), out var rune, out var consumed) != System.Buffers.OperationStatus.Done ||
                consumed != expected)
            {
                return value;
            }

            builder.Append(rune.ToString());
        }

        return builder.ToString();
    }

    private static bool TryHex(string value, int percentIndex, out byte result)
    {
        result = 0;
        if (percentIndex + 2 >= value.Length)
        {
            return false;
        }

        var hi = HexValue(value[percentIndex + 1]);
        var lo = HexValue(value[percentIndex + 2]);
        if (hi < 0 || lo < 0)
        {
            return false;
        }

        result = (byte)((hi << 4) | lo);
        return true;
    }

    private static int HexValue(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
