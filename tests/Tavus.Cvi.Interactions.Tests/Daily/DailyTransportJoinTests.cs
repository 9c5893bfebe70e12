using System.Text;
using System.Text.Json.Nodes;
using Tavus.Cvi.Interactions.Daily;
using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.Interactions.Tests.Daily;

public class DailyTransportJoinTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Join_sends_lookup_then_join_for_sig_presence_and_join_as_new_peer()
    {
        await using var h = await DailyHarness.StartAsync();
        var replica = DailyHarness.Presence("replica-session", "Anna%20M%C3%BCller", "tavus-replica-r1a2b3");

        var (_, frames) = await h.JoinAsync([replica]);

        // Room lookup (§3): form body with the session id, the token and an honest aboutClient.
        var lookup = h.Server.Lookups.Should().ContainSingle().Which;
        lookup.Domain.Should().Be("tavus");
        lookup.Room.Should().Be("room1");
        lookup.ContentType.Should().StartWith("application/x-www-form-urlencoded");
        lookup.Form["sessionId"].Should().Be(h.Transport.SessionId);
        lookup.Form["joinToken"].Should().Be(DailyHarness.MeetingToken);
        var about = JsonNode.Parse(lookup.Form["aboutClient"])!;
        ((string?)about["library"]).Should().Be("tavus-cvi-dotnet");
        ((string?)about["version"]).Should().Be(DailyClientInfo.Default.Version).And.NotBeNullOrEmpty();

        // join-for-sig (§4.3).
        var join = frames.JoinForSig;
        ((string?)join["mtgStr"]).Should().Be("tavus/room1");
        ((string?)join["from"]).Should().Be(h.Transport.SessionId);
        var data = join["msgData"]!;
        ((bool?)data["sfuRequired"]).Should().BeTrue();
        ((string?)data["sigAuthz"]).Should().Be(FakeDailyServer.InitialSigAuthz);
        Guid.TryParse((string?)data["mtgSession"]!["id"], out _).Should().BeTrue();
        ((string?)data["aboutClient"]!["library"]).Should().Be("tavus-cvi-dotnet");
        data["topology"].Should().BeNull("topology is only sent on a reconnect");
        ((string?)data["presence"]!["id"]).Should().Be(h.Transport.SessionId);
        ((string?)data["presence"]!["name"]).Should().Be("Ada%20Lovelace");
        ((string?)data["presence"]!["callState"]).Should().Be("passive");

        // One full presence after sig-ack (§4.6): encodeURI'd name, the token's user id, joinedAt on the server clock.
        var presence = frames.Presence["msgData"]!.AsObject();
        ((string?)presence["id"]).Should().Be(h.Transport.SessionId);
        ((string?)presence["name"]).Should().Be("Ada%20Lovelace");
        ((string?)presence["user_id"]).Should().Be("user-42");
        ((long)presence["joinedAt"]!).Should().BeCloseTo(1_767_225_001_456, 60_000);
        presence.ContainsKey("callState").Should().BeFalse("the default accepting-calls state is omitted");

        // join-as-new-peer (§5) with the refreshed sigAuthz and a "<ms>.<seq>" request id.
        var soup = frames.JoinAsNewPeer["msgData"]!;
        ((string?)soup["sigAuthz"]).Should().Be(FakeDailyServer.RefreshedSigAuthz);
        ((string?)soup["_sendTs"]).Should().MatchRegex(@"^\d{13}\.\d+$");

        h.Transport.State.Should().Be(TransportState.Connected);
        h.Transport.MeetingSessionId.Should().Be("mtg-session-1");
        h.Transport.LocalParticipant.Should().Be(new RoomParticipant(h.Transport.SessionId, "Ada Lovelace", "user-42", true, false));
        h.Transport.RemoteParticipants.Should().Equal(new RoomParticipant("replica-session", "Anna Müller", "tavus-replica-r1a2b3", false, true));

        (await h.NextEventAsync()).Should().Be(new TransportStateChanged(TransportState.Connecting));
        (await h.NextEventAsync()).Should().Be(new ParticipantJoined(new RoomParticipant("replica-session", "Anna Müller", "tavus-replica-r1a2b3", false, true)));
        (await h.NextEventAsync()).Should().Be(new TransportStateChanged(TransportState.Connected));
    }

    [Fact]
    public async Task Join_completes_only_after_the_sfu_join_reply()
    {
        await using var h = await DailyHarness.StartAsync();
        var join = h.Transport.JoinAsync(Ct);
        var socket = await h.Server.AcceptAsync();
        await socket.ReceiveUntilAsync("join-for-sig");
        await socket.SendAsync("""{"msgStr":"sig-ack","topology":"sfu","presences":[]}""");
        var peer = await socket.ReceiveUntilAsync("join-as-new-peer");

        join.IsCompleted.Should().BeFalse();
        // A reply to another request id does not count.
        await socket.SendAsync("""{"tag":"soup","msgData":{"_kTs":"1.999"}}""");
        await socket.SendAsync(new JsonObject { ["tag"] = "soup", ["msgData"] = new JsonObject { ["_kTs"] = (string?)peer["msgData"]!["_sendTs"] } });

        await join.WaitAsync(TestTimeouts.Io, Ct);
        h.Transport.State.Should().Be(TransportState.Connected);
        // Without a sigAuthz in sig-ack the lookup's stays in use.
        ((string?)peer["msgData"]!["sigAuthz"]).Should().Be(FakeDailyServer.InitialSigAuthz);
    }

    [Fact]
    public async Task A_failed_sfu_join_fails_the_join_and_closes()
    {
        await using var h = await DailyHarness.StartAsync();
        var join = h.Transport.JoinAsync(Ct);
        var socket = await h.Server.AcceptAsync();
        await socket.ReceiveUntilAsync("join-for-sig");
        await socket.SendAsync("""{"msgStr":"sig-ack","topology":"sfu","presences":[]}""");
        var peer = await socket.ReceiveUntilAsync("join-as-new-peer");
        await socket.SendAsync(new JsonObject
        {
            ["tag"] = "soup",
            ["msgData"] = new JsonObject { ["_kTs"] = (string?)peer["msgData"]!["_sendTs"], ["error"] = new JsonObject { ["message"] = "no router" } },
        });

        var thrown = await join.Invoking(t => t.WaitAsync(TestTimeouts.Io)).Should().ThrowAsync<CviConnectionException>();
        thrown.Which.Message.Should().Contain("SFU");
        h.Transport.State.Should().Be(TransportState.Closed);
        var closed = await h.WaitForStateAsync(TransportState.Closed);
        closed.CloseReason.Should().Be(TransportCloseReason.Error);
        (await h.EventsCompletedAsync()).Should().BeTrue();
    }

    [Fact]
    public async Task A_peer_to_peer_room_is_reported_as_unsupported()
    {
        await using var h = await DailyHarness.StartAsync();
        var join = h.Transport.JoinAsync(Ct);
        var socket = await h.Server.AcceptAsync();
        await socket.ReceiveUntilAsync("join-for-sig");
        await socket.SendAsync("""{"msgStr":"sig-ack","topology":"peer","presences":[]}""");

        var thrown = await join.Invoking(t => t.WaitAsync(TestTimeouts.Io)).Should().ThrowAsync<CviConnectionException>();
        thrown.Which.Failure.Should().Be(CviConnectionFailure.Unsupported);
        thrown.Which.Message.Should().Contain("peer-to-peer");
        h.Transport.State.Should().Be(TransportState.Closed);
        h.Server.Lookups.Should().HaveCount(1, "an unsupported topology is not retried");
    }

    [Fact]
    public async Task A_later_switch_to_peer_topology_ends_the_transport()
    {
        await using var h = await DailyHarness.StartAsync();
        var (socket, _) = await h.JoinAsync();

        await socket.SendAsync("""{"msgStr":"sig-ack","topology":"peer"}""");

        var closed = await h.WaitForStateAsync(TransportState.Closed);
        closed.CloseReason.Should().Be(TransportCloseReason.Error);
        closed.Exception.Should().BeOfType<CviConnectionException>().Which.Failure.Should().Be(CviConnectionFailure.Unsupported);
    }

    [Fact]
    public async Task Display_name_falls_back_to_the_token_user_name()
    {
        await using var h = await DailyHarness.StartAsync(o => o.DisplayName = null);
        var (_, frames) = await h.JoinAsync();

        ((string?)frames.Presence["msgData"]!["name"]).Should().Be("Token%20User");
        h.Transport.LocalParticipant!.UserName.Should().Be("Token User");
    }

    [Fact]
    public async Task Client_info_can_be_overridden()
    {
        await using var h = await DailyHarness.StartAsync(o => o.ClientInfo = new DailyClientInfo("my-app", "9.9"));
        var (_, frames) = await h.JoinAsync();

        JsonNode.Parse(h.Server.Lookups.Single().Form["aboutClient"])!.ToJsonString().Should().Be("""{"library":"my-app","version":"9.9"}""");
        frames.JoinForSig["msgData"]!["aboutClient"]!.ToJsonString().Should().Be("""{"library":"my-app","version":"9.9"}""");
    }

    [Fact]
    public async Task Join_twice_or_send_before_join_is_a_usage_error()
    {
        await using var h = await DailyHarness.StartAsync();
        var send = () => h.Transport.SendAsync(Encoding.UTF8.GetBytes("{}"), cancellationToken: Ct).AsTask();
        await send.Should().ThrowAsync<InvalidOperationException>();

        await h.JoinAsync();
        await h.Transport.Invoking(t => t.JoinAsync(Ct)).Should().ThrowAsync<InvalidOperationException>();
    }

    [Fact]
    public async Task Leave_sends_close_connection_and_disconnect_then_closes()
    {
        await using var h = await DailyHarness.StartAsync();
        var (socket, _) = await h.JoinAsync();

        await h.Transport.LeaveAsync(Ct);

        var close = await socket.ReceiveUntilAsync("close-connection");
        ((string?)close["msgData"]!["_sendTs"]).Should().NotBeNullOrEmpty();
        var disconnect = await socket.ReceiveAsync();
        disconnect!.ToJsonString().Should().Be("""{"msgStr":"sig-presence","msgData":"sig-disconnect"}""");
        (await socket.ReceiveAsync()).Should().BeNull("the socket is closed after the frames");
        h.Transport.State.Should().Be(TransportState.Closed);
        (await h.WaitForStateAsync(TransportState.Closed)).CloseReason.Should().Be(TransportCloseReason.Left);
        (await h.EventsCompletedAsync()).Should().BeTrue();

        await h.Transport.LeaveAsync(Ct); // idempotent
        var send = () => h.Transport.SendAsync(Encoding.UTF8.GetBytes("{}"), cancellationToken: Ct).AsTask();
        (await send.Should().ThrowAsync<CviConnectionException>()).Which.Failure.Should().Be(CviConnectionFailure.Closed);
    }

    [Fact]
    public async Task Cancelling_the_join_closes_the_transport()
    {
        await using var h = await DailyHarness.StartAsync();
        using var cts = new CancellationTokenSource();
        var join = h.Transport.JoinAsync(cts.Token);
        var socket = await h.Server.AcceptAsync();
        await socket.ReceiveUntilAsync("join-for-sig");

        await cts.CancelAsync();

        await join.Invoking(t => t.WaitAsync(TestTimeouts.Io)).Should().ThrowAsync<OperationCanceledException>();
        h.Transport.State.Should().Be(TransportState.Closed);
    }
}
