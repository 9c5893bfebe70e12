using System.Text;
using System.Text.Json.Nodes;
using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.Interactions.Tests.Daily;

public class DailyTransportFaultTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ReadOnlyMemory<byte> Utf8(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public async Task Heartbeats_go_out_only_after_1900_ms_of_silence()
    {
        await using var h = await DailyHarness.StartAsync(fakeTime: true);
        var (socket, _) = await h.JoinAsync();
        await h.WaitForStateAsync(TransportState.Connected);
        var start = h.Time!.GetUtcNow().ToUnixTimeMilliseconds();

        // Something arrives at t=1.5 s, so the tick at t=2 s sees 0.5 s of silence and stays quiet.
        h.Time.Advance(TimeSpan.FromMilliseconds(1500));
        await socket.SendAsync(DailyHarness.AppMessage("p", new JsonObject()));
        await h.WaitForEventAsync<AppMessageReceived>();
        h.Time.Advance(TimeSpan.FromMilliseconds(500));
        // The tick at t=4 s sees 2.5 s of silence: heartbeat with lTs on the transport clock.
        h.Time.Advance(TimeSpan.FromSeconds(2));
        await h.Transport.SendAsync(Utf8("""{"marker":1}"""), cancellationToken: Ct);

        var heartbeat = (await socket.ReceiveAsync())!;
        heartbeat.ToJsonString().Should().Be($$$"""{"msgStr":"sig-ack","msgData":{"lTs":{{{start + 4000}}}}}""");
        ((string?)(await socket.ReceiveAsync())!["msgStr"]).Should().Be("sig-msg", "no heartbeat went out at t=2 s");
    }

    [Fact]
    public async Task A_stale_socket_is_replaced_with_the_same_session()
    {
        await using var h = await DailyHarness.StartAsync(fakeTime: true);
        var (socket, first) = await h.JoinAsync([DailyHarness.Presence("r", "R", "tavus-replica-1")]);
        await h.WaitForStateAsync(TransportState.Connected);

        // Heartbeats at 2, 4, ... s are never answered; at 12 s the silence exceeds 10 s (§4.5).
        for (var i = 0; i < 6; i++)
        {
            h.Time!.Advance(TimeSpan.FromSeconds(2));
        }

        (await h.WaitForStateAsync(TransportState.Reconnecting)).Message.Should().Contain("10 s");
        var next = await h.Server.AcceptAsync();
        var again = await next.AcceptJoinAsync([DailyHarness.Presence("r", "R", "tavus-replica-1")]);
        await h.WaitForStateAsync(TransportState.Connected);

        // §4.10: fresh lookup, same session id, the learned meeting session, topology and the full presence.
        h.Server.Lookups.Should().HaveCount(2);
        h.Server.Lookups.Select(l => l.Form["sessionId"]).Should().AllBe(h.Transport.SessionId);
        ((string?)again.JoinForSig["from"]).Should().Be(h.Transport.SessionId);
        var data = again.JoinForSig["msgData"]!;
        ((string?)data["mtgSession"]!["id"]).Should().Be("mtg-session-1");
        ((string?)data["topology"]).Should().Be("sfu");
        ((string?)data["presence"]!["callState"]).Should().BeNull();
        ((long?)data["presence"]!["joinedAt"]).Should().Be((long?)first.Presence["msgData"]!["joinedAt"]);
        h.Seen.OfType<ParticipantJoined>().Should().ContainSingle("the replica was present before and after the reconnect");
        var heartbeats = 0;
        while (await socket.ReceiveAsync() is { } late)
        {
            ((string?)late["msgStr"]).Should().Be("sig-ack", "only heartbeats went out on the stale socket");
            heartbeats++;
        }

        heartbeats.Should().BeInRange(1, 5, "then the stale socket was dropped");
    }

    [Fact]
    public async Task Sends_during_a_reconnect_are_queued_and_flushed_in_order_once()
    {
        await using var h = await DailyHarness.StartAsync();
        var (socket, _) = await h.JoinAsync();
        await h.WaitForStateAsync(TransportState.Connected);
        await h.Transport.SendAsync(Utf8("""{"n":0}"""), cancellationToken: Ct);
        ((int)(await socket.ReceiveAsync())!["msgData"]!["fields"]!["n"]!).Should().Be(0);

        socket.Abort();
        await h.WaitForStateAsync(TransportState.Reconnecting);
        var next = await h.Server.AcceptAsync();
        // The server holds the rejoin (no sig-ack yet) while the application keeps sending.
        await next.ReceiveUntilAsync("join-for-sig");
        var sends = Enumerable.Range(1, 20).Select(i => h.Transport.SendAsync(Utf8($$"""{"n":{{i}}}"""), cancellationToken: Ct).AsTask()).ToList();
        sends.Should().OnlyContain(t => !t.IsCompleted);

        await next.SendAsync("""{"msgStr":"sig-ack","topology":"sfu","presences":[]}""");
        var peer = await next.ReceiveUntilAsync("join-as-new-peer");
        await next.SendAsync(new JsonObject { ["tag"] = "soup", ["msgData"] = new JsonObject { ["_kTs"] = (string?)peer["msgData"]!["_sendTs"] } });
        await Task.WhenAll(sends).WaitAsync(TestTimeouts.Io, Ct);
        await h.WaitForStateAsync(TransportState.Connected);
        await h.Transport.SendAsync(Utf8("""{"n":21}"""), cancellationToken: Ct);

        var numbers = new List<int>();
        for (var i = 0; i < 21; i++)
        {
            var frame = await next.ReceiveUntilAsync("sig-msg");
            numbers.Add((int)frame["msgData"]!["fields"]!["n"]!);
        }

        numbers.Should().Equal(Enumerable.Range(1, 21), "queued messages go out in order, once, before newer ones");
    }

    [Fact]
    public async Task The_queue_is_bounded()
    {
        await using var h = await DailyHarness.StartAsync(o => o.MaxQueuedMessages = 2);
        var (socket, _) = await h.JoinAsync();
        await h.WaitForStateAsync(TransportState.Connected);
        socket.Abort();
        await h.WaitForStateAsync(TransportState.Reconnecting);
        var next = await h.Server.AcceptAsync();
        await next.ReceiveUntilAsync("join-for-sig");

        var first = h.Transport.SendAsync(Utf8("{}"), cancellationToken: Ct).AsTask();
        var second = h.Transport.SendAsync(Utf8("{}"), cancellationToken: Ct).AsTask();
        var third = () => h.Transport.SendAsync(Utf8("{}"), cancellationToken: Ct).AsTask();

        (await third.Should().ThrowAsync<CviConnectionException>()).Which.Message.Should().Contain("queued");
        first.IsCompleted.Should().BeFalse();
        second.IsCompleted.Should().BeFalse();
    }

    [Fact]
    public async Task Queued_sends_fail_when_the_reconnect_deadline_passes()
    {
        await using var h = await DailyHarness.StartAsync(o =>
        {
            o.ReconnectDeadline = TimeSpan.FromMilliseconds(400);
            o.ReconnectInitialDelay = TimeSpan.FromMilliseconds(20);
        });
        var (socket, _) = await h.JoinAsync();
        await h.WaitForStateAsync(TransportState.Connected);
        h.Server.LookupHandler = (_, _) => Task.FromResult(new LookupReply(503, "{}"));

        socket.Abort();
        await h.WaitForStateAsync(TransportState.Reconnecting);
        var queued = h.Transport.SendAsync(Utf8("{}"), cancellationToken: Ct).AsTask();

        var closed = await h.WaitForStateAsync(TransportState.Closed);
        closed.CloseReason.Should().Be(TransportCloseReason.ConnectionLost);
        var failure = (await queued.Invoking(t => t.WaitAsync(TestTimeouts.Io, Ct)).Should().ThrowAsync<CviConnectionException>()).Which;
        failure.Failure.Should().Be(CviConnectionFailure.ReconnectDeadlineExceeded);
        (await h.EventsCompletedAsync()).Should().BeTrue();
        h.Server.Lookups.Count.Should().BeGreaterThan(1, "it kept trying until the deadline");
    }

    [Fact]
    public async Task A_room_gone_during_a_reconnect_ends_as_room_deleted()
    {
        await using var h = await DailyHarness.StartAsync();
        var (socket, _) = await h.JoinAsync();
        await h.WaitForStateAsync(TransportState.Connected);
        h.Server.LookupHandler = (_, _) => Task.FromResult(new LookupReply(404, "{}"));

        socket.Abort();

        (await h.WaitForStateAsync(TransportState.Closed)).CloseReason.Should().Be(TransportCloseReason.RoomDeleted);
    }

    [Theory]
    [InlineData("""{"msgStr":"room-deleted"}""", TransportCloseReason.RoomDeleted, "deleted")]
    [InlineData("""{"msgStr":"sig-msg","tag":"eject-please","from":"owner","msgData":{}}""", TransportCloseReason.Ejected, "ejected")]
    [InlineData("""{"msgStr":"sig-msg","tag":"error-meeting","msgData":{"error":"Meeting has ended","type":"exp-room"}}""", TransportCloseReason.Error, "exp-room")]
    [InlineData("""{"msgStr":"sig-batch","msgs":[{"msgStr":"room-deleted"}]}""", TransportCloseReason.RoomDeleted, "deleted")]
    public async Task Room_endings_close_the_transport_with_a_reason(string frame, TransportCloseReason reason, string says)
    {
        await using var h = await DailyHarness.StartAsync();
        var (socket, _) = await h.JoinAsync();
        await h.WaitForStateAsync(TransportState.Connected);

        await socket.SendAsync(frame);

        var closed = await h.WaitForStateAsync(TransportState.Closed);
        closed.CloseReason.Should().Be(reason);
        closed.Message.Should().Contain(says);
        (await h.EventsCompletedAsync()).Should().BeTrue();
        var send = () => h.Transport.SendAsync(Utf8("{}"), cancellationToken: Ct).AsTask();
        (await send.Should().ThrowAsync<CviConnectionException>()).Which.Failure.Should().Be(CviConnectionFailure.Closed);
        h.Server.Lookups.Should().HaveCount(1, "an ended room is not rejoined");
    }

    [Fact]
    public async Task A_new_style_move_reconnects_to_the_new_worker_without_a_lookup()
    {
        await using var h = await DailyHarness.StartAsync();
        var (socket, _) = await h.JoinAsync();
        await h.WaitForStateAsync(TransportState.Connected);

        await socket.SendAsync(new JsonObject { ["moveMeeting"] = new JsonObject { ["workerId"] = "w2", ["wssUri"] = h.Server.WorkerUri("w2").ToString() } });

        // §4.8: close-connection and sig-bye on the old socket, then the new worker.
        ((string?)(await socket.ReceiveUntilAsync("close-connection"))["msgStr"]).Should().Be("close-connection");
        (await socket.ReceiveAsync())!.ToJsonString().Should().Be("""{"msgStr":"sig-bye","msgData":{}}""");
        var next = await h.Server.AcceptAsync();
        next.Worker.Should().Be("w2");
        var frames = await next.AcceptJoinAsync();
        await h.WaitForStateAsync(TransportState.Connected);
        h.Server.Lookups.Should().HaveCount(1);
        ((string?)frames.JoinForSig["msgData"]!["sigAuthz"]).Should().Be(FakeDailyServer.RefreshedSigAuthz);
    }

    [Fact]
    public async Task A_move_to_a_disallowed_host_is_not_followed()
    {
        await using var h = await DailyHarness.StartAsync();
        var (socket, _) = await h.JoinAsync();
        await h.WaitForStateAsync(TransportState.Connected);

        await socket.SendAsync("""{"moveMeeting":{"workerId":"evil","wssUri":"ws://evil.example/ws"}}""");

        var next = await h.Server.AcceptAsync();
        next.Worker.Should().Be("w1", "a fresh lookup decided the worker");
        h.Server.Lookups.Should().HaveCount(2);
    }

    [Fact]
    public async Task An_old_style_move_looks_the_room_up_again()
    {
        await using var h = await DailyHarness.StartAsync();
        var (socket, _) = await h.JoinAsync();
        await h.WaitForStateAsync(TransportState.Connected);
        h.Server.LookupHandler = (_, _) => Task.FromResult(new LookupReply(200, h.Server.SuccessBody("w3")));

        await socket.SendAsync("""{"msgStr":"sig-msg-x","msgData":{"moveMeeting":"abc","lu":true}}""");

        var next = await h.Server.AcceptAsync();
        next.Worker.Should().Be("w3");
        await next.AcceptJoinAsync();
        await h.WaitForStateAsync(TransportState.Connected);
        h.Server.Lookups.Should().HaveCount(2);
    }

    [Fact]
    public async Task Leaving_while_reconnecting_fails_queued_sends_as_closed()
    {
        await using var h = await DailyHarness.StartAsync();
        var (socket, _) = await h.JoinAsync();
        await h.WaitForStateAsync(TransportState.Connected);
        socket.Abort();
        await h.WaitForStateAsync(TransportState.Reconnecting);
        var next = await h.Server.AcceptAsync();
        await next.ReceiveUntilAsync("join-for-sig");
        var queued = h.Transport.SendAsync(Utf8("{}"), cancellationToken: Ct).AsTask();

        await h.Transport.LeaveAsync(Ct);

        (await queued.Invoking(t => t.WaitAsync(TestTimeouts.Io, Ct)).Should().ThrowAsync<CviConnectionException>())
            .Which.Failure.Should().Be(CviConnectionFailure.Closed);
        (await h.WaitForStateAsync(TransportState.Closed)).CloseReason.Should().Be(TransportCloseReason.Left);
    }
}
