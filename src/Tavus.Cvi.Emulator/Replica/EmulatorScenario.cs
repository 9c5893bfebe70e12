using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tavus.Cvi.Emulator.Replica;

/// <summary>
/// How the emulated replica behaves: who it is, what it says, which tools it calls and how fast. Build one in C#
/// or load it from JSON (<see cref="Parse"/>, <see cref="Load"/>; snake_case names, durations in milliseconds).
/// Reply texts are templates: <c>{text}</c> (the user's words), <c>{context}</c> (the current conversational
/// context), <c>{persona}</c> (<see cref="PersonaName"/>), <c>{output}</c> (a tool result).
/// </summary>
public sealed class EmulatorScenario
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        Converters = { new MillisecondsConverter() },
    };

    private static readonly JsonSerializerOptions IndentedJsonOptions = new(JsonOptions) { WriteIndented = true };

    /// <summary>The default scenario: a friendly replica named Emu with one weather tool.</summary>
    public static EmulatorScenario Default { get; } = new()
    {
        Replies =
        [
            new ScenarioReply { When = "hello", Reply = "Hello! Nice to meet you." },
            new ScenarioReply { When = "context", Reply = "My context says: {context}" },
        ],
        Tools =
        [
            new ScenarioTool
            {
                Name = "get_weather",
                TriggerPhrases = ["weather"],
                ArgumentsTemplate = "{\"location\":\"San Francisco\",\"question\":\"{text}\"}",
                ResultReply = "Here is the weather: {output}",
            },
        ],
    };

    /// <summary>The display name of the replica participant (its presence <c>name</c>).</summary>
    public string PersonaName { get; init; } = "Emu";

    /// <summary>The replica id used when a conversation names none.</summary>
    public string ReplicaId { get; init; } = "r-emulator";

    /// <summary>The persona id used when a conversation names none.</summary>
    public string PersonaId { get; init; } = "p-emulator";

    /// <summary>The system prompt (first line of the transcript webhook).</summary>
    public string SystemPrompt { get; init; } = "You are Emu, the replica of the Tavus CVI emulator.";

    /// <summary>What the replica says when a participant joins (overridden by a conversation's <c>custom_greeting</c>); null or empty for none.</summary>
    public string? Greeting { get; init; } = "Hi, I'm {persona}. How can I help you today?";

    /// <summary>Canned replies; the first whose phrase matches wins.</summary>
    public IReadOnlyList<ScenarioReply> Replies { get; init; } = [];

    /// <summary>Tools the replica calls when the user's words contain a trigger phrase.</summary>
    public IReadOnlyList<ScenarioTool> Tools { get; init; } = [];

    /// <summary>The reply when nothing else matches.</summary>
    public string FallbackReply { get; init; } = "You said: {text}";

    /// <summary>How fast the replica acts.</summary>
    public ScenarioTimings Timings { get; init; } = new();

    /// <summary>Reads a scenario from JSON text.</summary>
    /// <param name="json">The scenario as JSON.</param>
    /// <exception cref="JsonException">The text is not a valid scenario.</exception>
    public static EmulatorScenario Parse(string json) =>
        JsonSerializer.Deserialize<EmulatorScenario>(json, JsonOptions) ?? throw new JsonException("The scenario is null.");

    /// <summary>Reads a scenario from a JSON file.</summary>
    /// <param name="path">The file.</param>
    public static EmulatorScenario Load(string path) => Parse(File.ReadAllText(path));

    /// <summary>Writes the scenario as JSON (the format <see cref="Parse"/> reads).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, IndentedJsonOptions);

    private sealed class MillisecondsConverter : JsonConverter<TimeSpan>
    {
        public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Number
                ? TimeSpan.FromMilliseconds(reader.GetDouble())
                : TimeSpan.Parse(reader.GetString()!, System.Globalization.CultureInfo.InvariantCulture);

        public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
            writer.WriteNumberValue(value.TotalMilliseconds);
    }
}
