using System.Text.Json;

namespace Tavus.Cvi.Interactions.Protocol;

// A JSON value of a decoded message (tool-call arguments, a tool result's output, a realtime body) held as its UTF-8
// text and parsed into a JsonElement the first time it is asked for. Parsing costs a JsonDocument, more than the rest
// of a small message together, and many consumers only look at the name, the id or the raw text. A value set through
// the public init accessor (a JsonElement) is held as given. Reads are thread-safe: events fan out to several
// receivers, so the parsed element is published once with a compare-exchange and every reader sees the same one.
internal struct LazyJsonElement
{
    private readonly byte[]? _utf8;
    private readonly JsonElement _given;
    private object? _parsed;

    private LazyJsonElement(byte[]? utf8, JsonElement given)
    {
        _utf8 = utf8;
        _given = given;
        _parsed = null;
    }

    public static LazyJsonElement FromElement(JsonElement value) => new(null, value);

    // utf8 is one complete JSON value already checked by a Utf8JsonReader (structure and depth), so parsing it
    // later cannot fail.
    public static LazyJsonElement FromUtf8(byte[] utf8) => new(utf8, default);

    public JsonElement Value
    {
        get
        {
            if (_utf8 is null)
            {
                return _given;
            }

            var parsed = Volatile.Read(ref _parsed);
            if (parsed is null)
            {
                // The bytes were validated against the caller's depth limit when they were read; they are at
                // least two levels below that document's root, so no limit can refuse them here.
                var reader = new Utf8JsonReader(_utf8, new JsonReaderOptions { MaxDepth = int.MaxValue });
                reader.Read();
                parsed = JsonElement.ParseValue(ref reader);
                parsed = Interlocked.CompareExchange(ref _parsed, parsed, null) ?? parsed;
            }

            return (JsonElement)parsed;
        }
    }
}
