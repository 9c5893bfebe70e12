namespace Tavus.Cvi.WebRtc.Sctp;

/// <summary>Which side of a stream a reset (RFC 6525) applied to.</summary>
public enum SctpStreamResetDirection
{
    /// <summary>Our outgoing streams were reset at our request (<see cref="SctpAssociation.ResetStreams"/>).</summary>
    Outgoing,

    /// <summary>The peer reset its outgoing streams, i.e. our incoming ones.</summary>
    Incoming,
}
