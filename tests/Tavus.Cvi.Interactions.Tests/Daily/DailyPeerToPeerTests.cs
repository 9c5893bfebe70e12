using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tavus.Cvi.Interactions.Daily;
using Tavus.Cvi.Interactions.Transport;
using Tavus.Cvi.Interactions.WebRtc;

namespace Tavus.Cvi.Interactions.Tests.Daily;

/// <summary>
/// Peer-to-peer mode of the Daily transport (daily-protocol.md §7): the signaling field shapes of the §7 table, the
/// offer rule, and the transport's behaviour against a scripted signaling server (the WebRTC side end to end is in
/// <c>PeerToPeerOverEmulatorTests</c>).
/// </summary>
public class DailyPeerToPeerTests
{
    private const string Sdp = "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=ice-pwd:SECRETPASSWORD123\r\n";

    /// <summary>A session id that sorts below every UUID (a prefix of them all), so the transport answers.</summary>
    private const string LowerPeer = "0";

    /// <summary>A session id that sorts above every UUID ('~' is above every hex digit), so the transport offers.</summary>
    private const string HigherPeer = "~peer";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // ---- The offer rule ----

    [Theory]
    [InlineData("a", "b", true)]
    [InlineData("b", "a", false)]
    [InlineData("B", "a", true)] // ordinal: 'B' (0x42) < 'a' (0x61); a culture-aware comparison says the opposite
    [InlineData("0b1c2d3e-0000-4000-8000-000000000000", "0b1c2d3e-0000-4000-8000-000000000001", true)]
    [InlineData("f0000000-0000-4000-8000-000000000000", "0fffffff-ffff-4fff-bfff-ffffffffffff", false)]
    [InlineData("abc", "abcd", true)] // a prefix sorts first, as JavaScript's "<" on strings
    public void The_lower_session_id_offers_by_ordinal_comparison(string local, string remote, bool offers)
    {
        DailyPeerSignaling.IsOfferer(local, remote).Should().Be(offers);
        DailyPeerSignaling.IsOfferer(remote, local).Should().Be(!offers);
    }

    // ---- Field shapes of the §7 table ----

    [Fact]
    public void An_offer_is_a_sig_msg_to_one_peer_with_the_description_as_json_text()
    {
        var frame = JsonNode.Parse(DailyPeerSignaling.Offer("peer-1", Sdp, "1767225003000.7"))!;

        ((string?)frame["msgStr"]).Should().Be("sig-msg");
        var data = frame["msgData"]!;
        ((string?)data["tag"]).Should().Be("sdp offer");
        ((string?)data["envelopeTo"]).Should().Be("peer-1");
        ((string?)data["_sendTs"]).Should().Be("1767225003000.7");
        var fields = data["fields"]!;
        fields["offer"]!.GetValueKind().Should().Be(JsonValueKind.String, "daily-js sends JSON.stringify(description)");
        var description = JsonNode.Parse((string)fields["offer"]!)!;
        ((string?)description["type"]).Should().Be("offer");
        ((string?)description["sdp"]).Should().Be(Sdp);
        ((bool)fields["newRTCConnection"]!).Should().BeTrue();
        ((string?)fields["participation_type"]).Should().Be("full");
        fields["customTracksMediaTagsOrder"]!.AsArray().Should().BeEmpty();
    }

    [Fact]
    public void An_answer_carries_the_answer_as_json_text()
    {
        var fields = JsonNode.Parse(DailyPeerSignaling.Answer("peer-1", Sdp, "1.1"))!["msgData"]!["fields"]!;

        var description = JsonNode.Parse((string)fields["answer"]!)!;
        ((string?)description["type"]).Should().Be("answer");
        ((string?)description["sdp"]).Should().Be(Sdp);
        ((bool)fields["newRTCConnection"]!).Should().BeTrue();
        JsonNode.Parse(DailyPeerSignaling.Answer("peer-1", Sdp, "1.1"))!["msgData"]!["tag"]!.GetValue<string>().Should().Be("sdp answer");
    }

