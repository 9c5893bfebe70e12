using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace Tavus.Cvi.Interactions.Session;

// Source-generated metadata for the few values the session itself serializes (AOT-safe).
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(System.Text.Json.JsonElement))]
internal sealed partial class ToolResultJsonContext : JsonSerializerContext
{
}

internal static class ToolResultJson
{
    public static JsonTypeInfo<string> String => ToolResultJsonContext.Default.String;

    public static JsonTypeInfo<System.Text.Json.JsonElement> Element => ToolResultJsonContext.Default.JsonElement;
}
