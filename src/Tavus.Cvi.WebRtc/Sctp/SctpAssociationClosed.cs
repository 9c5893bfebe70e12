namespace Tavus.Cvi.WebRtc.Sctp;

/// <summary>The association ended: gracefully (SHUTDOWN sequence) or by an abort (ABORT sent or received, timeouts).</summary>
/// <param name="Aborted">True when it ended by an abort rather than a graceful shutdown.</param>
/// <param name="Reason">Why, in words, for logs and exceptions.</param>
public sealed record SctpAssociationClosed(bool Aborted, string Reason) : SctpEvent;