    [Fact]
    public void A_candidate_is_json_text_of_the_rtc_ice_candidate_and_its_absence_ends_the_candidates()
    {
        var candidate = new DailyIceCandidate("candidate:1 1 udp 2130706431 127.0.0.1 50000 typ host", "0", 0);
        var data = JsonNode.Parse(DailyPeerSignaling.Candidate("peer-1", candidate, "1.2"))!["msgData"]!;

        ((string?)data["tag"]).Should().Be("ice candidate");
        ((string?)data["envelopeTo"]).Should().Be("peer-1");
        var init = JsonNode.Parse((string)data["fields"]!["candidate"]!)!;
        ((string?)init["candidate"]).Should().Be(candidate.Candidate);
        ((string?)init["sdpMid"]).Should().Be("0");
        ((int)init["sdpMLineIndex"]!).Should().Be(0);

        var end = JsonNode.Parse(DailyPeerSignaling.Candidate("peer-1", null, "1.3"))!["msgData"]!["fields"]!.AsObject();
        end.Should().BeEmpty("the field is absent at the end of candidates (§7)");
    }

    [Fact]
    public void Reading_descriptions_takes_json_text_and_tolerates_an_object()
    {
        using var text = JsonDocument.Parse($$"""{"offer":{{JsonSerializer.Serialize(DailyPeerSignaling.DescriptionJson("offer", Sdp))}},"newRTCConnection":true}""");
        DailyPeerSignaling.TryReadDescription(text.RootElement, "offer", out var sdp).Should().BeTrue();
        sdp.Should().Be(Sdp);

        using var obj = JsonDocument.Parse("""{"answer":{"type":"answer","sdp":"v=0\r\n"}}""");
        DailyPeerSignaling.TryReadDescription(obj.RootElement, "answer", out sdp).Should().BeTrue();
        sdp.Should().Be("v=0\r\n");

        using var wrongType = JsonDocument.Parse("""{"offer":"{\"type\":\"answer\",\"sdp\":\"v=0\"}"}""");
        DailyPeerSignaling.TryReadDescription(wrongType.RootElement, "offer", out _).Should().BeFalse();
        using var notJson = JsonDocument.Parse("""{"offer":"v=0 not json"}""");
        DailyPeerSignaling.TryReadDescription(notJson.RootElement, "offer", out _).Should().BeFalse();
        using var missing = JsonDocument.Parse("""{"answer":"{\"type\":\"answer\"}"}""");
        DailyPeerSignaling.TryReadDescription(missing.RootElement, "answer", out _).Should().BeFalse();
    }

    [Theory]
    [InlineData("""{"candidate":"{\"candidate\":\"candidate:1 1 udp 1 127.0.0.1 9 typ host\",\"sdpMid\":\"0\",\"sdpMLineIndex\":0}"}""", true, "candidate:1 1 udp 1 127.0.0.1 9 typ host")]
    [InlineData("""{"candidate":{"candidate":"candidate:2 1 udp 1 127.0.0.1 9 typ host","sdpMid":null}}""", true, "candidate:2 1 udp 1 127.0.0.1 9 typ host")]
    [InlineData("""{}""", true, null)]
    [InlineData("""{"candidate":null}""", true, null)]
    [InlineData("""{"candidate":"{\"candidate\":\"\",\"sdpMid\":\"0\"}"}""", true, null)]
    [InlineData("""{"candidate":"not json"}""", false, null)]
    [InlineData("""{"candidate":"{\"sdpMid\":\"0\"}"}""", false, null)]
    [InlineData("""{"candidate":42}""", false, null)]
    public void Reading_candidates_follows_the_table(string fields, bool ok, string? expected)
    {
        using var document = JsonDocument.Parse(fields);

        DailyPeerSignaling.TryReadCandidate(document.RootElement, out var candidate).Should().Be(ok);
        candidate?.Candidate.Should().Be(expected);
        if (ok && expected is null)
        {
            candidate.Should().BeNull("end of candidates");
        }
    }

