namespace Tavus.Cvi.Emulator.Replica;

/// <summary>Something the replica is to say: text (streamed word by word) or echoed audio of a known duration.</summary>
internal sealed record SpeechRequest(string? Text, double AudioSeconds, string InferenceId, int Turn, bool Interruptible)
{
    /// <summary>How long the replica "thinks" before it starts speaking (an interrupt meanwhile cancels silently).</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>The interrupt generation it was queued in; an interrupt since then drops it unheard.</summary>
    public long Generation { get; init; }

    public static SpeechRequest ForText(string text, string inferenceId, int turn, bool interruptible) =>
        new(text, 0, inferenceId, turn, interruptible);

    public static SpeechRequest ForAudio(double seconds, string inferenceId, int turn) =>
        new(null, seconds, inferenceId, turn, Interruptible: true);
}
