namespace Tavus.Cvi.Interactions.Session;

/// <summary>
/// Sizes of echo-audio chunks: at most the configured duration (tavus-protocol.md §A.1: Pipecat sends 100 ms), whole
/// 16-bit samples only, and small enough that the base64 text plus the JSON envelope fits the room's limit.
/// </summary>
internal static class PcmChunking
{
    /// <summary>Bytes per sample of 16-bit mono PCM.</summary>
    public const int BytesPerSample = 2;

    /// <summary>The silence that ends a stream whose data ended on a chunk boundary: 40 ms, as Pipecat sends.</summary>
    public static readonly TimeSpan EndSilence = TimeSpan.FromMilliseconds(40);

    /// <summary>The number of PCM bytes in <paramref name="duration"/> at <paramref name="sampleRate"/>, whole samples, at least one sample.</summary>
    public static int BytesFor(TimeSpan duration, int sampleRate)
    {
        long samples = (long)Math.Floor(duration.TotalSeconds * sampleRate);
        return (int)Math.Clamp(samples, 1, int.MaxValue / BytesPerSample) * BytesPerSample;
    }

    /// <summary>
    /// The largest whole-sample PCM length whose base64 text fits in <paramref name="budget"/> characters
    /// (4 characters per 3 bytes, padded); 0 when not even one sample fits.
    /// </summary>
    public static int MaxPcmBytesForBase64Budget(int budget)
    {
        if (budget < 4) return 0;
        long bytes = (long)(budget / 4) * 3;
        bytes -= bytes % BytesPerSample;
        return (int)Math.Min(bytes, int.MaxValue - 1);
    }

    /// <summary>The chunk length: the duration's bytes, capped by what fits in the message, whole samples.</summary>
    public static int ChunkBytes(TimeSpan maxDuration, int sampleRate, int base64Budget)
    {
        int byDuration = BytesFor(maxDuration, sampleRate);
        int bySize = MaxPcmBytesForBase64Budget(base64Budget);
        return Math.Min(byDuration, bySize);
    }

    /// <summary>Splits a chunk into two halves on a sample boundary.</summary>
    public static int SplitPoint(int length)
    {
        int half = length / 2;
        return half - (half % BytesPerSample);
    }
}