    [Theory]
    [InlineData("""{"id":"p","rtcType":{"impl":"peer-to-peer"}}""", true)]
    [InlineData("""{"id":"p","callState":"accepting-calls","rtcType":{"impl":"peer-to-peer"}}""", true)]
    [InlineData("""{"id":"p","callState":"passive","rtcType":{"impl":"peer-to-peer"}}""", false)]
    [InlineData("""{"id":"p","rtcType":{"impl":"sfu"}}""", false)]
    [InlineData("""{"id":"p","rtcType":null}""", false)]
    [InlineData("""{"id":"p"}""", false)]
    public void A_link_needs_a_presence_that_accepts_calls_and_runs_peer_to_peer(string presence, bool allows)
    {
        using var document = JsonDocument.Parse(presence);
        DailyTransport.PresenceAllowsPeerToPeer(document.RootElement).Should().Be(allows);
    }

    [Fact]
    public void Sdp_in_logs_has_no_ice_password()
    {
        var redacted = WebRtcPeerConnection.RedactSdp(Sdp);

        redacted.Should().NotContain("SECRETPASSWORD123").And.Contain("a=ice-pwd:[redacted]\r\n").And.Contain("webrtc-datachannel");
    }

    // ---- The transport against a scripted server ----

    [Fact]
    public async Task By_default_the_transport_asks_for_sfu_and_a_peer_room_fails_as_unsupported()
    {
        await using var h = await DailyHarness.StartAsync();
        var join = h.Transport.JoinAsync(Ct);
        var socket = await h.Server.AcceptAsync();
        var joinForSig = await socket.ReceiveUntilAsync("join-for-sig");
        ((bool)joinForSig["msgData"]!["sfuRequired"]!).Should().BeTrue();
        await socket.SendAsync(SigAck("peer"));

        var failure = (await join.Awaiting(j => j.WaitAsync(TestTimeouts.Io, Ct)).Should().ThrowAsync<CviConnectionException>()).Which;
        failure.Failure.Should().Be(CviConnectionFailure.Unsupported);
        failure.Message.Should().Contain("DailyTransportOptions.PeerToPeer");
    }

    [Fact]
    public async Task With_the_option_it_lets_daily_choose_and_joins_a_peer_room_without_the_sfu()
    {
        await using var h = await DailyHarness.StartAsync(o => o.PeerToPeer = new WebRtcPeerConnectionFactory());
        var (socket, presence) = await JoinPeerRoomAsync(h, []);

        // The full presence says how this participant connects (§7: others need rtcType.impl to link to it).
        ((string?)presence["msgData"]!["rtcType"]!["impl"]).Should().Be("peer-to-peer");
        h.Transport.State.Should().Be(TransportState.Connected);
        h.Transport.IsPeerToPeer.Should().BeTrue();

        // No join-as-new-peer: a peer-to-peer room has no SFU to join. The next frame is our leave.
        await h.Transport.LeaveAsync(Ct);
        var frames = new List<string>();
        while (await socket.ReceiveAsync() is { } frame)
        {
            frames.Add((string?)frame["msgStr"] ?? string.Empty);
        }

        frames.Should().NotContain("join-as-new-peer");
    }

    [Fact]
    public async Task The_lower_session_id_sends_the_offer_to_the_peer_only()
    {
        await using var h = await DailyHarness.StartAsync(o => o.PeerToPeer = new WebRtcPeerConnectionFactory());
        var (socket, _) = await JoinPeerRoomAsync(h, [PeerPresence(HigherPeer)]);

        var offer = await socket.ReceiveUntilAsync("sig-msg", f => (string?)f["msgData"]!["tag"] == "sdp offer");

        ((string?)offer["msgData"]!["envelopeTo"]).Should().Be(HigherPeer);
        var description = JsonNode.Parse((string)offer["msgData"]!["fields"]!["offer"]!)!;
        ((string?)description["type"]).Should().Be("offer");
        ((string?)description["sdp"]).Should().Contain("a=sctp-port:").And.Contain("webrtc-datachannel");
        h.Transport.PeerLinks.Should().ContainSingle().Which.IsOfferer.Should().BeTrue();
    }

    [Fact]
    public async Task The_higher_session_id_waits_for_the_offer()
    {
        await using var h = await DailyHarness.StartAsync(o => o.PeerToPeer = new WebRtcPeerConnectionFactory());
        await JoinPeerRoomAsync(h, [PeerPresence(LowerPeer)]);

        var link = h.Transport.PeerLinks.Should().ContainSingle().Which;
        link.IsOfferer.Should().BeFalse();
        link.Connection.Should().BeNull("the answerer creates its connection with the offer");
    }

