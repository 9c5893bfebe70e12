namespace Tavus.Cvi.WebRtc.Sctp;

/// <summary>A complete user message arrived.</summary>
/// <param name="StreamId">SCTP stream identifier.</param>
/// <param name="Ppid">Payload protocol identifier (RFC 8831 §8: 50 DCEP, 51 string, 53 binary, 56/57 empty).</param>
/// <param name="Data">The reassembled message.</param>
/// <param name="Unordered">True when it was sent unordered.</param>
public sealed record SctpMessageReceived(ushort StreamId, uint Ppid, ReadOnlyMemory<byte> Data, bool Unordered) : SctpEvent;
