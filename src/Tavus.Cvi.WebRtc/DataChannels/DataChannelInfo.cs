namespace Tavus.Cvi.WebRtc.DataChannels;

/// <summary>A data channel as the <see cref="DataChannelEndpoint"/> knows it.</summary>
public sealed class DataChannelInfo
{
    internal DataChannelInfo(ushort id, string label, DataChannelOptions options)
    {
        Id = id;
        Label = label;
        Protocol = options.Protocol;
        Ordered = options.Ordered;
        MaxRetransmits = options.MaxRetransmits;
        MaxPacketLifetime = options.MaxPacketLifetime;
        Negotiated = options.Negotiated;
        Priority = options.Priority;
    }

    /// <summary>SCTP stream id.</summary>
    public ushort Id { get; }

    /// <summary>Label.</summary>
    public string Label { get; }

    /// <summary>Sub-protocol.</summary>
    public string Protocol { get; }

    /// <summary>In-order delivery.</summary>
    public bool Ordered { get; }

    /// <summary>Retransmission limit, if partially reliable.</summary>
    public int? MaxRetransmits { get; }

    /// <summary>Lifetime limit, if partially reliable.</summary>
    public TimeSpan? MaxPacketLifetime { get; }

    /// <summary>Created on both sides out of band, without DCEP.</summary>
    public bool Negotiated { get; }

    /// <summary>DCEP priority.</summary>
    public ushort Priority { get; }

    /// <summary>Current state.</summary>
    public DataChannelState State { get; internal set; }

    internal bool Acknowledged { get; set; }

    internal bool OpenPending { get; set; }

    internal bool IncomingReset { get; set; }

    internal bool OutgoingReset { get; set; }

    internal bool ResetRequested { get; set; }
}
