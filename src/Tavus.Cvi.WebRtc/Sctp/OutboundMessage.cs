namespace Tavus.Cvi.WebRtc.Sctp;

/// <summary>A user message queued for sending, fragmented lazily as congestion and flow control allow.</summary>
internal sealed class OutboundMessage
{
    public OutboundMessage(ushort streamId, uint ppid, byte[] data, SctpSendOptions options, TimeSpan now)
    {
        StreamId = streamId;
        Ppid = ppid;
        Data = data;
        Unordered = options.Unordered;
        MaxRetransmits = options.MaxRetransmits;
        ExpiresAt = options.MaxLifetime is { } lifetime ? now + lifetime : null;
    }

    public ushort StreamId { get; }

    public uint Ppid { get; }

    public byte[] Data { get; }

    public bool Unordered { get; }

    public int? MaxRetransmits { get; }

    public TimeSpan? ExpiresAt { get; }

    /// <summary>Stream sequence number, assigned when the first fragment gets its TSN so an abandoned, never-sent
    /// message leaves no hole in the stream (RFC 3758 §3.5).</summary>
    public ushort Ssn { get; set; }

    public bool SsnAssigned { get; set; }

    /// <summary>Offset of the first byte not yet put into a DATA chunk.</summary>
    public int NextOffset { get; set; }

    public bool Abandoned { get; set; }

    /// <summary>Fragments that have a TSN.</summary>
    public List<OutboundChunk> Chunks { get; } = new(1);

    public bool FullyFragmented => NextOffset >= Data.Length;

    public bool IsPartiallyReliable => MaxRetransmits is not null || ExpiresAt is not null;
}
