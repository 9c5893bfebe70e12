using System.Buffers;
using System.Text.Json;

namespace Tavus.Cvi.Interactions.Daily;

/// <summary>
/// Measures an app message as daily-js does: <c>JSON.stringify(data).length</c>, the UTF-16 code units of the compact
/// JSON text that JavaScript would produce for the payload (daily-protocol.md §6).
/// </summary>
/// <remarks>
/// The UTF-16 length of the bytes as given would over-count whitespace and the <c>\uXXXX</c> escapes that
/// System.Text.Json writes by default for non-ASCII and <c>&lt;&gt;&amp;'+</c>, which <c>JSON.stringify</c> writes as
/// one character. So the payload is walked token by token and each string is counted with ECMA-262's
/// <c>QuoteJSONString</c> rules (ES2019+: lone surrogates escaped). Numbers are counted as written.
/// </remarks>
internal static class DailyAppMessageSize
{
    /// <summary>The UTF-16 length of <c>JSON.stringify(JSON.parse(text))</c>.</summary>
    /// <exception cref="ArgumentException">The payload is not one valid JSON value.</exception>
    public static int Measure(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = 256 });
        // Elements seen so far in each open container: a comma precedes every element but the first; the value after
        // a property name belongs to that property.
        Span<int> counts = stackalloc int[258];
        var depth = 0;
        var afterPropertyName = false;
        long length = 0;
        char[]? rented = null;
        try
        {
            while (reader.Read())
            {
                var token = reader.TokenType;
                if (token is JsonTokenType.EndObject or JsonTokenType.EndArray)
                {
                    length++;
                    depth--;
                    continue;
                }

                if (afterPropertyName)
                {
                    afterPropertyName = false;
                }
                else if (depth > 0 && counts[depth]++ > 0)
                {
                    length++; // ','
                }

                switch (token)
                {
                    case JsonTokenType.StartObject:
                    case JsonTokenType.StartArray:
                        length++;
                        depth++;
                        counts[depth] = 0;
                        break;
                    case JsonTokenType.PropertyName:
                        length += QuotedLength(ref reader, ref rented) + 1; // ':'
                        afterPropertyName = true;
                        break;
                    case JsonTokenType.String:
                        length += QuotedLength(ref reader, ref rented);
                        break;
                    case JsonTokenType.Number:
                        length += reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
                        break;
                    case JsonTokenType.True:
                    case JsonTokenType.Null:
                        length += 4;
                        break;
                    case JsonTokenType.False:
                        length += 5;
                        break;
                    default:
                        break;
                }
            }

            return length > int.MaxValue ? int.MaxValue : (int)length;
        }
        catch (JsonException ex)
        {
            throw new ArgumentException("The payload is not valid JSON.", nameof(utf8Json), ex);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private static long QuotedLength(ref Utf8JsonReader reader, ref char[]? rented)
    {
        var byteLength = reader.HasValueSequence ? reader.ValueSequence.Length : reader.ValueSpan.Length;
        if (rented is null || rented.Length < byteLength)
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }

            rented = ArrayPool<char>.Shared.Rent((int)Math.Max(byteLength, 16));
        }

        int chars;
        try
        {
            chars = reader.CopyString(rented);
        }
        catch (InvalidOperationException)
        {
            // An escaped lone surrogate cannot be transcoded; count the escaped form (six units per escape), which is
            // what JSON.stringify writes for it.
            return byteLength + 2;
        }

        long length = 2;
        var text = rented.AsSpan(0, chars);
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '"' or '\\' or '\b' or '\f' or '\n' or '\r' or '\t')
            {
                length += 2;
            }
            else if (c < 0x20)
            {
                length += 6;
            }
            else if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                {
                    length += 2;
                    i++;
                }
                else
                {
                    length += 6;
                }
            }
            else if (char.IsLowSurrogate(c))
            {
                length += 6;
            }
            else
            {
                length++;
            }
        }

        return length;
    }
}
