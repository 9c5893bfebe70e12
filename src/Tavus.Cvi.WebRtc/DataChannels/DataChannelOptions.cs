namespace Tavus.Cvi.WebRtc.DataChannels;

/// <summary>How a data channel is opened and what reliability it has (RFC 8831 §6.1, RFC 8832 §5.1).</summary>
public sealed record DataChannelOptions
{
    /// <summary>Reliable and ordered, negotiated in band with DCEP.</summary>
    public static DataChannelOptions Default { get; } = new();

    /// <summary>True (default) for in-order delivery.</summary>
    public bool Ordered { get; init; } = true;

    /// <summary>Retransmissions before a message is abandoned; null for reliable. Exclusive with <see cref="MaxPacketLifetime"/>.</summary>
    public int? MaxRetransmits { get; init; }

    /// <summary>Time after which an undelivered message is abandoned; null for reliable. Exclusive with <see cref="MaxRetransmits"/>.</summary>
    public TimeSpan? MaxPacketLifetime { get; init; }

    /// <summary>Sub-protocol name carried in DATA_CHANNEL_OPEN.</summary>
    public string Protocol { get; init; } = "";

    /// <summary>True when both sides create the channel themselves with the same <see cref="Id"/> (no DCEP).</summary>
    public bool Negotiated { get; init; }

    /// <summary>Stream id to use; required when <see cref="Negotiated"/>, otherwise chosen by DTLS role parity.</summary>
    public ushort? Id { get; init; }

    /// <summary>DCEP priority (RFC 8832 §5.1; 256 is "normal" in WebRTC).</summary>
    public ushort Priority { get; init; } = 256;
}
