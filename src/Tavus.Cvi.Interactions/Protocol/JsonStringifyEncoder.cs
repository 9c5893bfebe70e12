using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;

namespace Tavus.Cvi.Interactions.Protocol;

// Escapes exactly what JavaScript's JSON.stringify escapes (ECMA-262 §25.5.2.3 QuoteJSONString): '"', '\\', control
// characters below U+0020 (\b \t \n \f \r as short escapes, the rest as lowercase \u00xx) and lone surrogates; every
// other character, including non-ASCII and emoji, is written as is. daily-js checks an app message against its limit
// with JSON.stringify(data).length (daily-protocol.md §6), so text written this way has the same UTF-16 length as
// Daily measures. JavaScriptEncoder.UnsafeRelaxedJsonEscaping is close but still escapes every supplementary-plane
// character (an emoji becomes 12 characters instead of 2).
internal sealed class JsonStringifyEncoder : JavaScriptEncoder
{
    public static JsonStringifyEncoder Instance { get; } = new();

    private JsonStringifyEncoder()
    {
    }

    public override int MaxOutputCharactersPerInputCharacter => 6;

    public override bool WillEncode(int unicodeScalar) =>
        unicodeScalar < 0x20 || unicodeScalar == '"' || unicodeScalar == '\\' || (unicodeScalar is >= 0xD800 and <= 0xDFFF);

    public override unsafe int FindFirstCharacterToEncode(char* text, int textLength)
    {
        ArgumentNullException.ThrowIfNull(text);
        return FindFirst(new ReadOnlySpan<char>(text, textLength));
    }

    public override int FindFirstCharacterToEncodeUtf8(ReadOnlySpan<byte> utf8Text)
    {
        // Bytes >= 0x80 are parts of multi-byte sequences and never need escaping when the sequence is valid; an
        // invalid sequence is left to the base class, which reports it so the writer can replace it.
        var index = utf8Text.IndexOfAnyInRange((byte)0x00, (byte)0x1F);
        var quote = utf8Text.IndexOfAny((byte)'"', (byte)'\\');
        var first = index < 0 ? quote : quote < 0 ? index : Math.Min(index, quote);
        var scanEnd = first < 0 ? utf8Text.Length : first;
        if (System.Text.Unicode.Utf8.IsValid(utf8Text[..scanEnd]))
        {
            return first;
        }

        return base.FindFirstCharacterToEncodeUtf8(utf8Text);
    }

    public override unsafe bool TryEncodeUnicodeScalar(int unicodeScalar, char* buffer, int bufferLength, out int numberOfCharactersWritten)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        var destination = new Span<char>(buffer, bufferLength);
        numberOfCharactersWritten = 0;
        if (!WillEncode(unicodeScalar))
        {
            // Not escaped: the scalar itself, as one or two UTF-16 code units.
            if (!new Rune(unicodeScalar).TryEncodeToUtf16(destination, out var written))
            {
                return false;
            }

            numberOfCharactersWritten = written;
            return true;
        }

        ReadOnlySpan<char> shortEscape = unicodeScalar switch
        {
            '"' => "\\\"",
            '\\' => "\\\\",
            '\b' => "\\b",
            '\t' => "\\t",
            '\n' => "\\n",
            '\f' => "\\f",
            '\r' => "\\r",
            _ => default,
        };
        if (!shortEscape.IsEmpty)
        {
            if (!shortEscape.TryCopyTo(destination))
            {
                return false;
            }

            numberOfCharactersWritten = shortEscape.Length;
            return true;
        }

        if (destination.Length < 6)
        {
            return false;
        }

        destination[0] = '\\';
        destination[1] = 'u';
        unicodeScalar.TryFormat(destination[2..], out _, "x4", System.Globalization.CultureInfo.InvariantCulture);
        numberOfCharactersWritten = 6;
        return true;
    }

    private static int FindFirst(ReadOnlySpan<char> text)
    {
        // Vectorized search for anything that might need escaping; a well-formed surrogate pair is skipped and the
        // search resumes after it, so emoji-heavy text stays correct and plain text stays fast.
        var offset = 0;
        while (true)
        {
            var found = text[offset..].IndexOfAny(MaybeEscaped);
            if (found < 0)
            {
                return -1;
            }

            var i = offset + found;
            if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                offset = i + 2;
                continue;
            }

            return i;
        }
    }

    // Control characters, '"', '\\' and every surrogate (pairs are then checked one by one).
    private static readonly SearchValues<char> MaybeEscaped = SearchValues.Create(BuildMaybeEscaped());

    private static string BuildMaybeEscaped()
    {
        var chars = new StringBuilder();
        for (var c = '\0'; c < ' '; c++)
        {
            chars.Append(c);
        }

        chars.Append('"').Append('\\');
        for (var c = '\uD800'; c <= '\uDFFF'; c++)
        {
            chars.Append(c);
        }

        return chars.ToString();
    }
}
