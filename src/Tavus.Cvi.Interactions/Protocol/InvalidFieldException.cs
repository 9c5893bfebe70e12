using System.Text.Json;

namespace Tavus.Cvi.Interactions.Protocol;

// Thrown inside the decoder when a known field has the wrong type; CviJson catches it and turns it into an
// InvalidMessageEvent (or a false TryDecodeInteraction), so it never reaches a caller of CviJson.
internal sealed class InvalidFieldException : JsonException
{
    public InvalidFieldException()
    {
    }

    public InvalidFieldException(string message)
        : base(message)
    {
    }

    public InvalidFieldException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public static InvalidFieldException WrongType(string field, string expected, JsonTokenType actual) =>
        new($"The field '{field}' must be {expected}, not {Describe(actual)}.");

    public static InvalidFieldException BadValue(string field, string expected) =>
        new($"The field '{field}' must be {expected}.");

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
