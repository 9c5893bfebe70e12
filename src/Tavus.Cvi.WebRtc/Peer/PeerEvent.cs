namespace Tavus.Cvi.WebRtc.Peer;

/// <summary>What the sans-IO <see cref="PeerConnectionCore"/> reports to its driver.</summary>
internal abstract record PeerEvent
{
    /// <summary>The aggregate connection state changed.</summary>
    public sealed record StateChanged(RtcPeerConnectionState State) : PeerEvent;

    /// <summary>Gathering finished: the local description now carries every candidate.</summary>
    public sealed record GatheringComplete : PeerEvent;

    /// <summary>The remote side opened a channel (DCEP DATA_CHANNEL_OPEN, RFC 8832 §5.1).</summary>
    public sealed record ChannelReceived(RtcDataChannel Channel) : PeerEvent;

    /// <summary>A channel became open.</summary>
    public sealed record ChannelOpened(RtcDataChannel Channel) : PeerEvent;

    /// <summary>A channel closed (stream reset done, or the association went away).</summary>
    public sealed record ChannelClosed(RtcDataChannel Channel) : PeerEvent;

    /// <summary>A message arrived on a channel.</summary>
    public sealed record ChannelMessage(RtcDataChannel Channel, RtcDataChannelMessage Message) : PeerEvent;

    /// <summary>A channel's queued bytes dropped to its low threshold.</summary>
    public sealed record ChannelBufferedAmountLow(RtcDataChannel Channel) : PeerEvent;
}
