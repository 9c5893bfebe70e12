using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Tavus.Cvi.Interactions.Protocol;

// Tool-call arguments arrive either as a JSON string holding JSON (tavus-protocol.md §B.5, the documented form) or as a
// JSON object (tavus-skills, vision perception tools §B.6). These helpers read both the same way.
internal static class ToolArguments
{
    public static string ToJson(JsonElement arguments) => arguments.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => "{}",
        JsonValueKind.String => arguments.GetString()!,
        _ => arguments.GetRawText(),
    };

    public static T? Deserialize<T>(JsonElement arguments, JsonTypeInfo<T> typeInfo)
    {
        ArgumentNullException.ThrowIfNull(typeInfo);
        return arguments.ValueKind switch
        {
            JsonValueKind.Undefined or JsonValueKind.Null => default,
            JsonValueKind.String => JsonSerializer.Deserialize(arguments.GetString()!, typeInfo),
            _ => arguments.Deserialize(typeInfo),
        };
    }

    [RequiresUnreferencedCode("Deserializing an arbitrary type may need reflection.")]
    [RequiresDynamicCode("Deserializing an arbitrary type may need runtime code generation.")]
    public static T? Deserialize<T>(JsonElement arguments, JsonSerializerOptions? options) => arguments.ValueKind switch
    {
        JsonValueKind.Undefined or JsonValueKind.Null => default,
        JsonValueKind.String => JsonSerializer.Deserialize<T>(arguments.GetString()!, options),
        _ => arguments.Deserialize<T>(options),
    };
}
