using System.Security.Cryptography;
using Tavus.Cvi.WebRtc.Peer;

namespace Tavus.Cvi.WebRtc.Tests.Peer;

/// <summary>Two of our peers over real UDP on loopback, through the public API.</summary>
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

    private static RtcConfiguration LoopbackOnly() => new() { IncludeInterfaceCandidates = false };

    [Fact]
    public async Task Two_peers_connect_over_udp_loopback()
    {
        await using var a = new RtcPeerConnection();
        await using var b = new RtcPeerConnection();
        var states = new List<RtcPeerConnectionState>();
        a.ConnectionStateChanged += (_, e) => { lock (states) { states.Add(e.State); } };
        await ConnectAsync(a, b);
        a.ConnectionState.Should().Be(RtcPeerConnectionState.Connected);
        b.ConnectionState.Should().Be(RtcPeerConnectionState.Connected);
        a.LocalDescription!.Sdp.Should().Contain("a=setup:actpass").And.Contain("127.0.0.1");
        b.LocalDescription!.Sdp.Should().Contain("a=setup:active");
        await a.CloseAsync();
        await b.WaitForStateAsync(RtcPeerConnectionState.Closed, Timeout);
        lock (states) { states.Should().StartWith([RtcPeerConnectionState.Connecting, RtcPeerConnectionState.Connected]).And.EndWith(RtcPeerConnectionState.Closed); }
    }

    [Fact]
    public async Task In_band_channel_carries_text_and_binary_of_every_size_both_ways()
    {
        await using var a = new RtcPeerConnection(LoopbackOnly());
        await using var b = new RtcPeerConnection(LoopbackOnly());
        var received = new TaskCompletionSource<RtcDataChannel>(TaskCreationOptions.RunContinuationsAsynchronously);
        b.DataChannelReceived += (_, e) => received.TrySetResult(e.Channel);
        var ca = a.CreateDataChannel("chat", new RtcDataChannelOptions { Protocol = "json" });
        await ConnectAsync(a, b);
        await ca.WaitUntilOpenAsync().WaitAsync(Timeout);
        var cb = await received.Task.WaitAsync(Timeout);
        cb.Label.Should().Be("chat");
        cb.Protocol.Should().Be("json");
        cb.Id.Should().Be(ca.Id);
        (ca.Id!.Value % 2).Should().Be(1, "the offerer is the DTLS server here and uses odd stream ids (RFC 8832 §6)");

        int[] sizes = [0, 1, 1163, 1164, 16 * 1024, 65536, 256 * 1024];
        await using var fromA = cb.ReadMessagesAsync().GetAsyncEnumerator();
        await using var fromB = ca.ReadMessagesAsync().GetAsyncEnumerator();
        foreach (int size in sizes)
        {
            byte[] payload = RandomNumberGenerator.GetBytes(size);
            await ca.SendAsync(payload);
            (await fromA.MoveNextAsync().AsTask().WaitAsync(Timeout)).Should().BeTrue();
            fromA.Current.IsText.Should().BeFalse();
            fromA.Current.Data.ToArray().Should().Equal(payload);

            string text = new('é', size / 2);
            await cb.SendAsync(text);
            (await fromB.MoveNextAsync().AsTask().WaitAsync(Timeout)).Should().BeTrue();
            fromB.Current.IsText.Should().BeTrue();
            fromB.Current.Text.Should().Be(text);
        }
    }

    [Fact]
    public async Task A_bulk_transfer_arrives_intact_and_in_order_through_batched_receive_and_segmented_sends()
    {
        // Bursts of full packets leave through UDP segmentation offload on Linux and arrive faster than one datagram per
        // loop turn, so the receiver handles them in batches with one SACK each: every byte must still arrive, in order.
        await using var a = new RtcPeerConnection(LoopbackOnly());
        await using var b = new RtcPeerConnection(LoopbackOnly());
        var received = new TaskCompletionSource<RtcDataChannel>(TaskCreationOptions.RunContinuationsAsynchronously);
        b.DataChannelReceived += (_, e) => received.TrySetResult(e.Channel);
        var ca = a.CreateDataChannel("bulk");
        await ConnectAsync(a, b);
        await ca.WaitUntilOpenAsync().WaitAsync(Timeout);
        var cb = await received.Task.WaitAsync(Timeout);

        const int Messages = 256;
        var payloads = Enumerable.Range(0, Messages).Select(i => RandomNumberGenerator.GetBytes(1000 + (i * 97 % 20000))).ToArray();
        var (turnsBefore, inBefore, _) = b.Internals.Driver!.Counters;
        var reader = Task.Run(async () =>
        {
            int i = 0;
            await foreach (var message in cb.ReadMessagesAsync())
            {
                message.Data.ToArray().Should().Equal(payloads[i], $"message {i} arrives intact and in order");
                if (++i == Messages)
                {
                    return;
                }
            }
        });
        foreach (byte[] payload in payloads)
        {
            await ca.SendAsync(payload);
        }

        await reader.WaitAsync(TimeSpan.FromSeconds(30));
        var (turnsAfter, inAfter, _) = b.Internals.Driver!.Counters;
        (inAfter - inBefore).Should().BeGreaterThan(payloads.Sum(p => p.Length) / 1200, "every DATA packet was handed to the core");
        (turnsAfter - turnsBefore).Should().BeGreaterThan(0);
        if (OperatingSystem.IsLinux())
        {
            a.Internals.Driver!.SegmentedSends.Should().BeGreaterThan(0, "bursts of full packets go out as segmented sends");
        }
    }

    [Fact]
    public async Task Negotiated_unordered_and_partially_reliable_channels_deliver_through_events()
    {
        await using var a = new RtcPeerConnection(LoopbackOnly());
        await using var b = new RtcPeerConnection(LoopbackOnly());
        var options = new RtcDataChannelOptions { Negotiated = true, Id = 7, Ordered = false, MaxRetransmits = 0 };
        var ca = a.CreateDataChannel("side", options);
        var cb = b.CreateDataChannel("side", options);
        var got = new List<string>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cb.MessageReceived += (_, e) =>
        {
            lock (got)
            {
                got.Add(e.Message.Text!);
                if (got.Count == 100) { all.TrySetResult(); }
            }
        };
        await ConnectAsync(a, b);
        await Task.WhenAll(ca.WaitUntilOpenAsync(), cb.WaitUntilOpenAsync()).WaitAsync(Timeout);
        for (int i = 0; i < 100; i++)
        {
            await ca.SendAsync("m" + i);
        }

        await all.Task.WaitAsync(Timeout);
        got.Should().BeEquivalentTo(Enumerable.Range(0, 100).Select(i => "m" + i));
    }

    [Fact]
    public async Task Closing_a_channel_closes_it_on_both_sides_and_frees_nothing_else()
    {
        await using var a = new RtcPeerConnection(LoopbackOnly());
        await using var b = new RtcPeerConnection(LoopbackOnly());
        var received = new TaskCompletionSource<RtcDataChannel>(TaskCreationOptions.RunContinuationsAsynchronously);
        b.DataChannelReceived += (_, e) => received.TrySetResult(e.Channel);
        var ca = a.CreateDataChannel("one");
        var keep = a.CreateDataChannel("two");
        await ConnectAsync(a, b);
        await ca.WaitUntilOpenAsync().WaitAsync(Timeout);
        var cb = await received.Task.WaitAsync(Timeout);
        var remoteClosed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        cb.Closed += (_, _) => remoteClosed.TrySetResult();
        await ca.CloseAsync().WaitAsync(Timeout);
        ca.State.Should().Be(RtcDataChannelState.Closed);
        await remoteClosed.Task.WaitAsync(Timeout);
        keep.State.Should().Be(RtcDataChannelState.Open);
        var send = () => ca.SendAsync("late");
        await send.Should().ThrowAsync<InvalidOperationException>();
    }

    [Fact]
    public async Task A_message_above_the_remote_maximum_is_refused_before_sending()
    {
        await using var a = new RtcPeerConnection(LoopbackOnly());
        await using var b = new RtcPeerConnection(new RtcConfiguration { IncludeInterfaceCandidates = false, MaxMessageSize = 1000 });
        var ca = a.CreateDataChannel("x");
        await ConnectAsync(a, b);
        await ca.WaitUntilOpenAsync().WaitAsync(Timeout);
        var send = () => ca.SendAsync(new byte[1001]);
        await send.Should().ThrowAsync<ArgumentException>();
        await ca.SendAsync(new byte[1000]);
    }

    [Fact]
    public async Task Trickled_candidates_connect_descriptions_that_had_none()
    {
        // Neither description carries candidates: only the trickled ones can connect the peers.
        static (string Sdp, string[] Candidates) Strip(string sdp)
        {
            var lines = sdp.Split("\r\n");
            return (string.Join("\r\n", lines.Where(l => !l.StartsWith("a=candidate:", StringComparison.Ordinal) && l != "a=end-of-candidates")),
                lines.Where(l => l.StartsWith("a=candidate:", StringComparison.Ordinal)).ToArray());
        }

        await using var a = new RtcPeerConnection(LoopbackOnly());
        await using var b = new RtcPeerConnection(LoopbackOnly());
        var (offer, offerCandidates) = Strip((await a.CreateOfferAsync()).Sdp);
        await b.SetRemoteDescriptionAsync(new RtcSessionDescription(RtcSdpType.Offer, offer));
        var (answer, answerCandidates) = Strip((await b.CreateAnswerAsync()).Sdp);
        await a.SetRemoteDescriptionAsync(new RtcSessionDescription(RtcSdpType.Answer, answer));
        await b.AddIceCandidateAsync("candidate:1 1 udp 1 abcd.local 9 typ host"); // mDNS: ignored
        foreach (var c in offerCandidates)
        {
            await b.AddIceCandidateAsync(c);
        }

        foreach (var c in answerCandidates)
        {
            await a.AddIceCandidateAsync(c);
        }

        await Task.WhenAll(a.WaitUntilConnectedAsync(), b.WaitUntilConnectedAsync()).WaitAsync(Timeout);
    }

    [Fact]
    public async Task Garbage_sdp_is_an_argument_error()
    {
        await using var a = new RtcPeerConnection(LoopbackOnly());
        var act = () => a.SetRemoteDescriptionAsync(new RtcSessionDescription(RtcSdpType.Offer, "v=0\r\nm=audio 9 RTP/AVP 0\r\n"));
        await act.Should().ThrowAsync<ArgumentException>();
    }
}

internal static class PeerTestExtensions
{
    public static async Task WaitForStateAsync(this RtcPeerConnection pc, RtcPeerConnectionState state, TimeSpan timeout)
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        pc.ConnectionStateChanged += (_, e) => { if (e.State == state) { tcs.TrySetResult(); } };
        if (pc.ConnectionState == state) { return; }
        await tcs.Task.WaitAsync(timeout);
    }
}
