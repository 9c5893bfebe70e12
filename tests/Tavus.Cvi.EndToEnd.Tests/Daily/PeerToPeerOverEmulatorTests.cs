using System.Text;
using System.Text.Json;
using Tavus.Cvi.Emulator;
using Tavus.Cvi.Emulator.PeerToPeer;
using Tavus.Cvi.Interactions.Daily;
using Tavus.Cvi.Interactions.Protocol;
using Tavus.Cvi.Interactions.Session;
using Tavus.Cvi.Interactions.Transport;
using Tavus.Cvi.Interactions.WebRtc;
using Tavus.Cvi.WebRtc.Peer;

namespace Tavus.Cvi.EndToEnd.Tests.Daily;

/// <summary>
/// Peer-to-peer Daily rooms (daily-protocol.md §7) against the emulator: the SDK and the emulated replica are WebRTC
/// peers on loopback UDP, signal through the emulator's relay, and exchange app messages over the negotiated
/// <c>app-messages</c> data channel, not over the signaling WebSocket.
/// </summary>
public sealed class PeerToPeerOverEmulatorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static CviEmulatorOptions PeerRooms() => new() { PeerToPeerRooms = true };

    private static void AllowPeerToPeer(DailyTransportOptions options)
    {
        options.PeerToPeer = new WebRtcPeerConnectionFactory(new RtcConfiguration { IncludeInterfaceCandidates = false });
    }

    [Fact]
    public async Task Session_talks_to_the_replica_over_the_data_channel()
    {
        await using var h = await EmulatorHarness.StartAsync(PeerRooms());
        var conversation = await h.CreateConversationAsync();
        await using var session = await h.JoinAsync(conversation, h.SessionOptions(AllowPeerToPeer));
        var log = SessionEventLog.Start(session);
        var transport = (DailyTransport)session.Transport;
        var id = conversation.ConversationId;
        transport.IsPeerToPeer.Should().BeTrue();

        // The replica joins and announces itself over the data channel (it queued that until the channel opened).
        (await log.WaitForAsync<ReplicaJoinedEvent>()).ReplicaId.Should().Be("r-emulator");
        await log.WaitForAsync<UtteranceEvent>(u => u.Speech == "Hi, I'm Emu. How can I help you today?");
        var replicaId = h.Emulator.GetReplicaSessionId(id)!;
        var link = transport.PeerLinks.Should().ContainSingle().Which;
        link.RemoteId.Should().Be(replicaId);
        link.IsOfferer.Should().Be(string.CompareOrdinal(transport.SessionId, replicaId) < 0, "the lower session id offers (§7)");
        link.Connection.Should().BeOfType<WebRtcPeerConnection>().Which.State.Should().Be(RtcPeerConnectionState.Connected);

        // respond and echo round trips.
        await session.RespondAsync("hello there", Ct);
        await log.WaitForAsync<UtteranceEvent>(u => u.Role == ParticipantRole.User && u.Speech == "hello there");
        await log.WaitForAsync<UtteranceEvent>(u => u.Speech == "Hello! Nice to meet you.");
        await session.EchoAsync("Echo this over the data channel.", cancellationToken: Ct);
        await log.WaitForAsync<UtteranceEvent>(u => u.Speech == "Echo this over the data channel.");

        // Nothing of the conversation crossed the signaling relay: only the §7 signaling did, addressed to one peer.
        var relayed = h.Emulator.GetRelayLog(id);
        relayed.Should().NotContain(m => m.Tag == "x-egassem");
        var offer = relayed.Should().ContainSingle(m => m.Tag == "sdp offer").Which;
        var answer = relayed.Should().ContainSingle(m => m.Tag == "sdp answer").Which;
        offer.To.Should().Be(offer.From == replicaId ? transport.SessionId : replicaId);
        answer.From.Should().Be(offer.To);
        using (var fields = JsonDocument.Parse(transport.SessionId == offer.From ? offer.Payload : answer.Payload))
        {
            // Our own message as the wire carries it: the description is JSON *text* of {type, sdp} (§7).
            var key = transport.SessionId == offer.From ? "offer" : "answer";
            var text = fields.RootElement.GetProperty(key);
            text.ValueKind.Should().Be(JsonValueKind.String);
            using var description = JsonDocument.Parse(text.GetString()!);
            description.RootElement.GetProperty("type").GetString().Should().Be(key);
            description.RootElement.GetProperty("sdp").GetString().Should().Contain("webrtc-datachannel");
            fields.RootElement.GetProperty("newRTCConnection").GetBoolean().Should().BeTrue();
        }

        // Leaving closes the peer connection on both sides.
        var replica = h.Emulator.ReplicaMessagingFor(id).Should().BeOfType<PeerReplicaMessaging>().Which;
        replica.LinkedClients().Should().Equal(transport.SessionId);
        var unlinked = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        replica.LinkClosed += (_, client) => unlinked.TrySetResult(client);
        await session.LeaveAsync(Ct);
        link.Connection.Should().BeOfType<WebRtcPeerConnection>().Which.State.Should().Be(RtcPeerConnectionState.Closed);
        transport.PeerLinks.Should().BeEmpty();
        (await unlinked.Task.WaitAsync(EmulatorHarness.Timeout, Ct)).Should().Be(transport.SessionId);
        replica.LinkedClients().Should().BeEmpty();
    }

    [Fact]
    public async Task Tool_call_round_trip_over_the_data_channel()
    {
        await using var h = await EmulatorHarness.StartAsync(PeerRooms());
        var conversation = await h.CreateConversationAsync();
        await using var session = await h.JoinAsync(conversation, h.SessionOptions(AllowPeerToPeer));
        var log = SessionEventLog.Start(session);
        using var tool = session.RegisterTool("get_weather", (args, call, ct) => ValueTask.FromResult<ToolResult>("sunny and 21 degrees"));
        await log.WaitForAsync<ReplicaJoinedEvent>();

        await session.RespondAsync("what is the weather like?", Ct);

        var call = await log.WaitForAsync<ToolCallEvent>();
        call.Name.Should().Be("get_weather");
        await log.WaitForAsync<UtteranceEvent>(u => u.Speech == "Here is the weather: sunny and 21 degrees");
        h.Emulator.GetRelayLog(conversation.ConversationId).Should().NotContain(m => m.Tag == "x-egassem");
    }

    [Fact]
    public async Task A_message_sent_before_the_channel_opens_waits_for_it_and_is_delivered()
    {
        await using var h = await EmulatorHarness.StartAsync(PeerRooms());
        var conversation = await h.CreateConversationAsync();
        await using var transport = new DailyTransport(conversation.ConversationUrl!.ToString(), h.DailyOptions(AllowPeerToPeer));
        await transport.JoinAsync(Ct).WaitAsync(EmulatorHarness.Timeout, Ct);
        var events = TransportEventLog.Start(transport);

        // The link is created with the replica's presence; its channel needs an offer/answer exchange through the
        // relay, ICE, DTLS and SCTP before it opens, so a message sent right away has to wait in the link's queue.
        var joined = await events.WaitForAsync<ParticipantJoined>(p => p.Participant.IsReplica);
        var respond = CviJson.EncodeInteraction(new RespondInteraction { ConversationId = conversation.ConversationId, Text = "hello early bird" });
        var send = transport.SendAsync(respond, joined.Participant.Id, Ct).AsTask();
        var link = transport.PeerLinks.Should().ContainSingle().Which;

        await send.WaitAsync(EmulatorHarness.Timeout, Ct);
        link.QueuedTotal.Should().BeGreaterThanOrEqualTo(1, "the channel was not open when the message was sent");
        await events.WaitForAsync<AppMessageReceived>(m => m.SenderId == joined.Participant.Id &&
            Encoding.UTF8.GetString(m.Payload.Span).Contains("\"speech\":\"hello early bird\"", StringComparison.Ordinal));
        await events.WaitForAsync<AppMessageReceived>(m => Encoding.UTF8.GetString(m.Payload.Span).Contains("Hello! Nice to meet you.", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Trickled_candidates_that_arrive_before_the_description_are_kept_until_it_is_set()
    {
        await using var h = await EmulatorHarness.StartAsync(PeerRooms());
        h.Emulator.Faults.ReplicaTricklesCandidates = true;
        h.Emulator.Faults.ReplicaCandidatesFirst = true;
        var conversation = await h.CreateConversationAsync();
        await using var session = await h.JoinAsync(conversation, h.SessionOptions(AllowPeerToPeer));
        var log = SessionEventLog.Start(session);

        await log.WaitForAsync<ReplicaJoinedEvent>();
        await session.RespondAsync("hello", Ct);
        await log.WaitForAsync<UtteranceEvent>(u => u.Speech == "Hello! Nice to meet you.");

        // The replica's description carried no candidate: they all came as "ice candidate" messages, then the end.
        var relayed = h.Emulator.GetRelayLog(conversation.ConversationId);
        var replicaId = h.Emulator.GetReplicaSessionId(conversation.ConversationId)!;
        var fromReplica = relayed.Where(m => m.From == replicaId).ToList();
        fromReplica.Select(m => m.Tag).Should().StartWith("ice candidate");
        fromReplica.Where(m => m.Tag is "sdp offer" or "sdp answer").Should().ContainSingle().Which.Payload.Should().NotContain("a=candidate");
        fromReplica.Last(m => m.Tag == "ice candidate").Payload.Should().Be("{}", "an ice candidate without a candidate ends them (§7)");
    }

    [Fact]
    public async Task Ending_the_conversation_reports_the_shutdown_over_the_data_channel_before_the_room_goes()
    {
        await using var h = await EmulatorHarness.StartAsync(PeerRooms());
        var conversation = await h.CreateConversationAsync();
        await using var session = await h.JoinAsync(conversation, h.SessionOptions(AllowPeerToPeer));
        var log = SessionEventLog.Start(session);
        await log.WaitForAsync<ReplicaJoinedEvent>();

        await h.Tavus.EndConversationAsync(conversation.ConversationId, Ct);

        (await log.WaitForAsync<ShutdownEvent>()).Reason.Should().Be(ShutdownReason.EndConversationEndpointHit);
        (await session.Completion.WaitAsync(EmulatorHarness.Timeout, Ct)).Should().Be(CviSessionEndReason.Shutdown);
        ((DailyTransport)session.Transport).PeerLinks.Should().BeEmpty();
    }

    [Fact]
    public async Task Without_the_option_a_peer_to_peer_room_fails_the_join_as_unsupported()
    {
        await using var h = await EmulatorHarness.StartAsync(PeerRooms());
        var conversation = await h.CreateConversationAsync();

        var join = () => h.JoinAsync(conversation);

        (await join.Should().ThrowAsync<CviConnectionException>()).Which.Failure.Should().Be(CviConnectionFailure.Unsupported);
    }
}
