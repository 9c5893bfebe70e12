namespace Tavus.Cvi.Interactions.Session;

/// <summary>The bookkeeping of one echo audio stream.</summary>
internal sealed class AudioStream : IDisposable
{
    private readonly CancellationTokenSource _interrupt = new();
    private int _interrupted;

    public AudioStream(string inferenceId, int sampleRate)
    {
        InferenceId = inferenceId;
        SampleRate = sampleRate;
    }

    public string InferenceId { get; }

    public int SampleRate { get; }

    public int ChunkBytes { get; set; }

    public int Chunks { get; set; }

    public long Bytes { get; set; }

    public bool IsInterrupted => Volatile.Read(ref _interrupted) != 0;

    public CancellationToken InterruptToken => _interrupt.Token;

    /// <summary>
    /// First step of an interrupt: from now on nothing of this stream is sent (checked under the send lock). Every
    /// stream is marked before any is cancelled, because cancelling one releases the audio lock to the next.
    /// </summary>
    public void MarkInterrupted() => Volatile.Write(ref _interrupted, 1);

    /// <summary>Second step: wakes whatever the stream awaits (the audio lock, its source, the send lock).</summary>
    public void Interrupt()
    {
        MarkInterrupted();
        try
        {
            _interrupt.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The stream finished meanwhile.
        }
    }

    public EchoAudioResult ToResult(bool interrupted) =>
        new(InferenceId, Chunks, Bytes, TimeSpan.FromSeconds((double)(Bytes / PcmChunking.BytesPerSample) / SampleRate), interrupted);

    public void Dispose() => _interrupt.Dispose();
}
