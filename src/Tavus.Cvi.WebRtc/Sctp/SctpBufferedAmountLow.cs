namespace Tavus.Cvi.WebRtc.Sctp;

/// <summary>
/// The bytes queued on a stream and not yet sent fell to its threshold or below
/// (<see cref="SctpAssociation.SetBufferedAmountLowThreshold"/>, 0 by default).
/// </summary>
/// <param name="StreamId">The stream.</param>
public sealed record SctpBufferedAmountLow(ushort StreamId) : SctpEvent;
