using System.Runtime.CompilerServices;
using System.Text;
using Tavus.Cvi.Interactions.Diagnostics;
using Tavus.Cvi.Interactions.Protocol;
using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.Interactions.Session;

public sealed partial class CviSession
{
    // Streams run one after another (an utterance is never interleaved with another); all registered ones, queued or
    // in flight, are stopped by InterruptAsync.
    private readonly SemaphoreSlim _audioLock = new(1, 1);
    private readonly HashSet<AudioStream> _audioStreams = [];

    /// <summary>
    /// Has the replica lip-sync audio: <c>conversation.echo</c> with the audio modality (tavus-protocol.md §A.1). The
    /// PCM is sent as chunks of at most <see cref="CviSessionOptions.AudioChunkDuration"/> (100 ms), smaller if the
    /// room's message size limit requires, never splitting a sample, all under one new <c>inference_id</c>, faster
    /// than real time. Every chunk has <c>done: false</c> except the last data chunk, which has <c>done: true</c>
    /// (an empty input sends 40 ms of silence with <c>done: true</c>).
    /// </summary>
    /// <param name="pcm16">16-bit signed little-endian mono PCM; an even number of bytes.</param>
    /// <param name="sampleRate">The sample rate in Hz; 24 kHz by default.</param>
    /// <param name="cancellationToken">Stops the stream (the method then throws <see cref="OperationCanceledException"/>).</param>
    /// <returns>What was sent. <see cref="InterruptAsync"/> stops the stream and completes it with <see cref="EchoAudioResult.Interrupted"/>.</returns>
    /// <exception cref="CviMessageTooLargeException">Not even one sample fits the room's message size limit.</exception>
    public Task<EchoAudioResult> EchoAudioAsync(ReadOnlyMemory<byte> pcm16, int sampleRate = EchoInteraction.DefaultSampleRate, CancellationToken cancellationToken = default)
    {
        if (pcm16.Length % PcmChunking.BytesPerSample != 0)
        {
            throw new ArgumentException("16-bit PCM has an even number of bytes.", nameof(pcm16));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        return RunAudioAsync(sampleRate, (stream, ct) => SendPcmAsync(stream, pcm16, ct), cancellationToken);
    }

    /// <summary>
    /// Has the replica lip-sync audio read from a stream of 16-bit signed little-endian mono PCM, as
    /// <see cref="EchoAudioAsync(ReadOnlyMemory{byte}, int, CancellationToken)"/> does. Chunks are sent as soon as they
    /// fill; at the end the remaining samples go out with <c>done: true</c>, or, when the stream ended exactly on a
    /// chunk boundary, 40 ms of silence with <c>done: true</c>, as Pipecat does.
    /// </summary>
    /// <param name="pcm16">The PCM source, read to its end (not disposed).</param>
    /// <param name="sampleRate">The sample rate in Hz; 24 kHz by default.</param>
    /// <param name="cancellationToken">Stops the stream.</param>
    /// <returns>What was sent.</returns>
    public Task<EchoAudioResult> EchoAudioAsync(Stream pcm16, int sampleRate = EchoInteraction.DefaultSampleRate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pcm16);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        return RunAudioAsync(sampleRate, (stream, ct) => SendPiecesAsync(stream, ReadStreamAsync(pcm16, ct), ct), cancellationToken);
    }

    /// <summary>
    /// Has the replica lip-sync audio from a live source: pieces of 16-bit signed little-endian mono PCM of any length
    /// (a sample may straddle two pieces). Chunks are sent as soon as they fill; when the source ends, the remaining
    /// samples go out with <c>done: true</c>, or 40 ms of silence with <c>done: true</c> if nothing remains.
    /// </summary>
    /// <param name="pcm16">The PCM pieces. Each piece may be reused by the source once the next one is requested.</param>
    /// <param name="sampleRate">The sample rate in Hz; 24 kHz by default.</param>
    /// <param name="cancellationToken">Stops the stream.</param>
    /// <returns>What was sent.</returns>
    public Task<EchoAudioResult> StreamAudioAsync(IAsyncEnumerable<ReadOnlyMemory<byte>> pcm16, int sampleRate = EchoInteraction.DefaultSampleRate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(pcm16);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        return RunAudioAsync(sampleRate, (stream, ct) => SendPiecesAsync(stream, pcm16, ct), cancellationToken);
    }

    private int CancelAllAudio()
    {
        AudioStream[] streams;
        lock (_audioStreams)
        {
            streams = [.. _audioStreams];
        }

        foreach (var stream in streams) stream.MarkInterrupted();
        foreach (var stream in streams) stream.Interrupt();
        return streams.Length;
    }

    private async Task<EchoAudioResult> RunAudioAsync(int sampleRate, Func<AudioStream, CancellationToken, Task> body, CancellationToken cancellationToken)
    {
        if (HasEnded)
        {
            throw new CviConnectionException(CviConnectionFailure.Closed, "The session has ended; nothing was sent.");
        }

        using var stream = new AudioStream(Guid.NewGuid().ToString(), sampleRate);
        lock (_audioStreams)
        {
            _audioStreams.Add(stream);
        }

        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stream.InterruptToken, _lifetime.Token);
            await _audioLock.WaitAsync(linked.Token).ConfigureAwait(false);
            try
            {
                stream.ChunkBytes = ComputeChunkBytes(stream);
                Log.AudioStarted(_logger, stream.InferenceId, sampleRate, stream.ChunkBytes);
                await body(stream, linked.Token).ConfigureAwait(false);
            }
            finally
            {
                _audioLock.Release();
            }

