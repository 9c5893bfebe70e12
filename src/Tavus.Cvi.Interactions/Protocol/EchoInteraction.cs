using System.Buffers;
using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Protocol;

/// <summary>
/// <c>conversation.echo</c>: the replica speaks exactly the given text, or lip-syncs the given audio, bypassing the LLM
/// (tavus-protocol.md §A.1).
/// </summary>
/// <remarks>
/// Audio is base64 of raw 16-bit signed little-endian mono PCM. Stream an utterance as chunks of at most 100 ms under
/// one <see cref="InferenceId"/> with <see cref="Done"/> <see langword="false"/>, and end it with a chunk marked
/// <see langword="true"/>.
/// </remarks>
[JsonConverter(typeof(CviInteractionJsonConverter<EchoInteraction>))]
public sealed record EchoInteraction : CviInteraction
{
    private string? _audio;

    // The base64 text as received (validated ASCII), when decoded from the wire: a 100 ms chunk is 6.4 KB of base64,
    // whose UTF-16 string costs more to allocate and widen than the rest of the message costs to read. The string is
    // made on the first read of Audio; TryGetPcm decodes these bytes directly and never needs it.
    private byte[]? _audioUtf8;

    /// <summary>The sample rate the SDK uses when none is given: 24 kHz, the rate Tavus documents and Pipecat sends (§A.1).</summary>
    public const int DefaultSampleRate = 24_000;

    /// <inheritdoc/>
    public override string EventType => CviEventTypes.Echo;

    /// <summary>
    /// <c>modality</c>. When null the codec writes <c>audio</c> if <see cref="Audio"/> is set and <c>text</c> otherwise.
    /// </summary>
    public EchoModality? Modality { get; init; }

    /// <summary><c>text</c>: what to speak, for the text modality.</summary>
    public string? Text { get; init; }

    /// <summary><c>audio</c>: base64 of 16-bit mono PCM, for the audio modality.</summary>
    /// <remarks>
    /// A decoded interaction keeps the base64 as its UTF-8 bytes and makes this string on first read (thread-safe);
    /// <see cref="TryGetPcm(out byte[])"/> reads the bytes without making it.
    /// </remarks>
    public string? Audio
    {
        get
        {
            var audio = Volatile.Read(ref _audio);
            if (audio is null && _audioUtf8 is { } utf8)
            {
                // ASCII was checked when the bytes were read, so widening each byte is the UTF-8 decoding.
                audio = Encoding.Latin1.GetString(utf8);
                audio = Interlocked.CompareExchange(ref _audio, audio, null) ?? audio;
            }

            return audio;
        }

        init
        {
            _audio = value;
            _audioUtf8 = null;
        }
    }

    // Set by the decoder after Audio: the base64 as received, ASCII only; null leaves Audio as it is.
    internal byte[]? AudioUtf8
    {
        init
        {
            if (value is not null)
            {
                _audio = null;
                _audioUtf8 = value;
            }
        }
    }

    /// <summary><c>sample_rate</c> of <see cref="Audio"/> in Hz.</summary>
    public int? SampleRate { get; init; }

    /// <summary><c>inference_id</c>: groups the chunks of one utterance. Use a new id per utterance.</summary>
    public string? InferenceId { get; init; }

    /// <summary><c>done</c>: marks the last chunk of the utterance. Written as a JSON boolean; read from a boolean or <c>"true"</c>/<c>"false"</c>.</summary>
    public bool? Done { get; init; }

    /// <summary>Creates a text echo.</summary>
    /// <param name="text">What the replica says.</param>
    /// <param name="inferenceId">Groups chunks of one utterance; optional for a single message.</param>
    /// <param name="done">Whether this is the last chunk of the utterance.</param>
    public static EchoInteraction FromText(string text, string? inferenceId = null, bool done = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new EchoInteraction { Modality = EchoModality.Text, Text = text, InferenceId = inferenceId, Done = done };
    }

    /// <summary>Creates an audio echo from 16-bit signed little-endian mono PCM.</summary>
    /// <param name="pcm16">The samples; an even number of bytes.</param>
    /// <param name="sampleRate">The sample rate in Hz, such as <see cref="DefaultSampleRate"/>.</param>
    /// <param name="inferenceId">The id shared by every chunk of the utterance.</param>
    /// <param name="done">Whether this is the last chunk of the utterance.</param>
    /// <exception cref="ArgumentException">The PCM has an odd length, or the inference id is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The sample rate is not positive.</exception>
    public static EchoInteraction FromPcm(ReadOnlySpan<byte> pcm16, int sampleRate, string inferenceId, bool done)
    {
        if ((pcm16.Length & 1) != 0)
        {
            throw new ArgumentException("16-bit PCM has an even number of bytes.", nameof(pcm16));
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(sampleRate);
        ArgumentException.ThrowIfNullOrEmpty(inferenceId);
        return new EchoInteraction
        {
            Modality = EchoModality.Audio,
            Audio = Convert.ToBase64String(pcm16),
            SampleRate = sampleRate,
            InferenceId = inferenceId,
            Done = done,
        };
    }

    /// <summary>Decodes <see cref="Audio"/> into PCM bytes.</summary>
    /// <param name="pcm16">The decoded bytes, or null when there is no audio or it is not valid base64.</param>
    /// <returns>Whether <see cref="Audio"/> held valid base64.</returns>
    public bool TryGetPcm([NotNullWhen(true)] out byte[]? pcm16)
    {
        pcm16 = null;
        if (Volatile.Read(ref _audio) is null && _audioUtf8 is { } utf8)
        {
            var decoded = new byte[Base64.GetMaxDecodedFromUtf8Length(utf8.Length)];
            if (Base64.DecodeFromUtf8(utf8, decoded, out _, out var count) == OperationStatus.Done)
            {
                pcm16 = decoded.AsSpan(0, count).ToArray();
                return true;
            }

            // Whitespace inside the base64, which Convert accepts: take the string path below.
        }

        if (Audio is null)
        {
            return false;
        }

        var buffer = new byte[(Audio.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(Audio, buffer, out var written))
        {
            return false;
        }

        pcm16 = buffer.AsSpan(0, written).ToArray();
        return true;
    }

    /// <summary>Value equality over every field; <see cref="Audio"/> is compared as text however it is held.</summary>
    /// <param name="other">The other interaction.</param>
    public bool Equals(EchoInteraction? other) =>
        base.Equals(other) &&
        Nullable.Equals(Modality, other.Modality) &&
        string.Equals(Text, other.Text, StringComparison.Ordinal) &&
        AudioEquals(other) &&
        SampleRate == other.SampleRate &&
        string.Equals(InferenceId, other.InferenceId, StringComparison.Ordinal) &&
        Done == other.Done;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(base.GetHashCode(), Modality, Text, SampleRate, InferenceId, Done);

    private bool AudioEquals(EchoInteraction other) =>
        _audio is null && _audioUtf8 is not null && other._audio is null && other._audioUtf8 is not null
            ? _audioUtf8.AsSpan().SequenceEqual(other._audioUtf8)
            : string.Equals(Audio, other.Audio, StringComparison.Ordinal);
}
