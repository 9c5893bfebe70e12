namespace Tavus.Cvi.WebRtc.Sctp;

/// <summary>Counters and current congestion state of an association, for diagnostics and tests.</summary>
public sealed record SctpAssociationStatistics
{
    /// <summary>Packets handed out by <see cref="SctpAssociation.TryPollTransmit"/>.</summary>
    public long PacketsSent { get; init; }

    /// <summary>Packets given to <see cref="SctpAssociation.HandlePacket"/>.</summary>
    public long PacketsReceived { get; init; }

    /// <summary>Packets dropped as malformed, with a bad checksum, wrong ports or a wrong verification tag.</summary>
    public long PacketsDropped { get; init; }

    /// <summary>DATA chunks retransmitted (timeout and fast retransmit).</summary>
    public long Retransmissions { get; init; }

    /// <summary>DATA chunks fast-retransmitted (RFC 9260 §7.2.4).</summary>
    public long FastRetransmissions { get; init; }

    /// <summary>T3-rtx expiries.</summary>
    public long RetransmissionTimeouts { get; init; }

    /// <summary>Messages abandoned under partial reliability (RFC 3758).</summary>
    public long MessagesAbandoned { get; init; }

    /// <summary>Messages delivered to the user.</summary>
    public long MessagesReceived { get; init; }

    /// <summary>Messages accepted by <see cref="SctpAssociation.Send"/>.</summary>
    public long MessagesSent { get; init; }

    /// <summary>Congestion window, bytes.</summary>
    public long CongestionWindow { get; init; }

    /// <summary>Current retransmission timeout.</summary>
    public TimeSpan RetransmissionTimeout { get; init; }

    /// <summary>Smoothed round-trip time, if measured.</summary>
    public TimeSpan? SmoothedRoundTripTime { get; init; }
}
