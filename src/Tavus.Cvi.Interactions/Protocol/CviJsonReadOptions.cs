namespace Tavus.Cvi.Interactions.Protocol;

/// <summary>Limits of <see cref="CviJson"/> when reading.</summary>
public sealed record CviJsonReadOptions
{
    /// <summary>The defaults.</summary>
    public static CviJsonReadOptions Default { get; } = new();

    /// <summary>
    /// The largest message read, in UTF-8 bytes; a larger one becomes an <see cref="InvalidMessageEvent"/> of kind
    /// <see cref="InvalidMessageKind.TooLarge"/>. Default 256 KiB: Daily limits what clients send to 4 096 UTF-16 units,
    /// but vision perception events carry JPEG frames and may be larger.
    /// </summary>
    public int MaxMessageBytes { get; init; } = 256 * 1024;

    /// <summary>The deepest JSON nesting read. Default 64.</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>How much of a too-large message <see cref="InvalidMessageEvent.RawText"/> keeps. Default 4 096 characters.</summary>
    public int MaxRawTextChars { get; init; } = 4096;
}