    [Fact]
    public async Task A_message_waiting_for_a_channel_goes_over_the_socket_when_the_room_switches_to_sfu()
    {
        await using var h = await DailyHarness.StartAsync(o => o.PeerToPeer = new WebRtcPeerConnectionFactory());
        var (socket, _) = await JoinPeerRoomAsync(h, [PeerPresence(LowerPeer)]);

        // The peer never offers, so the channel never opens and the message waits.
        var send = h.Transport.SendAsync(Encoding.UTF8.GetBytes("""{"n":1}"""), LowerPeer, Ct).AsTask();
        h.Transport.PeerLinks.Single().PendingCount.Should().Be(1);
        send.IsCompleted.Should().BeFalse();

        // §4.4: a later sig-ack switches the topology; the waiting message must not be lost.
        await socket.SendAsync(SigAck("sfu"));
        var joinAsNewPeer = await socket.ReceiveUntilAsync("join-as-new-peer");
        await socket.SendAsync(new JsonObject { ["tag"] = "soup", ["msgData"] = new JsonObject { ["_kTs"] = (string?)joinAsNewPeer["msgData"]!["_sendTs"] } });
        var message = await socket.ReceiveUntilAsync("sig-msg", f => (string?)f["msgData"]!["tag"] == "x-egassem");

        ((string?)message["msgData"]!["envelopeTo"]).Should().Be(LowerPeer);
        message["msgData"]!["fields"]!.ToJsonString().Should().Be("""{"n":1}""");
        await send.WaitAsync(TestTimeouts.Io, Ct);
        h.Transport.IsPeerToPeer.Should().BeFalse();
        h.Transport.PeerLinks.Should().BeEmpty();
    }

    [Fact]
    public async Task A_room_that_switches_from_sfu_to_peer_links_to_the_participants_already_there()
    {
        await using var h = await DailyHarness.StartAsync(o => o.PeerToPeer = new WebRtcPeerConnectionFactory());
        var (socket, frames) = await h.JoinAsync([PeerPresence(HigherPeer)]);
        frames.Presence["msgData"]!["rtcType"].Should().BeNull("an SFU room's presence has no peer-to-peer rtcType");
        h.Transport.IsPeerToPeer.Should().BeFalse();

        await socket.SendAsync(SigAck("peer"));

        var presence = await socket.ReceiveUntilAsync("sig-presence");
        ((string?)presence["msgData"]!["rtcType"]!["impl"]).Should().Be("peer-to-peer");
        var offer = await socket.ReceiveUntilAsync("sig-msg", f => (string?)f["msgData"]!["tag"] == "sdp offer");
        ((string?)offer["msgData"]!["envelopeTo"]).Should().Be(HigherPeer);
        h.Transport.IsPeerToPeer.Should().BeTrue();
        h.Transport.State.Should().Be(TransportState.Connected);
    }

    [Fact]
    public async Task A_message_waiting_for_a_peer_that_leaves_fails_clearly()
    {
        await using var h = await DailyHarness.StartAsync(o => o.PeerToPeer = new WebRtcPeerConnectionFactory());
        var (socket, _) = await JoinPeerRoomAsync(h, [PeerPresence(LowerPeer)]);
        var send = h.Transport.SendAsync(Encoding.UTF8.GetBytes("""{"n":2}"""), LowerPeer, Ct).AsTask();

        await socket.SendAsync(new JsonObject { ["msgStr"] = "sig-presence", ["from"] = LowerPeer, ["msgData"] = null });

        var failure = (await send.Awaiting(s => s.WaitAsync(TestTimeouts.Io, Ct)).Should().ThrowAsync<CviConnectionException>()).Which;
        failure.Failure.Should().Be(CviConnectionFailure.Closed);
        failure.Message.Should().Contain(LowerPeer).And.Contain("left");
        h.Transport.PeerLinks.Should().BeEmpty();
    }

