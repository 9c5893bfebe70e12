namespace Tavus.Cvi.WebRtc.Peer;

/// <summary>Arguments of <see cref="RtcPeerConnection.DataChannelReceived"/>.</summary>
public sealed class RtcDataChannelEventArgs(RtcDataChannel channel) : EventArgs
{
    /// <summary>The channel the remote side opened.</summary>
    public RtcDataChannel Channel { get; } = channel;
}
