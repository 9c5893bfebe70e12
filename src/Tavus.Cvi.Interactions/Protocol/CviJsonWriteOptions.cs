namespace Tavus.Cvi.Interactions.Protocol;

/// <summary>How <see cref="CviJson"/> writes interactions.</summary>
public sealed record CviJsonWriteOptions
{
    /// <summary>The defaults: documented names.</summary>
    public static CviJsonWriteOptions Default { get; } = new();

    /// <summary>
    /// Writes the context interactions with the legacy names <c>conversation.overwrite_context</c> and
    /// <c>conversation.append_context</c> (tavus-skills) instead of the documented <c>_llm_</c> names
    /// (tavus-protocol.md §A.4, §A.5). Off by default; for deployments known to expect the legacy names.
    /// </summary>
    public bool UseLegacyContextEventNames { get; init; }
}
