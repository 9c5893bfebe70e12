namespace Tavus.Cvi.Emulator.Replica;

/// <summary>A canned reply: when the user's words (and optionally the context) contain a phrase, say this.</summary>
public sealed class ScenarioReply
{
    /// <summary>A phrase the user's text must contain (case-insensitive); null matches any text.</summary>
    public string? When { get; init; }

    /// <summary>A phrase the current conversational context must contain (case-insensitive); null for no condition.</summary>
    public string? WhenContext { get; init; }

    /// <summary>The reply template.</summary>
    public required string Reply { get; init; }
}
