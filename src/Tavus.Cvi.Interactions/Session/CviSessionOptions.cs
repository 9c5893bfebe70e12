using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tavus.Cvi.Interactions.Daily;
using Tavus.Cvi.Interactions.Protocol;

namespace Tavus.Cvi.Interactions.Session;

/// <summary>Options of a <see cref="CviSession"/>. Read once, when the session is created.</summary>
public sealed class CviSessionOptions
{
    /// <summary>Where the session and its transport log. Payloads are logged only at Trace; secrets never.</summary>
    public ILoggerFactory LoggerFactory { get; set; } = NullLoggerFactory.Instance;

    /// <summary>The clock for timeouts, heartbeats and backoff. Tests pass a fake one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>How <c>CviSession.JoinAsync(conversationUrl, ...)</c> joins the Daily room.</summary>
    public DailyTransportOptions Daily { get; set; } = new();

    /// <summary>
    /// Whether the PAL duplicates are folded: for PAL turns Tavus sends each utterance, streaming utterance and
    /// speaking event twice, as role <c>pal</c> and as the legacy <c>replica</c>, otherwise identical
    /// (tavus-protocol.md §B.1). True (the default) delivers the first copy only; false delivers both.
    /// </summary>
    public bool FoldPalReplicaDuplicates { get; set; } = true;

    /// <summary>
    /// Whether events are delivered in <c>seq</c> order (tavus-protocol.md §0.1). Off by default: events are delivered
    /// in arrival order, which is already ordered on one data channel. When on, an event that arrives ahead of a gap is
    /// held until the gap fills, at most <see cref="SeqReorderTimeout"/> and <see cref="SeqReorderCapacity"/> events.
    /// </summary>
    public bool OrderBySeq { get; set; }

    /// <summary>How long an event may wait for an earlier <c>seq</c> when <see cref="OrderBySeq"/> is on. Default 250 ms.</summary>
    public TimeSpan SeqReorderTimeout { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How many events may wait for an earlier <c>seq</c> when <see cref="OrderBySeq"/> is on. Default 64.</summary>
    public int SeqReorderCapacity { get; set; } = 64;

    /// <summary>
    /// How many undelivered events each consumer (each <c>ReadEventsAsync</c> reader, each C# event handler) may fall
    /// behind before <see cref="EventBufferFullMode"/> applies. Default 1024.
    /// </summary>
    public int EventBufferCapacity { get; set; } = 1024;

    /// <summary>What happens to a consumer that falls <see cref="EventBufferCapacity"/> events behind. Default <see cref="EventBufferFullMode.DropOldest"/>.</summary>
    public EventBufferFullMode EventBufferFullMode { get; set; } = EventBufferFullMode.DropOldest;

    /// <summary>
    /// Writes the context interactions with the legacy names <c>conversation.overwrite_context</c> and
    /// <c>conversation.append_context</c> (tavus-protocol.md §A.4, §A.5). Off by default.
    /// </summary>
    public bool UseLegacyContextEventNames { get; set; }

    /// <summary>The longest echo-audio chunk. Default 100 ms, what Pipecat sends (tavus-protocol.md §A.1). Chunks shrink further to fit the room's message size limit.</summary>
    public TimeSpan AudioChunkDuration { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long the session waits, after <c>system.shutdown</c>, for the room to close (Tavus deletes it) before it
    /// leaves by itself. Events that follow the shutdown, such as <c>conversation.perception_analysis</c>, are still
    /// delivered meanwhile. Default 30 s.
    /// </summary>
    public TimeSpan ShutdownGracePeriod { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How incoming messages are decoded (size and depth limits).</summary>
    public CviJsonReadOptions JsonReadOptions { get; set; } = CviJsonReadOptions.Default;

    internal void Validate()
    {
        ArgumentNullException.ThrowIfNull(LoggerFactory);
        ArgumentNullException.ThrowIfNull(TimeProvider);
        ArgumentNullException.ThrowIfNull(JsonReadOptions);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(EventBufferCapacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(SeqReorderCapacity);
        ArgumentOutOfRangeException.ThrowIfLessThan(SeqReorderTimeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(ShutdownGracePeriod, TimeSpan.Zero);
        if (AudioChunkDuration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(AudioChunkDuration), AudioChunkDuration, "The audio chunk duration must be positive.");
        }
    }
}