            Log.AudioCompleted(_logger, stream.InferenceId, stream.Chunks, stream.Bytes);
            return stream.ToResult(interrupted: false);
        }
        catch (OperationCanceledException) when (stream.IsInterrupted && !cancellationToken.IsCancellationRequested)
        {
            Log.AudioInterrupted(_logger, stream.InferenceId, stream.Chunks);
            return stream.ToResult(interrupted: true);
        }
        catch (OperationCanceledException ex) when (_lifetime.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new CviConnectionException(CviConnectionFailure.Closed, "The session ended while streaming audio.", ex);
        }
        finally
        {
            lock (_audioStreams)
            {
                _audioStreams.Remove(stream);
            }
        }
    }

    /// <summary>The chunk length: the duration's bytes, capped so that the base64 plus the envelope fits the limit.</summary>
    private int ComputeChunkBytes(AudioStream stream)
    {
        var envelope = Encode(new EchoInteraction
        {
            Modality = EchoModality.Audio,
            Audio = string.Empty,
            SampleRate = stream.SampleRate,
            InferenceId = stream.InferenceId,
            Done = false,
        });
        int envelopeSize = Encoding.UTF8.GetCharCount(envelope);
        int max = _transport.MaxMessageSize;
        int chunk = PcmChunking.ChunkBytes(_options.AudioChunkDuration, stream.SampleRate, max - envelopeSize);
        if (chunk < PcmChunking.BytesPerSample)
        {
            throw new CviMessageTooLargeException(envelopeSize + 4, max, CviEventTypes.Echo);
        }

        return chunk;
    }

    private async Task SendPcmAsync(AudioStream stream, ReadOnlyMemory<byte> pcm, CancellationToken cancellationToken)
    {
        if (pcm.IsEmpty)
        {
            await SendSilenceAsync(stream, cancellationToken).ConfigureAwait(false);
            return;
        }

        for (int offset = 0; offset < pcm.Length; offset += stream.ChunkBytes)
        {
            int length = Math.Min(stream.ChunkBytes, pcm.Length - offset);
            bool last = offset + length == pcm.Length;
            await SendChunkAsync(stream, pcm.Slice(offset, length), last, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task SendPiecesAsync(AudioStream stream, IAsyncEnumerable<ReadOnlyMemory<byte>> pieces, CancellationToken cancellationToken)
    {
        var buffer = new byte[stream.ChunkBytes];
        int filled = 0;
        await foreach (var piece in pieces.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            var rest = piece;
            while (!rest.IsEmpty)
            {
                int take = Math.Min(buffer.Length - filled, rest.Length);
                rest.Span[..take].CopyTo(buffer.AsSpan(filled));
                filled += take;
                rest = rest[take..];
                if (filled == buffer.Length)
                {
                    await SendChunkAsync(stream, buffer, done: false, cancellationToken).ConfigureAwait(false);
                    filled = 0;
                }
            }
        }

        if (filled % PcmChunking.BytesPerSample != 0)
        {
            Log.AudioOddByteDropped(_logger, stream.InferenceId);
            filled--;
        }

        if (filled > 0)
        {
            await SendChunkAsync(stream, buffer.AsMemory(0, filled), done: true, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await SendSilenceAsync(stream, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task SendSilenceAsync(AudioStream stream, CancellationToken cancellationToken)
    {
        int length = Math.Min(PcmChunking.BytesFor(PcmChunking.EndSilence, stream.SampleRate), stream.ChunkBytes);
        return SendChunkAsync(stream, new byte[length], done: true, cancellationToken);
    }

    private async Task SendChunkAsync(AudioStream stream, ReadOnlyMemory<byte> pcm, bool done, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var payload = Encode(EchoInteraction.FromPcm(pcm.Span, stream.SampleRate, stream.InferenceId, done));
        int size = Encoding.UTF8.GetCharCount(payload);
        int max = _transport.MaxMessageSize;
        if (size > max)
        {
            // The estimate from the envelope missed (for example the limit shrank): split on a sample boundary.
            int split = PcmChunking.SplitPoint(pcm.Length);
            if (split == 0) throw new CviMessageTooLargeException(size, max, CviEventTypes.Echo);
            await SendChunkAsync(stream, pcm[..split], done: false, cancellationToken).ConfigureAwait(false);
            await SendChunkAsync(stream, pcm[split..], done, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!await SendEncodedAsync(payload, CviEventTypes.Echo, stream, cancellationToken).ConfigureAwait(false))
        {
            throw new OperationCanceledException(stream.InterruptToken);
        }

        stream.Chunks++;
        stream.Bytes += pcm.Length;
    }

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadStreamAsync(Stream source, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
        {
            yield return buffer.AsMemory(0, read);
        }
    }
}
