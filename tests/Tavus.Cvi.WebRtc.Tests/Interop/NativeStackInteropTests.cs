using Tavus.Cvi.WebRtc.Peer;

namespace Tavus.Cvi.WebRtc.Tests.Interop;

/// <summary>Our peer against Chromium, libwebrtc (@roamhq/wrtc) and libdatachannel (node-datachannel), in every role.</summary>
public class NativeStackInteropTests
{
    public static TheoryData<string, bool, bool> Roles()
    {
        var data = new TheoryData<string, bool, bool>();
        foreach (var stack in new[] { "wrtc", "ndc", "chromium" })
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

    internal static async Task<RtcDataChannel> OpenChannelAsync(RtcPeerConnection ours, NodePeer theirs, bool weOffer, object? channelOptions = null)
    {
        if (weOffer)
        {
            var channel = ours.CreateDataChannel("ours");
            await ConnectAsync(ours, theirs, weOffer);
            await channel.WaitUntilOpenAsync().WaitAsync(TimeSpan.FromSeconds(20));
            await theirs.WaitForAsync("channel", e => (string?)e["label"] == "ours");
            return channel;
        }

        var received = new TaskCompletionSource<RtcDataChannel>(TaskCreationOptions.RunContinuationsAsynchronously);
        ours.DataChannelReceived += (_, e) => received.TrySetResult(e.Channel);
        await ConnectAsync(ours, theirs, weOffer, [channelOptions ?? new { label = "theirs" }]);
        var remote = await received.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await remote.WaitUntilOpenAsync().WaitAsync(TimeSpan.FromSeconds(20));
        return remote;
    }

    [Theory]
    [MemberData(nameof(Roles))]
    public async Task Exchanges_text_and_binary_from_1_byte_to_256_KiB_both_ways(string stack, bool weOffer, bool weAreDtlsClient)
    {
        NodePeer.RequireAvailable(NodePeer.Unavailable(stack));
        await using var theirs = await NodePeer.StartAsync(stack);
        await using var ours = new RtcPeerConnection(Configuration(weOffer, weAreDtlsClient));
        var channel = await OpenChannelAsync(ours, theirs, weOffer);
        (channel.Id!.Value % 2).Should().Be(weAreDtlsClient == weOffer ? 0 : 1, "the DTLS client's side picks even ids (RFC 8832 §6)");
        await using var messages = channel.ReadMessagesAsync().GetAsyncEnumerator();
        var random = new Random(42);
        async Task<RtcDataChannelMessage> NextAsync()
        {
            (await messages.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20))).Should().BeTrue();
            return messages.Current;
        }

        foreach (int size in new[] { 1, 100, 1163, 1200, 16 * 1024, 65536, 256 * 1024 })
        {
            // Ours -> theirs, echoed back.
            var payload = new byte[size];
            random.NextBytes(payload);
            await channel.SendAsync(payload);
            var echo = await NextAsync();
            echo.IsText.Should().BeFalse();
            echo.Data.ToArray().Should().Equal(payload, $"binary echo of {size} bytes");

            string text = new(Enumerable.Range(0, size).Select(_ => (char)random.Next(32, 127)).ToArray());
            await channel.SendAsync(text);
            var textEcho = await NextAsync();
            textEcho.IsText.Should().BeTrue();
            textEcho.Text.Should().Be(text, $"text echo of {size} bytes");

            // Theirs -> ours, generated by the native stack.
            await theirs.SendAsync(new { cmd = "send", label = channel.Label, size, binary = true });
            var generated = await NextAsync();
            generated.IsText.Should().BeFalse();
            generated.Data.ToArray().Should().Equal(NodePeer.BinaryPattern(size));
            await theirs.SendAsync(new { cmd = "send", label = channel.Label, size, binary = false });
            var generatedText = await NextAsync();
            generatedText.Text.Should().Be(NodePeer.TextPattern(size));
        }
    }

    [Theory]
    [InlineData("wrtc")]
    [InlineData("ndc")]
    [InlineData("chromium")]
    public async Task Channel_close_from_either_side_is_seen_by_the_other(string stack)
    {
        NodePeer.RequireAvailable(NodePeer.Unavailable(stack));
        await using var theirs = await NodePeer.StartAsync(stack);
        await using var ours = new RtcPeerConnection();
        var channel = await OpenChannelAsync(ours, theirs, weOffer: true);
        var second = ours.CreateDataChannel("second");
        await second.WaitUntilOpenAsync().WaitAsync(TimeSpan.FromSeconds(20));
        await theirs.WaitForAsync("channel", e => (string?)e["label"] == "second");

        await channel.CloseAsync().WaitAsync(TimeSpan.FromSeconds(20));
        await theirs.WaitForAsync("close", e => (string?)e["label"] == "ours");

        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        second.Closed += (_, _) => closed.TrySetResult();
        await theirs.SendAsync(new { cmd = "close-channel", label = "second" });
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(20));
    }

    [Theory]
    [InlineData("wrtc")]
    [InlineData("ndc")]
    [InlineData("chromium")]
    public async Task Unordered_partially_reliable_channel_opened_by_them_keeps_its_parameters(string stack)
    {
        NodePeer.RequireAvailable(NodePeer.Unavailable(stack));
        await using var theirs = await NodePeer.StartAsync(stack);
        await using var ours = new RtcPeerConnection();
        var channel = await OpenChannelAsync(ours, theirs, weOffer: false, new { label = "lossy", ordered = false, maxRetransmits = 2, protocol = "p1" });
        channel.Ordered.Should().BeFalse();
        channel.MaxRetransmits.Should().Be(2);
        channel.Protocol.Should().Be("p1");
        await using var messages = channel.ReadMessagesAsync().GetAsyncEnumerator();
        await channel.SendAsync("ping");
        (await messages.MoveNextAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(20))).Should().BeTrue();
        messages.Current.Text.Should().Be("ping");
    }
}
