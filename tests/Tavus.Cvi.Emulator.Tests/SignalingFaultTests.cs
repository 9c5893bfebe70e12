using System.Net;
using System.Net.WebSockets;
using Tavus.Cvi.Emulator.Faults;
using Tavus.Cvi.Emulator.Tests.Infrastructure;

namespace Tavus.Cvi.Emulator.Tests;

/// <summary>The lookup and signaling faults of <see cref="EmulatorFaults"/> and the socket controls.</summary>
public sealed class SignalingFaultTests
{
    [Theory]
    [InlineData(RoomLookupFault.NotFound, HttpStatusCode.NotFound, null)]
    [InlineData(RoomLookupFault.ServerError, HttpStatusCode.InternalServerError, "internal-error")]
    [InlineData(RoomLookupFault.NbfRoom, HttpStatusCode.OK, "nbf-room")]
    [InlineData(RoomLookupFault.ExpRoom, HttpStatusCode.OK, "exp-room")]
    public async Task Room_lookup_faults_answer_as_daily_does_for_the_given_count(RoomLookupFault fault, HttpStatusCode status, string? error)
    {
        await using var h = await EmulatorHarness.StartAsync();
        string id = await h.CreateConversationIdAsync();
        EmulatorFaults faults = h.Emulator.FaultsFor(id);
        faults.RoomLookup = fault;
        faults.RoomLookupFaultCount = 2;

        for (int i = 0; i < 2; i++)
        {
            (HttpStatusCode s, JsonObject? body) = await h.LookupAsync(id, "s1");
            s.Should().Be(status);
            if (error is not null)
            {
                body!["error"]!.GetValue<string>().Should().Be(error);
                body.ContainsKey("sigAuthz").Should().BeFalse();
            }
        }

        (HttpStatusCode ok, JsonObject? good) = await h.LookupAsync(id, "s1");
        ok.Should().Be(HttpStatusCode.OK);
        good!["sigAuthz"].Should().NotBeNull("the fault was used up");
    }

    [Fact]
    public async Task A_global_lookup_fault_hits_every_room_until_cleared()
    {
        await using var h = await EmulatorHarness.StartAsync();
        string a = await h.CreateConversationIdAsync();
        string b = await h.CreateConversationIdAsync();
        h.Emulator.Faults.RoomLookup = RoomLookupFault.ServerError;
        (await h.LookupAsync(a, "s")).Status.Should().Be(HttpStatusCode.InternalServerError);
        (await h.LookupAsync(b, "s")).Status.Should().Be(HttpStatusCode.InternalServerError);
        h.Emulator.Faults.RoomLookup = RoomLookupFault.None;
        (await h.LookupAsync(a, "s")).Status.Should().Be(HttpStatusCode.OK);
    }

    [Fact]
    public async Task A_slow_lookup_answers_only_after_the_delay_on_the_emulator_clock()
    {
        var time = new ObservableFakeTime();
        await using var h = await EmulatorHarness.StartAsync(new CviEmulatorOptions { TimeProvider = time });
        string id = await h.CreateConversationIdAsync();
        h.Emulator.FaultsFor(id).RoomLookup = RoomLookupFault.Slow;
        h.Emulator.FaultsFor(id).RoomLookupFaultCount = 1;

        int timers = time.TimersCreated;
        Task<(HttpStatusCode, JsonObject?)> lookup = h.LookupAsync(id, "s1");
        await WaitUntilAsync(() => time.TimersCreated > timers || lookup.IsCompleted);
        lookup.IsCompleted.Should().BeFalse();
        time.Advance(TimeSpan.FromSeconds(16));
        (HttpStatusCode status, JsonObject? body) = await lookup.WaitAsync(RawSignalingClient.DefaultTimeout);
        status.Should().Be(HttpStatusCode.OK);
        body!["sigAuthz"].Should().NotBeNull();
    }

