namespace Tavus.Cvi.WebRtc.Sctp;

/// <summary>A reassembled ordered message waiting for its turn on the stream.</summary>
internal sealed record InboundMessage(uint FirstTsn, ushort StreamId, ushort Ssn, uint Ppid, byte[] Data);
