namespace Tavus.Cvi.WebRtc.Sctp;

/// <summary>Where a DATA chunk that has a TSN stands with the peer.</summary>
internal enum OutboundChunkState : byte
{
    /// <summary>Sent and counted in the flight size.</summary>
    InFlight,

    /// <summary>Waiting to be retransmitted (taken out of the flight size).</summary>
    NeedsRetransmit,

    /// <summary>Acknowledged by a gap ack block (not yet by the cumulative TSN).</summary>
    GapAcked,

    /// <summary>Given up under partial reliability; covered by the next FORWARD-TSN.</summary>
    Abandoned,
}

/// <summary>One DATA chunk with a TSN, from first transmission until the peer's cumulative TSN ack passes it.</summary>
internal sealed class OutboundChunk
{
    public OutboundChunk(OutboundMessage message, uint tsn, int offset, int length, bool beginning, bool ending)
    {
        Message = message;
        Tsn = tsn;
        Offset = offset;
        Length = length;
        Beginning = beginning;
        Ending = ending;
    }

    public OutboundMessage Message { get; }

    public uint Tsn { get; }

    public int Offset { get; }

    public int Length { get; }

    public bool Beginning { get; }

    public bool Ending { get; }

    public OutboundChunkState State { get; set; }

    public int TransmitCount { get; set; }

    public TimeSpan SentAt { get; set; }

    public int MissIndications { get; set; }

    public bool FastRetransmit { get; set; }

    public bool WasFastRetransmitted { get; set; }
}