    [Fact]
    public async Task Refusing_the_primary_worker_form_lets_the_alternate_wss_form_in()
    {
        await using var h = await EmulatorHarness.StartAsync();
        string id = await h.CreateConversationIdAsync();
        h.Emulator.FaultsFor(id).RefusePrimaryWorkerConnects = 1;
        (_, JsonObject? lookup) = await h.LookupAsync(id, "sess-1");
        var primary = new Uri(lookup!["worker"]!["wssUri"]!.GetValue<string>());

        Func<Task> refused = () => h.ConnectRawAsync(primary, "sess-1");
        await refused.Should().ThrowAsync<WebSocketException>();

        var alternate = new Uri(primary.ToString()[..^".wss".Length] + "-wss");
        await using RawSignalingClient c = await h.ConnectRawAsync(alternate, "sess-1");
        await c.SendJoinAsync("tavus/" + id, lookup["sigAuthz"]!.GetValue<string>());
        (await c.WaitForAsync(f => f.MsgStr == "sig-ack")).Root.GetProperty("topology").GetString().Should().Be("sfu");

        await using RawSignalingClient again = await h.ConnectRawAsync(primary, "sess-9"); // the count was used up
    }

    [Fact]
    public async Task Refusing_any_connect_needs_a_retry_and_a_fresh_lookup_then_works()
    {
        await using var h = await EmulatorHarness.StartAsync();
        string id = await h.CreateConversationIdAsync();
        h.Emulator.Faults.RefuseSignalingConnects = 2;
        (_, JsonObject? lookup) = await h.LookupAsync(id, "sess-1");
        var primary = new Uri(lookup!["worker"]!["wssUri"]!.GetValue<string>());
        var alternate = new Uri(primary.ToString()[..^".wss".Length] + "-wss");
        await FluentActions.Awaiting(() => h.ConnectRawAsync(primary)).Should().ThrowAsync<WebSocketException>();
        await FluentActions.Awaiting(() => h.ConnectRawAsync(alternate)).Should().ThrowAsync<WebSocketException>();
        await using RawSignalingClient c = await h.JoinAsync(id);
    }

    [Fact]
    public async Task Drop_after_n_frames_aborts_one_socket_once_and_is_used_up()
    {
        await using var h = await EmulatorHarness.StartAsync();
        string id = await h.CreateConversationIdAsync();
        await using RawSignalingClient a = await h.JoinAsync(id, "A");
        await using RawSignalingClient b = await h.JoinAsync(id, "B");
        await a.WaitForAsync(f => f.MsgStr == "sig-presence" && f.Root.GetProperty("from").GetString() == b.SessionId);

        h.Emulator.FaultsFor(id).DropSocketAfterFrames = 2;
        for (int i = 0; i < 5; i++)
        {
            await b.SendAppMessageAsync(new JsonObject { ["i"] = i }, a.SessionId);
        }

        await a.WaitForCloseAsync();
        a.Received.Where(f => f.MsgStr == "sig-msg" && f.Root.GetProperty("from").GetString() == b.SessionId)
            .Select(f => f.MsgData.GetProperty("i").GetInt32()).Should().Equal([0, 1], string.Join("\n", a.Received));
        a.CloseStatus.Should().BeNull("aborted, no close handshake");
        h.Emulator.FaultsFor(id).DropSocketAfterFrames.Should().Be(0);

        await using RawSignalingClient a2 = await h.JoinAsync(id, "A", sessionId: a.SessionId);
        await b.SendAppMessageAsync(new JsonObject { ["i"] = 99 }, a.SessionId);
        (await a2.WaitForAsync(f => f.MsgStr == "sig-msg")).MsgData.GetProperty("i").GetInt32().Should().Be(99);
    }

    [Fact]
    public async Task Drop_connections_after_a_delay_fires_on_the_emulator_clock()
    {
        var time = new ObservableFakeTime();
        await using var h = await EmulatorHarness.StartAsync(new CviEmulatorOptions { TimeProvider = time });
        string id = await h.CreateConversationIdAsync();
        await using RawSignalingClient a = await h.JoinAsync(id, "A", waitForReplica: false);
        h.Emulator.DropConnections(id, a.SessionId, TimeSpan.FromSeconds(30)).Should().Be(1);
        a.State.Should().Be(WebSocketState.Open);
        time.Advance(TimeSpan.FromSeconds(30));
        await a.WaitForCloseAsync();
    }

