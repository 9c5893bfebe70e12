namespace Tavus.Cvi.WebRtc.Sctp;

/// <summary>Per-stream receive state for ordered delivery.</summary>
internal sealed class InboundStream
{
    public ushort NextSsn { get; set; }

    /// <summary>Complete ordered messages that arrived ahead of <see cref="NextSsn"/>.</summary>
    public Dictionary<ushort, InboundMessage> Ready { get; } = [];
}
