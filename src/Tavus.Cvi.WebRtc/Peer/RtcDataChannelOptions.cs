namespace Tavus.Cvi.WebRtc.Peer;

/// <summary>How a data channel delivers messages (W3C <c>RTCDataChannelInit</c>, RFC 8831 §6.1).</summary>
public sealed class RtcDataChannelOptions
{
    /// <summary>In-order delivery (default). Unordered channels deliver each message as soon as it is complete.</summary>
    public bool Ordered { get; init; } = true;

    /// <summary>Partial reliability: give up after this many retransmissions (RFC 3758). Exclusive with <see cref="MaxPacketLifeTime"/>.</summary>
    public int? MaxRetransmits { get; init; }

    /// <summary>Partial reliability: give up after this long. Exclusive with <see cref="MaxRetransmits"/>.</summary>
    public TimeSpan? MaxPacketLifeTime { get; init; }

    /// <summary>The sub-protocol name announced in DCEP.</summary>
    public string Protocol { get; init; } = string.Empty;

    /// <summary>
    /// True when both sides create the channel themselves with the same <see cref="Id"/> and no DCEP open is sent
    /// (RFC 8832 §4 "negotiated").
    /// </summary>
    public bool Negotiated { get; init; }

    /// <summary>The SCTP stream id; required when <see cref="Negotiated"/>, chosen automatically otherwise.</summary>
    public ushort? Id { get; init; }
}