    [Fact]
    public async Task A_stalled_socket_gets_nothing_more_not_even_heartbeat_answers_and_a_rejoin_works()
    {
        await using var h = await EmulatorHarness.StartAsync();
        string id = await h.CreateConversationIdAsync();
        await using RawSignalingClient a = await h.JoinAsync(id, "A");
        await using RawSignalingClient b = await h.JoinAsync(id, "B");
        await a.WaitForAsync(f => f.MsgStr == "sig-presence" && f.Root.GetProperty("from").GetString() == b.SessionId);
        a.Drain();
        int before = a.Received.Count;

        h.Emulator.StallConnections(id, a.SessionId).Should().Be(1);
        await a.SendAsync(new JsonObject { ["msgStr"] = "sig-ack", ["msgData"] = new JsonObject { ["lTs"] = 1 } });
        await b.SendAppMessageAsync(new JsonObject { ["lost"] = true });
        await WaitUntilAsync(() => h.Emulator.GetRelayLog(id).Any(m => m.From == b.SessionId));

        await using RawSignalingClient a2 = await h.JoinAsync(id, "A", sessionId: a.SessionId);
        await b.SendAppMessageAsync(new JsonObject { ["after"] = true });
        await a2.WaitForAsync(f => f.MsgStr == "sig-msg" && f.MsgData.TryGetProperty("after", out _));
        a.Received.Skip(before).Should().NotContain(f => f.MsgStr == "sig-ack" || f.MsgStr == "sig-msg");
    }

    [Fact]
    public async Task Frame_delay_holds_frames_until_the_emulator_clock_passes_it()
    {
        var time = new ObservableFakeTime();
        await using var h = await EmulatorHarness.StartAsync(new CviEmulatorOptions { TimeProvider = time });
        string id = await h.CreateConversationIdAsync();
        await using RawSignalingClient a = await h.JoinAsync(id, "A", waitForReplica: false);
        await using RawSignalingClient b = await h.JoinAsync(id, "B", waitForReplica: false);
        await a.WaitForAsync(f => f.MsgStr == "sig-presence" && f.Root.GetProperty("from").GetString() == b.SessionId);

        h.Emulator.FaultsFor(id).FrameDelay = TimeSpan.FromSeconds(2);
        int timers = time.TimersCreated;
        await b.SendAppMessageAsync(new JsonObject { ["delayed"] = 1 });
        await WaitUntilAsync(() => h.Emulator.GetRelayLog(id).Any(m => m.From == b.SessionId));
        await WaitUntilAsync(() => time.TimersCreated > timers);
        a.Received.Should().NotContain(f => f.MsgStr == "sig-msg");
        time.Advance(TimeSpan.FromSeconds(2));
        (await a.WaitForAsync(f => f.MsgStr == "sig-msg")).MsgData.GetProperty("delayed").GetInt32().Should().Be(1);
    }

    [Fact]
    public async Task Soup_replies_can_be_dropped_or_delayed()
    {
        var time = new ObservableFakeTime();
        await using var h = await EmulatorHarness.StartAsync(new CviEmulatorOptions { TimeProvider = time });
        string id = await h.CreateConversationIdAsync();
        await using RawSignalingClient c = await h.JoinAsync(id, waitForReplica: false);
        EmulatorFaults faults = h.Emulator.FaultsFor(id);

        faults.DropSoupReplies = true;
        await c.SendAsync(new JsonObject { ["msgStr"] = "join-as-new-peer", ["msgData"] = new JsonObject { ["_sendTs"] = "1.1" } });
        await c.SendAsync(new JsonObject { ["msgStr"] = "sig-ack", ["msgData"] = new JsonObject { ["lTs"] = 7 } });
        await c.WaitForAsync(f => f.MsgStr == "sig-ack" && f.Root.TryGetProperty("lTs", out _)); // frames are handled in order
        faults.DropSoupReplies = false;
        faults.SoupReplyDelay = TimeSpan.FromSeconds(20);
        int timers = time.TimersCreated;
        await c.SendAsync(new JsonObject { ["msgStr"] = "join-as-new-peer", ["msgData"] = new JsonObject { ["_sendTs"] = "1.2" } });
        await WaitUntilAsync(() => time.TimersCreated > timers);
        time.Advance(TimeSpan.FromSeconds(20));
        RawFrame reply = await c.WaitForAsync(f => f.Tag == "soup");
        reply.MsgData.GetProperty("_kTs").GetString().Should().Be("1.2", "the first reply was dropped");
    }