    [Fact]
    public async Task A_link_that_fails_fails_its_waiting_message_and_the_answerer_asks_for_a_new_offer()
    {
        await using var h = await DailyHarness.StartAsync(o => o.PeerToPeer = new WebRtcPeerConnectionFactory());
        var (socket, _) = await JoinPeerRoomAsync(h, [PeerPresence(LowerPeer)]);
        var send = h.Transport.SendAsync(Encoding.UTF8.GetBytes("""{"n":4}"""), LowerPeer, Ct).AsTask();

        // An offer the WebRTC stack rejects (no ICE credentials, no fingerprint): the link fails.
        await socket.SendAsync(new JsonObject
        {
            ["msgStr"] = "sig-msg",
            ["tag"] = "sdp offer",
            ["from"] = LowerPeer,
            ["to"] = h.Transport.SessionId,
            ["msgData"] = new JsonObject { ["offer"] = DailyPeerSignaling.DescriptionJson("offer", "v=0\r\ns=-\r\n"), ["newRTCConnection"] = true },
        });

        var failure = (await send.Awaiting(s => s.WaitAsync(TestTimeouts.Io, Ct)).Should().ThrowAsync<CviConnectionException>()).Which;
        failure.Failure.Should().Be(CviConnectionFailure.Network);
        failure.Message.Should().Contain(LowerPeer);

        // §7: the answerer asks the offerer to start over; a new (waiting) link takes the place of the failed one.
        var renegotiate = await socket.ReceiveUntilAsync("sig-msg", f => (string?)f["msgData"]!["tag"] == "please renegotiate");
        ((string?)renegotiate["msgData"]!["envelopeTo"]).Should().Be(LowerPeer);
        h.Transport.PeerLinks.Should().ContainSingle().Which.IsOfferer.Should().BeFalse();
        h.Logs.Entries.Should().Contain(e => e.EventId.Id == 2034, "a failed link is logged");
        h.Transport.State.Should().Be(TransportState.Connected);
    }

    [Fact]
    public async Task Cancelling_a_waiting_message_withdraws_it()
    {
        await using var h = await DailyHarness.StartAsync(o => o.PeerToPeer = new WebRtcPeerConnectionFactory());
        await JoinPeerRoomAsync(h, [PeerPresence(LowerPeer)]);
        using var cancel = new CancellationTokenSource();
        var send = h.Transport.SendAsync(Encoding.UTF8.GetBytes("""{"n":5}"""), LowerPeer, cancel.Token).AsTask();
        var link = h.Transport.PeerLinks.Single();
        link.PendingCount.Should().Be(1);

        await cancel.CancelAsync();

        await send.Awaiting(s => s.WaitAsync(TestTimeouts.Io, Ct)).Should().ThrowAsync<OperationCanceledException>();
        link.PendingCount.Should().Be(0);
    }

    [Fact]
    public async Task The_queue_of_a_channel_that_is_not_open_is_bounded()
    {
        await using var h = await DailyHarness.StartAsync(o =>
        {
            o.PeerToPeer = new WebRtcPeerConnectionFactory();
            o.MaxQueuedMessages = 2;
        });
        await JoinPeerRoomAsync(h, [PeerPresence(LowerPeer)]);
        _ = h.Transport.SendAsync(Encoding.UTF8.GetBytes("""{"n":1}"""), LowerPeer, Ct).AsTask();
        _ = h.Transport.SendAsync(Encoding.UTF8.GetBytes("""{"n":2}"""), LowerPeer, Ct).AsTask();

        var third = () => h.Transport.SendAsync(Encoding.UTF8.GetBytes("""{"n":3}"""), LowerPeer, Ct).AsTask();

        (await third.Should().ThrowAsync<CviConnectionException>()).Which.Failure.Should().Be(CviConnectionFailure.Network);
    }

