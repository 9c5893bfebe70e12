namespace Tavus.Cvi.Emulator.Replica;

/// <summary>The replica's timings (on the emulator's <see cref="TimeProvider"/>). The defaults are short so tests run fast.</summary>
public sealed class ScenarioTimings
{
    /// <summary>How long after the first participant joins the replica joins.</summary>
    public TimeSpan ReplicaJoinDelay { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>How long the replica "thinks" before replying, at <c>medium</c> pause sensitivity.</summary>
    public TimeSpan ReplyDelay { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>The time between two streamed utterance chunks while speaking.</summary>
    public TimeSpan ChunkInterval { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>How many words each streamed chunk adds.</summary>
    public int WordsPerChunk { get; init; } = 3;

    /// <summary>The speaking rate used to report the <c>duration</c> of spoken text, in words per second.</summary>
    public double WordsPerSecond { get; init; } = 2.5;
}