    [Theory]
    [InlineData(MalformedFrameKind.InvalidJson)]
    [InlineData(MalformedFrameKind.BinaryFrame)]
    [InlineData(MalformedFrameKind.NotAnObject)]
    [InlineData(MalformedFrameKind.AppMessageNotAnObject)]
    [InlineData(MalformedFrameKind.AppMessageNotTavus)]
    [InlineData(MalformedFrameKind.UnknownTavusEvent)]
    [InlineData(MalformedFrameKind.WrongFieldTypes)]
    public async Task Malformed_frames_reach_the_client_and_the_connection_keeps_working(MalformedFrameKind kind)
    {
        await using var h = await EmulatorHarness.StartAsync();
        string id = await h.CreateConversationIdAsync();
        await using RawSignalingClient a = await h.JoinAsync(id, "A");
        await using RawSignalingClient b = await h.JoinAsync(id, "B");
        await a.WaitForAsync(f => f.MsgStr == "sig-presence" && f.Root.GetProperty("from").GetString() == b.SessionId);
        a.Drain();
        h.Emulator.SendMalformedFrame(id, kind, a.SessionId).Should().Be(1);
        RawFrame bad = await a.ReceiveAsync();
        switch (kind)
        {
            case MalformedFrameKind.InvalidJson: bad.Json.Should().BeNull(); break;
            case MalformedFrameKind.BinaryFrame: bad.Binary.Should().BeTrue(); break;
            case MalformedFrameKind.NotAnObject: bad.Root.ValueKind.Should().Be(JsonValueKind.Array); break;
            case MalformedFrameKind.AppMessageNotAnObject: bad.MsgData.ValueKind.Should().Be(JsonValueKind.String); break;
            case MalformedFrameKind.AppMessageNotTavus: bad.MsgData.TryGetProperty("event_type", out _).Should().BeFalse(); break;
            case MalformedFrameKind.UnknownTavusEvent: bad.EventType.Should().Be("conversation.emulator_unknown_event"); break;
            case MalformedFrameKind.WrongFieldTypes: bad.MsgData.GetProperty("seq").ValueKind.Should().Be(JsonValueKind.String); break;
        }

        await b.SendAppMessageAsync(new JsonObject { ["ok"] = true });
        await a.WaitForAsync(f => f.MsgStr == "sig-msg" && f.MsgData.ValueKind == JsonValueKind.Object && f.MsgData.TryGetProperty("ok", out _));
    }

    [Fact]
    public async Task An_oversized_inbound_app_message_has_the_requested_size()
    {
        await using var h = await EmulatorHarness.StartAsync();
        string id = await h.CreateConversationIdAsync();
        await using RawSignalingClient a = await h.JoinAsync(id, "A");
        a.Drain();
        h.Emulator.SendOversizedAppMessage(id, 10_000).Should().Be(1);
        RawFrame big = await a.ReceiveAsync();
        big.MsgData.GetRawText().Length.Should().Be(10_000);
        big.EventType.Should().Be("conversation.utterance");
    }

    [Fact]
    public async Task An_idle_socket_is_closed_when_the_idle_timeout_is_set()
    {
        var time = new ObservableFakeTime();
        await using var h = await EmulatorHarness.StartAsync(new CviEmulatorOptions { TimeProvider = time, SignalingIdleTimeout = TimeSpan.FromSeconds(10) });
        string id = await h.CreateConversationIdAsync();
        await using RawSignalingClient a = await h.JoinAsync(id, waitForReplica: false);
        time.Advance(TimeSpan.FromSeconds(5));
        await a.SendAsync(new JsonObject { ["msgStr"] = "sig-ack", ["msgData"] = new JsonObject { ["lTs"] = 5 } });
        await a.WaitForAsync(f => f.MsgStr == "sig-ack" && f.Root.TryGetProperty("lTs", out _));
        for (int i = 0; i < 12; i++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
        }

        await a.WaitForCloseAsync();
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var cts = new CancellationTokenSource(RawSignalingClient.DefaultTimeout);
        while (!condition())
        {
            await Task.Yield();
            await Task.Delay(5, cts.Token);
        }
    }
}
