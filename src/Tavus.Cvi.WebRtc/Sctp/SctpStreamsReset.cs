namespace Tavus.Cvi.WebRtc.Sctp;

/// <summary>A stream reset (RFC 6525) finished; for a data channel this is the close (RFC 8831 §6.7).</summary>
/// <param name="StreamIds">The streams reset.</param>
/// <param name="Direction">Outgoing (our request answered) or incoming (the peer reset its side).</param>
/// <param name="Succeeded">False when the peer denied our request.</param>
public sealed record SctpStreamsReset(IReadOnlyList<ushort> StreamIds, SctpStreamResetDirection Direction, bool Succeeded) : SctpEvent;
