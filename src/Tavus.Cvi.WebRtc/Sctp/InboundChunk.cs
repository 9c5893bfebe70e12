namespace Tavus.Cvi.WebRtc.Sctp;

/// <summary>A received DATA chunk waiting for the rest of its message.</summary>
internal sealed class InboundChunk
{
    public InboundChunk(uint tsn, ushort streamId, ushort ssn, uint ppid, byte flags, byte[] data)
    {
        Tsn = tsn;
        StreamId = streamId;
        Ssn = ssn;
        Ppid = ppid;
        Flags = flags;
        Data = data;
    }

    public uint Tsn { get; }

    public ushort StreamId { get; }

    public ushort Ssn { get; }

    public uint Ppid { get; }

    public byte Flags { get; }

    public byte[] Data { get; }

    public bool Unordered => (Flags & 0x04) != 0;

    public bool Beginning => (Flags & 0x02) != 0;

    public bool Ending => (Flags & 0x01) != 0;

    /// <summary>True when <paramref name="other"/> can be a fragment of the same message (RFC 9260 §6.9).</summary>
    public bool SameMessageAs(InboundChunk other) =>
        other.StreamId == StreamId && other.Unordered == Unordered && (Unordered || other.Ssn == Ssn);
}