    [Fact]
    public async Task Logs_never_carry_the_ice_password_even_at_trace()
    {
        // The WebRTC adapter logs the SDP, through the logger factory it is given (here the transport's).
        await using var h = await DailyHarness.StartAsync(peerToPeer: logs => new WebRtcPeerConnectionFactory(loggerFactory: logs));
        var (socket, _) = await JoinPeerRoomAsync(h, [PeerPresence(HigherPeer)]);
        var offer = await socket.ReceiveUntilAsync("sig-msg", f => (string?)f["msgData"]!["tag"] == "sdp offer");
        var sdp = (string)JsonNode.Parse((string)offer["msgData"]!["fields"]!["offer"]!)!["sdp"]!;
        var password = sdp.Split("\r\n").Single(l => l.StartsWith("a=ice-pwd:", StringComparison.Ordinal))["a=ice-pwd:".Length..];

        h.Logs.Entries.Should().Contain(e => e.Message.Contains("a=ice-pwd:[redacted]", StringComparison.Ordinal), "the SDP is logged at Trace");
        h.Logs.Entries.Should().NotContain(e => e.Message.Contains(password, StringComparison.Ordinal));
    }

    // ---- The link over a scripted IDailyPeerConnection (deterministic: the test opens and fails the channel) ----

    [Fact]
    public async Task Over_a_scripted_connection_the_offerer_sends_its_offer_and_flushes_waiting_messages_in_order_when_the_channel_opens()
    {
        var fakes = new FakeDailyPeerConnectionFactory();
        await using var h = await DailyHarness.StartAsync(o => o.PeerToPeer = fakes);
        var (socket, _) = await JoinPeerRoomAsync(h, [PeerPresence(HigherPeer)]);
        var connection = await fakes.NextAsync();
        connection.RemoteId.Should().Be(HigherPeer);

        // The offer on the wire is the connection's SDP, addressed to the peer only (§7).
        var offer = await socket.ReceiveUntilAsync("sig-msg", f => (string?)f["msgData"]!["tag"] == "sdp offer");
        ((string?)offer["msgData"]!["envelopeTo"]).Should().Be(HigherPeer);
        ((string?)JsonNode.Parse((string)offer["msgData"]!["fields"]!["offer"]!)!["sdp"]).Should().Be(connection.OfferSdp);

        // The answer reaches the connection as an answer.
        await socket.SendAsync(new JsonObject
        {
            ["msgStr"] = "sig-msg",
            ["tag"] = "sdp answer",
            ["from"] = HigherPeer,
            ["to"] = h.Transport.SessionId,
            ["msgData"] = new JsonObject { ["answer"] = DailyPeerSignaling.DescriptionJson("answer", "v=0\r\ns=their-answer\r\n") },
        });
        using (var timeout = new CancellationTokenSource(TestTimeouts.Io))
        {
            (await connection.RemoteDescriptions.Reader.ReadAsync(timeout.Token)).Should().Be((DailySdpType.Answer, "v=0\r\ns=their-answer\r\n"));
        }

        // Before the channel opens, messages wait in order; when it opens they go out in that order.
        var first = h.Transport.SendAsync(Encoding.UTF8.GetBytes("""{"n":1}"""), HigherPeer, Ct).AsTask();
        var second = h.Transport.SendAsync(Encoding.UTF8.GetBytes("""{"n":2}"""), HigherPeer, Ct).AsTask();
        var link = h.Transport.PeerLinks.Should().ContainSingle().Which;
        link.PendingCount.Should().Be(2);
        first.IsCompleted.Should().BeFalse();

        connection.Open();
        await Task.WhenAll(first, second).WaitAsync(TestTimeouts.Io, Ct);
        using (var timeout = new CancellationTokenSource(TestTimeouts.Io))
        {
            (await connection.Sent.Reader.ReadAsync(timeout.Token)).Should().Be("""{"n":1}""");
            (await connection.Sent.Reader.ReadAsync(timeout.Token)).Should().Be("""{"n":2}""");
        }

        // Once open, a send goes straight to the channel; a received message comes from the link's peer.
        await h.Transport.SendAsync(Encoding.UTF8.GetBytes("""{"n":3}"""), HigherPeer, Ct).AsTask().WaitAsync(TestTimeouts.Io, Ct);
        connection.Sent.Reader.TryRead(out var third).Should().BeTrue();
        third.Should().Be("""{"n":3}""");
        link.QueuedTotal.Should().Be(2);

        connection.Receive("""{"hello":"there"}""");
        var received = await h.WaitForEventAsync<AppMessageReceived>();
        received.SenderId.Should().Be(HigherPeer);
        Encoding.UTF8.GetString(received.Payload.Span).Should().Be("""{"hello":"there"}""");

        // Leaving disposes of the connection.
        await h.Transport.LeaveAsync(Ct);
        await connection.Disposed.WaitAsync(TestTimeouts.Io, Ct);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Over_a_scripted_connection_a_failure_fails_the_waiting_message_and_the_offerer_offers_on_a_new_connection(bool channelCloses)
    {
        var fakes = new FakeDailyPeerConnectionFactory();
        await using var h = await DailyHarness.StartAsync(o => o.PeerToPeer = fakes);
        var (socket, _) = await JoinPeerRoomAsync(h, [PeerPresence(HigherPeer)]);
        var connection = await fakes.NextAsync();
        await socket.ReceiveUntilAsync("sig-msg", f => (string?)f["msgData"]!["tag"] == "sdp offer");
        var send = h.Transport.SendAsync(Encoding.UTF8.GetBytes("""{"n":1}"""), HigherPeer, Ct).AsTask();

        if (channelCloses)
        {
            connection.CloseChannel();
        }
        else
        {
            connection.Fail("disconnected");
        }

        var failure = (await send.Awaiting(s => s.WaitAsync(TestTimeouts.Io, Ct)).Should().ThrowAsync<CviConnectionException>()).Which;
        failure.Failure.Should().Be(CviConnectionFailure.Network);
        failure.Message.Should().Contain(HigherPeer);
        if (!channelCloses)
        {
            failure.InnerException!.Message.Should().Contain("disconnected");
        }

        await connection.Disposed.WaitAsync(TestTimeouts.Io, Ct);

        // A new connection makes a new offer (newRTCConnection, §7); the transport itself stays connected.
        var replacement = await fakes.NextAsync();
        replacement.Should().NotBeSameAs(connection);
        var offer = await socket.ReceiveUntilAsync("sig-msg", f => (string?)f["msgData"]!["tag"] == "sdp offer");
        ((string?)JsonNode.Parse((string)offer["msgData"]!["fields"]!["offer"]!)!["sdp"]).Should().Be(replacement.OfferSdp);
        h.Transport.State.Should().Be(TransportState.Connected);
    }

    private static JsonObject PeerPresence(string id)
    {
        var presence = DailyHarness.Presence(id, "Peer");
        presence["rtcType"] = new JsonObject { ["impl"] = "peer-to-peer" };
        return presence;
    }

    private static JsonObject SigAck(string topology, JsonArray? presences = null) => new()
    {
        ["msgStr"] = "sig-ack",
        ["topology"] = topology,
        ["sigAuthz"] = FakeDailyServer.RefreshedSigAuthz,
        ["permissions"] = new JsonObject { ["hasPresence"] = true, ["canSend"] = true, ["canAdmin"] = false },
        ["mtgSession"] = new JsonObject { ["id"] = "mtg-session-1" },
        ["clientSupportState"] = "supported",
        ["presences"] = presences ?? [],
        ["serverTS"] = 1_767_225_001_456,
    };

    /// <summary>The server side of a join into a peer-to-peer room: sig-ack with topology peer, then the full presence.</summary>
    private static async Task<(FakeSocket Socket, JsonObject Presence)> JoinPeerRoomAsync(DailyHarness h, JsonArray presences)
    {
        var join = h.Transport.JoinAsync(Ct);
        var socket = await h.Server.AcceptAsync();
        var joinForSig = await socket.ReceiveUntilAsync("join-for-sig");
        ((bool)joinForSig["msgData"]!["sfuRequired"]!).Should().BeFalse("a PeerToPeer factory lets Daily choose the topology");
        await socket.SendAsync(SigAck("peer", presences));
        // The offer to a peer may go out before the client's own presence: keep it for the test to read.
        var presence = await socket.ReceiveUntilAsync("sig-presence", keepSkipped: true);
        await join.WaitAsync(TestTimeouts.Io, Ct);
        return (socket, presence);
    }
}
