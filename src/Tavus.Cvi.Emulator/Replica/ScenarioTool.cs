namespace Tavus.Cvi.Emulator.Replica;

/// <summary>A tool the replica calls (<c>conversation.tool_call</c>) when the user's words contain a trigger phrase.</summary>
public sealed class ScenarioTool
{
    /// <summary>The tool's function name.</summary>
    public required string Name { get; init; }

    /// <summary>Phrases (case-insensitive) that make the replica call this tool.</summary>
    public IReadOnlyList<string> TriggerPhrases { get; init; } = [];

    /// <summary>The arguments as a JSON object template (<c>{text}</c> is replaced by the user's words, JSON-escaped).</summary>
    public string ArgumentsTemplate { get; init; } = "{}";

    /// <summary>What the replica says once the result arrives (<c>{output}</c> is the result).</summary>
    public string ResultReply { get; init; } = "The result is: {output}";

    /// <summary>What the replica says when the result has <c>status:"error"</c>.</summary>
    public string ErrorReply { get; init; } = "Sorry, that did not work: {output}";
}
