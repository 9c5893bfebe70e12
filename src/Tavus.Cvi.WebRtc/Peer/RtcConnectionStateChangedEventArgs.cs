namespace Tavus.Cvi.WebRtc.Peer;

/// <summary>Arguments of <see cref="RtcPeerConnection.ConnectionStateChanged"/>.</summary>
public sealed class RtcConnectionStateChangedEventArgs(RtcPeerConnectionState state) : EventArgs
{
    /// <summary>The new state.</summary>
    public RtcPeerConnectionState State { get; } = state;
}
