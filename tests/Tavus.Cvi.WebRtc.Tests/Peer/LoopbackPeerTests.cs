using Tavus.Cvi.WebRtc.Peer;

namespace Tavus.Cvi.WebRtc.Tests.Peer;

public class LoopbackPeerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    internal static async Task ConnectAsync(RtcPeerConnection offerer, RtcPeerConnection answerer)
    {
        var offer = await offerer.CreateOfferAsync();
        await answerer.SetRemoteDescriptionAsync(offer);
        var answer = await answerer.CreateAnswerAsync();
        await offerer.SetRemoteDescriptionAsync(answer);
        await Task.WhenAll(offerer.WaitUntilConnectedAsync(), answerer.WaitUntilConnectedAsync()).WaitAsync(Timeout);
    }

    [Fact]
    public async Task Two_peers_connect_over_udp_loopback()
    {
        await using var a = new RtcPeerConnection();
        await using var b = new RtcPeerConnection();
        await ConnectAsync(a, b);
        a.ConnectionState.Should().Be(RtcPeerConnectionState.Connected);
        b.ConnectionState.Should().Be(RtcPeerConnectionState.Connected);
        a.LocalDescription!.Sdp.Should().Contain("a=setup:actpass").And.Contain("127.0.0.1");
        b.LocalDescription!.Sdp.Should().Contain("a=setup:active");
    }
}
