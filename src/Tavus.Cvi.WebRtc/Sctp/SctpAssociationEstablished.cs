namespace Tavus.Cvi.WebRtc.Sctp;

/// <summary>The association is up (COOKIE-ECHO/COOKIE-ACK exchanged).</summary>
/// <param name="OutboundStreams">Streams this side may send on (negotiated OS).</param>
/// <param name="InboundStreams">Streams the peer may send on (negotiated MIS).</param>
public sealed record SctpAssociationEstablished(int OutboundStreams, int InboundStreams) : SctpEvent;
