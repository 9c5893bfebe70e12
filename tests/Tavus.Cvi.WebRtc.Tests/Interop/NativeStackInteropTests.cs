using Tavus.Cvi.WebRtc.Peer;

namespace Tavus.Cvi.WebRtc.Tests.Interop;

/// <summary>Our peer against libwebrtc (@roamhq/wrtc) and libdatachannel (node-datachannel), in every role.</summary>
public class NativeStackInteropTests
{
    public static TheoryData<string, bool, bool> Roles()
    {
        var data = new TheoryData<string, bool, bool>();
        foreach (var stack in new[] { "wrtc", "ndc" })
        {
            foreach (bool weOffer in new[] { true, false })
            {
                foreach (bool weAreDtlsClient in new[] { true, false })
                {
                    data.Add(stack, weOffer, weAreDtlsClient);
                }
            }
        }

        return data;
    }

    internal static async Task ConnectAsync(RtcPeerConnection ours, NodePeer theirs, bool weOffer, object[]? theirChannels = null)
    {
        theirChannels ??= [];
        if (weOffer)
        {
            var offer = await ours.CreateOfferAsync();
            await theirs.SendAsync(new { cmd = "answer", sdp = offer.Sdp, channels = theirChannels });
            var answer = await theirs.WaitForAsync("answer");
            await ours.SetRemoteDescriptionAsync(new RtcSessionDescription(RtcSdpType.Answer, (string)answer["sdp"]!));
        }
        else
        {
            await theirs.SendAsync(new { cmd = "offer", channels = theirChannels });
            var offer = await theirs.WaitForAsync("offer");
            await ours.SetRemoteDescriptionAsync(new RtcSessionDescription(RtcSdpType.Offer, (string)offer["sdp"]!));
            var answer = await ours.CreateAnswerAsync();
            await theirs.SendAsync(new { cmd = "remote-answer", sdp = answer.Sdp });
        }

        await ours.WaitUntilConnectedAsync().WaitAsync(TimeSpan.FromSeconds(20));
    }

    internal static RtcConfiguration Configuration(bool weOffer, bool weAreDtlsClient) => new()
    {
        // Offers say actpass and answers active by default; the other two DTLS roles need this test hook.
        ForcedSetup = (weOffer, weAreDtlsClient) switch
        {
            (true, false) => null,
            (true, true) => Tavus.Cvi.WebRtc.Sdp.SdpSetupRole.Active,
            (false, true) => null,
            (false, false) => Tavus.Cvi.WebRtc.Sdp.SdpSetupRole.Passive,
        },
    };

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task Connects(string stack, bool weOffer, bool weAreDtlsClient)
    {
        NodePeer.RequireAvailable(NodePeer.Unavailable(stack));
        await using var theirs = await NodePeer.StartAsync(stack);
        await using var ours = new RtcPeerConnection(Configuration(weOffer, weAreDtlsClient));
        var channels = weOffer ? Array.Empty<object>() : [new { label = "theirs" }];
        if (weOffer)
        {
            ours.CreateDataChannel("ours");
        }

        await ConnectAsync(ours, theirs, weOffer, channels);
        ours.ConnectionState.Should().Be(RtcPeerConnectionState.Connected);
    }
}
