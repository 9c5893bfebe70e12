namespace Tavus.Cvi.WebRtc.Peer;

/// <summary>Arguments of <see cref="RtcDataChannel.MessageReceived"/>.</summary>
public sealed class RtcDataChannelMessageEventArgs(RtcDataChannelMessage message) : EventArgs
{
    /// <summary>The message.</summary>
    public RtcDataChannelMessage Message { get; } = message;
}
