using System.Diagnostics.CodeAnalysis;
using System.Text.Json.Serialization.Metadata;
using System.Text.Json.Serialization;
using System.Text.Json;

namespace Tavus.Cvi.Interactions.Protocol;

/// <summary>
/// <c>conversation.perception_tool_call</c>: a Raven perception tool fired (tavus-protocol.md §B.6). Audio tools send
/// their arguments as a JSON string, vision tools as an object; both read the same through
/// <see cref="ArgumentsJson"/> and <see cref="GetArguments{T}(JsonTypeInfo{T})"/>.
/// </summary>
[JsonConverter(typeof(CviEventJsonConverter<PerceptionToolCallEvent>))]
public sealed record PerceptionToolCallEvent : CviEvent
{
    private LazyJsonElement _arguments;

    /// <summary>Creates the event with the documented <c>event_type</c>.</summary>
    public PerceptionToolCallEvent()
        : base(CviEventTypes.PerceptionToolCall, CviEventTypes.ConversationMessageType)
    {
    }

    /// <summary><c>modality</c>: <see cref="PerceptionModality.Vision"/> or <see cref="PerceptionModality.Audio"/>.</summary>
    public PerceptionModality? Modality { get; init; }

    /// <summary><c>frames</c> (vision only, optional): the images the tool saw.</summary>
    public IReadOnlyList<PerceptionFrame>? Frames { get; init; }

    /// <summary><c>tool_call_id</c>: echo it in <see cref="ToolResultInteraction.ToolCallId"/>. Older payloads lack it.</summary>
    public string? ToolCallId { get; init; }

    /// <summary><c>name</c> (read also from <c>tool_name</c>, the tavus-skills name): the tool's function name.</summary>
    public string? Name { get; init; }

    /// <summary>
    /// <c>arguments</c> as received: normally a JSON string holding JSON (OpenAI style), sometimes a JSON object.
    /// <see cref="JsonValueKind.Undefined"/> when absent. Use <see cref="ArgumentsJson"/> or
    /// <see cref="GetArguments{T}(JsonTypeInfo{T})"/> to read it either way.
    /// </summary>
    public JsonElement Arguments { get => _arguments.Value; init => _arguments = LazyJsonElement.FromElement(value); }

    // The decoder sets the wire text here, parsed on first read of Arguments (see LazyJsonElement).
    internal LazyJsonElement ArgumentsValue { get => _arguments; init => _arguments = value; }

    /// <summary>The arguments as JSON text in both wire forms: the inner text of a string, or the object's JSON; <c>{}</c> when absent or null.</summary>
    public string ArgumentsJson => ToolArguments.ToJson(Arguments);

    /// <summary>Deserializes the arguments with source-generated metadata, unwrapping JSON held in a string.</summary>
    /// <typeparam name="T">The arguments type.</typeparam>
    /// <param name="typeInfo">The metadata of <typeparamref name="T"/>.</param>
    /// <returns>The arguments; <see langword="default"/> when absent.</returns>
    /// <exception cref="JsonException">The arguments are not valid JSON for <typeparamref name="T"/>.</exception>
    public T? GetArguments<T>(JsonTypeInfo<T> typeInfo) => ToolArguments.Deserialize(Arguments, typeInfo);

    /// <summary>Deserializes the arguments with the given options, unwrapping JSON held in a string.</summary>
    /// <typeparam name="T">The arguments type.</typeparam>
    /// <param name="options">The serializer options; reflection-based when they carry no source-generated resolver.</param>
    /// <returns>The arguments; <see langword="default"/> when absent.</returns>
    /// <exception cref="JsonException">The arguments are not valid JSON for <typeparamref name="T"/>.</exception>
    [RequiresUnreferencedCode("Deserializing an arbitrary type may need reflection; use the JsonTypeInfo overload for trimming.")]
    [RequiresDynamicCode("Deserializing an arbitrary type may need runtime code generation; use the JsonTypeInfo overload for AOT.")]
    public T? GetArguments<T>(JsonSerializerOptions? options = null) => ToolArguments.Deserialize<T>(Arguments, options);

    /// <summary>Value equality; <see cref="Arguments"/> is compared by JSON content and <see cref="Frames"/> element by element.</summary>
    /// <param name="other">The other event.</param>
    public bool Equals(PerceptionToolCallEvent? other) =>
        base.Equals(other) &&
        string.Equals(ToolCallId, other.ToolCallId, StringComparison.Ordinal) &&
        string.Equals(Name, other.Name, StringComparison.Ordinal) &&
        JsonEquality.ElementEquals(Arguments, other.Arguments) &&
        Nullable.Equals(Modality, other.Modality) &&
        JsonEquality.SequenceEquals(Frames, other.Frames);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), ToolCallId, Name);
}
