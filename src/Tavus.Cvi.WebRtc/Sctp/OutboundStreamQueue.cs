namespace Tavus.Cvi.WebRtc.Sctp;

/// <summary>The messages of one outgoing stream that are not yet fully fragmented, oldest first.</summary>
internal sealed class OutboundStreamQueue(ushort streamId)
{
    public ushort StreamId { get; } = streamId;

    public LinkedList<OutboundMessage> Messages { get; } = new();

    /// <summary>Whether the stream is in the scheduler's round-robin ring (possibly already empty: removed lazily).</summary>
    public bool Scheduled { get; set; }
}
