using System.Net;
using System.Net.WebSockets;
using Tavus.Cvi.Emulator.Tests.Infrastructure;
using Tavus.Cvi.Interactions.Protocol;

namespace Tavus.Cvi.Emulator.Tests;

/// <summary>Daily room lookup and signaling (daily-protocol.md §3–§6, checklist §8), with raw HTTP and WebSockets.</summary>
public sealed class SignalingTests
{
    [Fact]
    public async Task Lookup_of_an_unknown_room_or_domain_is_404_and_a_known_room_returns_every_field_daily_js_reads()
    {
        await using var h = await EmulatorHarness.StartAsync();
        string id = await h.CreateConversationIdAsync();
        (await h.LookupAsync("cdoesnotexist", "s1")).Status.Should().Be(HttpStatusCode.NotFound);
        (await h.LookupAsync(id, "s1", domain: "other")).Status.Should().Be(HttpStatusCode.NotFound);

        (HttpStatusCode status, JsonObject? body) = await h.LookupAsync(id, "s1");
        status.Should().Be(HttpStatusCode.OK);
        body!["roomName"]!.GetValue<string>().Should().Be(id);
        body["roomId"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        body["privacy"]!.GetValue<string>().Should().Be("public");
        body["needToRequest"]!.GetValue<bool>().Should().BeFalse();
        body["sigAuthz"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        body["worker"]!["workerId"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        var wss = new Uri(body["worker"]!["wssUri"]!.GetValue<string>());
        wss.Scheme.Should().Be("ws");
        wss.Host.Should().Be("127.0.0.1");
        wss.Port.Should().Be(h.Emulator.BaseUri.Port);
        wss.AbsolutePath.Should().EndWith(".wss");
        body["permissions"]!["hasPresence"]!.GetValue<bool>().Should().BeTrue();
        body["joinProps"].Should().NotBeNull();
        body["iceConfig"]!["iceServers"].Should().NotBeNull();
    }

    [Fact]
    public async Task Lookup_requires_a_form_body_with_a_session_id()
    {
        await using var h = await EmulatorHarness.StartAsync();
        string id = await h.CreateConversationIdAsync();
        using var http = new HttpClient { BaseAddress = h.Emulator.BaseUri };
        (await http.PostAsync($"rooms/check/tavus/{id}", new StringContent("{}"))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await http.PostAsync($"rooms/check/tavus/{id}", new FormUrlEncodedContent([]))).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task A_malformed_token_is_ignored_with_joinProps_error_in_a_public_room()
    {
        await using var h = await EmulatorHarness.StartAsync();
        string id = await h.CreateConversationIdAsync();
        (_, JsonObject? body) = await h.LookupAsync(id, "s1", "not-a-jwt");
        body!["joinProps"]!["error"]!.GetValue<string>().Should().Contain("malformed");
        body["sigAuthz"]!.GetValue<string>().Should().NotBeNullOrEmpty("a public room admits anyway");
    }

    [Fact]
    public async Task Join_answers_sig_ack_with_topology_permissions_session_and_the_replica_presence()
    {
        await using var h = await EmulatorHarness.StartAsync();
        string id = await h.CreateConversationIdAsync();
        await using RawSignalingClient first = await h.JoinAsync(id, "Ann");

        JsonElement ack = first.SigAck;
        ack.GetProperty("topology").GetString().Should().Be("sfu");
        ack.GetProperty("sigAuthz").GetString().Should().NotBeNullOrEmpty();
        ack.GetProperty("permissions").GetProperty("canSend").GetBoolean().Should().BeTrue();
        ack.GetProperty("mtgSession").GetProperty("id").GetString().Should().NotBeNullOrEmpty();
        ack.GetProperty("clientSupportState").GetString().Should().Be("supported");
        ack.GetProperty("serverTS").GetInt64().Should().BeGreaterThan(0);
        first.Received[0].MsgStr.Should().Be("sig-ack", "sig-ack is the joiner's first frame");

        // The replica joined after the first participant: its presence came as sig-presence, then replica_joined.
        RawFrame replicaPresence = first.Received.First(f => f.MsgStr == "sig-presence");
        string replicaId = h.Emulator.GetReplicaSessionId(id)!;
        replicaPresence.Root.GetProperty("from").GetString().Should().Be(replicaId);
        JsonElement rp = replicaPresence.MsgData;
        rp.GetProperty("user_id").GetString().Should().Contain("tavus-replica");
        rp.GetProperty("name").GetString().Should().Be("Emu");
        rp.GetProperty("joinedAt").GetInt64().Should().BeGreaterThan(0);
        rp.GetProperty("permissions").GetProperty("hasPresence").GetBoolean().Should().BeTrue();

        // A second joiner sees both in sig-ack presences, each with id, permissions and joinedAt, and the same mtgSession.
        await using RawSignalingClient second = await h.JoinAsync(id, "Bob Smith");
        JsonElement[] presences = second.SigAck.GetProperty("presences").EnumerateArray().ToArray();
        presences.Select(p => p.GetProperty("id").GetString()).Should().BeEquivalentTo([first.SessionId, replicaId]);
        presences.Should().OnlyContain(p => p.GetProperty("permissions").ValueKind == JsonValueKind.Object && p.GetProperty("joinedAt").GetInt64() > 0);
        second.SigAck.GetProperty("mtgSession").GetProperty("id").GetString().Should().Be(ack.GetProperty("mtgSession").GetProperty("id").GetString());
        second.SigAck.GetProperty("activeCount").GetInt32().Should().Be(3);

        // The first sees the second's presence, completed by the server with permissions and owner.
        RawFrame joined = await first.WaitForAsync(f => f.MsgStr == "sig-presence" && f.Root.GetProperty("from").GetString() == second.SessionId);
        joined.MsgData.GetProperty("name").GetString().Should().Be("Bob%20Smith");
        joined.MsgData.GetProperty("permissions").ValueKind.Should().Be(JsonValueKind.Object);
        joined.MsgData.GetProperty("owner").GetBoolean().Should().BeFalse();
        h.Emulator.GetParticipants(id).Select(p => p.UserName).Should().BeEquivalentTo(["Ann", "Bob Smith", "Emu"]);
    }

    [Fact]
    public async Task The_first_joiners_meeting_session_proposal_becomes_the_rooms()
    {
        await using var h = await EmulatorHarness.StartAsync();
        string id = await h.CreateConversationIdAsync();
        (_, JsonObject? lookup) = await h.LookupAsync(id, "sess-1");
        await using RawSignalingClient c = await h.ConnectRawAsync(new Uri(lookup!["worker"]!["wssUri"]!.GetValue<string>()), "sess-1");
        await c.SendJoinAsync("tavus/" + id, lookup["sigAuthz"]!.GetValue<string>(), mtgSessionId: "my-meeting-session");
        RawFrame ack = await c.WaitForAsync(f => f.MsgStr == "sig-ack");
        ack.Root.GetProperty("mtgSession").GetProperty("id").GetString().Should().Be("my-meeting-session");
    }

    [Theory]
    [InlineData("bad-sigauthz")]
    [InlineData("other-session")]
    [InlineData("wrong-room")]
    [InlineData("not-join")]
    [InlineData("not-json")]
    public async Task A_bad_first_frame_is_refused_with_a_policy_violation_close(string variant)
    {
        await using var h = await EmulatorHarness.StartAsync();
        string id = await h.CreateConversationIdAsync();
        string other = await h.CreateConversationIdAsync();
        (_, JsonObject? lookup) = await h.LookupAsync(id, "sess-1");
        string sigAuthz = lookup!["sigAuthz"]!.GetValue<string>();
        await using RawSignalingClient c = await h.ConnectRawAsync(new Uri(lookup["worker"]!["wssUri"]!.GetValue<string>()), variant == "other-session" ? "sess-2" : "sess-1");
        switch (variant)
        {
            case "bad-sigauthz": await c.SendJoinAsync("tavus/" + id, sigAuthz[..^3] + "xyz"); break;
            case "other-session": await c.SendJoinAsync("tavus/" + id, sigAuthz); break;
            case "wrong-room": await c.SendJoinAsync("tavus/" + other, sigAuthz); break;
            case "not-join": await c.SendAsync(new JsonObject { ["msgStr"] = "sig-ack", ["msgData"] = new JsonObject { ["lTs"] = 1 } }); break;
            case "not-json": await c.SendAsync("{oops"); break;
        }

        await c.WaitForCloseAsync();
        c.CloseStatus.Should().Be(WebSocketCloseStatus.PolicyViolation);
        c.Received.Should().BeEmpty();
    }

    [Fact]
    public async Task A_binary_frame_closes_the_socket()
    {
        await using var h = await EmulatorHarness.StartAsync();
        string id = await h.CreateConversationIdAsync();
        await using RawSignalingClient c = await h.JoinAsync(id);
        await c.SendAsync("{}", WebSocketMessageType.Binary);
        await c.WaitForCloseAsync();
        c.CloseStatus.Should().Be(WebSocketCloseStatus.InvalidMessageType);
    }

    [Fact]
    public async Task Heartbeats_are_answered_with_sig_ack_echoing_lTs()
    {
        await using var h = await EmulatorHarness.StartAsync();
        string id = await h.CreateConversationIdAsync();
        await using RawSignalingClient c = await h.JoinAsync(id);
        await c.SendAsync(new JsonObject { ["msgStr"] = "sig-ack", ["msgData"] = new JsonObject { ["lTs"] = 1767225000123L } });
        RawFrame reply = await c.WaitForAsync(f => f.MsgStr == "sig-ack");
        reply.Root.GetProperty("lTs").GetInt64().Should().Be(1767225000123L);
        reply.Root.GetProperty("serverTS").GetInt64().Should().BeGreaterThan(0);
    }

    [Fact]
    public async Task App_messages_reach_everyone_but_the_sender_with_the_documented_envelope()
    {
        await using var h = await EmulatorHarness.StartAsync();
        string id = await h.CreateConversationIdAsync();
        await using RawSignalingClient a = await h.JoinAsync(id, "A");
        await using RawSignalingClient b = await h.JoinAsync(id, "B");
        await using RawSignalingClient c = await h.JoinAsync(id, "C");

        await a.SendAppMessageAsync(new JsonObject { ["hello"] = "all", ["n"] = 1 });
        foreach (RawSignalingClient r in new[] { b, c })
        {
            RawFrame m = await r.WaitForAsync(f => f.MsgStr == "sig-msg" && f.Tag == "x-egassem" && f.Root.GetProperty("from").GetString() == a.SessionId);
            m.Root.GetProperty("to").GetString().Should().Be("*");
            m.MsgData.GetProperty("hello").GetString().Should().Be("all");
            m.Root.GetProperty("serverTS").GetInt64().Should().BeGreaterThan(0);
        }

        // Directed: only the addressee gets it; then a marker broadcast proves nobody else got the directed one.
        await a.SendAppMessageAsync(new JsonObject { ["to"] = "b-only" }, b.SessionId);
        RawFrame directed = await b.WaitForAsync(f => f.MsgStr == "sig-msg" && f.Root.GetProperty("from").GetString() == a.SessionId);
        directed.MsgData.GetProperty("to").GetString().Should().Be("b-only");
        directed.Root.GetProperty("to").GetString().Should().Be(b.SessionId);

        await a.SendAppMessageAsync(new JsonObject { ["to"] = "list" }, new JsonArray(c.SessionId, "unknown-id", a.SessionId));
        await b.SendAppMessageAsync(new JsonObject { ["marker"] = true });
        List<RawFrame> atC = await c.CollectUntilAsync(f => f.MsgStr == "sig-msg" && f.Root.GetProperty("from").GetString() == b.SessionId);
        atC.Where(f => f.MsgStr == "sig-msg").Select(f => f.MsgData.TryGetProperty("to", out var t) ? t.GetString() : "marker")
            .Should().Equal("list", "marker");
        List<RawFrame> atA = await a.CollectUntilAsync(f => f.MsgStr == "sig-msg" && f.Root.GetProperty("from").GetString() == b.SessionId);
        atA.Where(f => f.MsgStr == "sig-msg" && f.Root.GetProperty("from").GetString() == a.SessionId).Should().BeEmpty("never echoed to the sender");

        h.Emulator.GetRelayLog(id).Where(m => m.From == a.SessionId).Select(m => m.RecipientCount).Should().Equal(3, 1, 1);
    }

    [Fact]
    public async Task An_array_containing_star_is_a_broadcast_and_non_app_tags_are_relayed_too()
    {
        await using var h = await EmulatorHarness.StartAsync();
        string id = await h.CreateConversationIdAsync();
        await using RawSignalingClient a = await h.JoinAsync(id, "A");
        await using RawSignalingClient b = await h.JoinAsync(id, "B");
        await a.SendAppMessageAsync(new JsonObject { ["x"] = 1 }, new JsonArray("*", "nobody"));
        (await b.WaitForAsync(f => f.MsgStr == "sig-msg")).Root.GetProperty("to").GetString().Should().Be("*");

        await a.SendAsync(new JsonObject
        {
            ["msgStr"] = "sig-msg",
            ["msgData"] = new JsonObject { ["tag"] = "sdp offer", ["fields"] = new JsonObject { ["offer"] = "{\"type\":\"offer\"}" }, ["envelopeTo"] = b.SessionId },
        });
        RawFrame offer = await b.WaitForAsync(f => f.MsgStr == "sig-msg" && f.Tag == "sdp offer");
        offer.MsgData.GetProperty("offer").GetString().Should().Contain("offer");
    }

    [Fact]
    public async Task App_messages_over_the_size_limit_are_dropped_and_the_sender_is_told()
    {
        await using var h = await EmulatorHarness.StartAsync(new CviEmulatorOptions { MaxAppMessageSize = 100 });
        string id = await h.CreateConversationIdAsync();
        await using RawSignalingClient a = await h.JoinAsync(id, "A");
        await using RawSignalingClient b = await h.JoinAsync(id, "B");

        // {"t":"…"} is 8 units of envelope; non-ASCII counts one UTF-16 unit per char, like JSON.stringify(data).length.
        string exactly = new string('é', 92);
        await a.SendAppMessageAsync(new JsonObject { ["t"] = exactly });
        (await b.WaitForAsync(f => f.MsgStr == "sig-msg")).MsgData.GetProperty("t").GetString().Should().Be(exactly);

        await a.SendAppMessageAsync(new JsonObject { ["t"] = exactly + "x" });
        RawFrame rejected = await a.WaitForAsync(f => f.MsgStr == "sig-msg-rejected");
        rejected.MsgData.GetProperty("reason").GetString().Should().Be("app-message-too-large");
        rejected.MsgData.GetProperty("size").GetInt32().Should().Be(101);
        rejected.MsgData.GetProperty("limit").GetInt32().Should().Be(100);
        rejected.MsgData.GetProperty("_sendTs").GetString().Should().NotBeNullOrEmpty();

        await a.SendAppMessageAsync(new JsonObject { ["t"] = "after" });
        (await b.WaitForAsync(f => f.MsgStr == "sig-msg")).MsgData.GetProperty("t").GetString().Should().Be("after", "the oversized one never arrived");
    }

    [Fact]
    public async Task Presence_updates_replace_and_relay_and_leaving_is_relayed_as_null()
    {
        await using var h = await EmulatorHarness.StartAsync();
        string id = await h.CreateConversationIdAsync();
        await using RawSignalingClient a = await h.JoinAsync(id, "A");
        await using RawSignalingClient b = await h.JoinAsync(id, "B");

        await b.SendAsync(new JsonObject { ["msgStr"] = "sig-presence", ["msgData"] = new JsonObject { ["id"] = b.SessionId, ["name"] = "B%202", ["joinedAt"] = 123 } });
        RawFrame update = await a.WaitForAsync(f => f.MsgStr == "sig-presence" && f.Root.GetProperty("from").GetString() == b.SessionId && f.MsgData.GetProperty("name").GetString() == "B%202");
        update.MsgData.GetProperty("joinedAt").GetInt64().Should().Be(123);
        update.MsgData.GetProperty("permissions").ValueKind.Should().Be(JsonValueKind.Object);

        await b.SendAsync(new JsonObject { ["msgStr"] = "close-connection", ["msgData"] = new JsonObject { ["_sendTs"] = b.NextSendTs() } });
        await b.SendAsync(new JsonObject { ["msgStr"] = "sig-presence", ["msgData"] = "sig-disconnect" });
        RawFrame left = await a.WaitForAsync(f => f.MsgStr == "sig-presence" && f.Root.GetProperty("from").GetString() == b.SessionId);
        left.MsgData.ValueKind.Should().Be(JsonValueKind.Null);
        h.Emulator.GetParticipants(id).Select(p => p.SessionId).Should().NotContain(b.SessionId);

        await using RawSignalingClient c = await h.JoinAsync(id, "C");
        c.Abort();
        await a.WaitForAsync(f => f.MsgStr == "sig-presence" && f.Root.GetProperty("from").GetString() == c.SessionId && f.MsgData.ValueKind == JsonValueKind.Null);
        h.Emulator.GetParticipants(id).Select(p => p.SessionId).Should().NotContain(c.SessionId, "a dropped socket is a leave too");
    }

    [Fact]
    public async Task A_second_socket_with_the_same_session_id_replaces_the_first()
    {
        await using var h = await EmulatorHarness.StartAsync();
        string id = await h.CreateConversationIdAsync();
        await using RawSignalingClient watcher = await h.JoinAsync(id, "W");
        await using RawSignalingClient first = await h.JoinAsync(id, "A");
        await using RawSignalingClient second = await h.JoinAsync(id, "A", sessionId: first.SessionId);
        await first.WaitForCloseAsync();
        first.CloseStatus.Should().Be(WebSocketCloseStatus.NormalClosure);

        await watcher.SendAppMessageAsync(new JsonObject { ["after"] = "replace" });
        (await second.WaitForAsync(f => f.MsgStr == "sig-msg" && f.Root.GetProperty("from").GetString() == watcher.SessionId))
            .MsgData.GetProperty("after").GetString().Should().Be("replace");
        watcher.Received.Where(f => f.MsgStr == "sig-presence" && f.Root.GetProperty("from").GetString() == first.SessionId && f.MsgData.ValueKind == JsonValueKind.Null)
            .Should().BeEmpty("a replaced socket is not a leave");
    }

    [Fact]
    public async Task Soup_requests_get_top_level_soup_replies_keyed_by_sendTs()
    {
        await using var h = await EmulatorHarness.StartAsync(new CviEmulatorOptions { BatchSignalingFrames = true });
        string id = await h.CreateConversationIdAsync();
        await using RawSignalingClient c = await h.JoinAsync(id);
        int batchesBefore = c.Batches;

        string joinTs = c.NextSendTs();
        await c.SendAsync(new JsonObject { ["msgStr"] = "join-as-new-peer", ["msgData"] = new JsonObject { ["h264Profile"] = "42e01f", ["sigAuthz"] = c.SigAck.GetProperty("sigAuthz").GetString(), ["_sendTs"] = joinTs } });
        RawFrame reply = await c.WaitForAsync(f => f.Tag == "soup");
        reply.MsgData.GetProperty("_kTs").GetString().Should().Be(joinTs);
        reply.MsgData.GetProperty("routerRtpCapabilities").GetProperty("codecs").GetArrayLength().Should().BeGreaterThan(0);
        reply.MsgData.GetProperty("isRecordingTracks").GetBoolean().Should().BeFalse();
        reply.MsgData.TryGetProperty("error", out _).Should().BeFalse();
        c.Batches.Should().Be(batchesBefore, "soup replies are never batched");

        string transportTs = c.NextSendTs();
        await c.SendAsync(new JsonObject { ["msgStr"] = "close-consumer", ["msgData"] = new JsonObject { ["consumerId"] = "x", ["_sendTs"] = c.NextSendTs() } });
        await c.SendAsync(new JsonObject { ["msgStr"] = "create-transport", ["msgData"] = new JsonObject { ["direction"] = "recv", ["_sendTs"] = transportTs } });
        RawFrame error = await c.WaitForAsync(f => f.Tag == "soup");
        error.MsgData.GetProperty("_kTs").GetString().Should().Be(transportTs, "close-consumer got no reply");
        error.MsgData.GetProperty("error").GetProperty("message").GetString().Should().Contain("not emulated");

        string unknownTs = c.NextSendTs();
        await c.SendAsync(new JsonObject { ["msgStr"] = "frobnicate", ["msgData"] = new JsonObject { ["_sendTs"] = unknownTs } });
        (await c.WaitForAsync(f => f.Tag == "soup")).MsgData.GetProperty("error").GetProperty("message").GetString().Should().Contain("unknown command");
    }

    [Fact]
    public async Task Ignored_client_frames_do_not_disturb_the_connection()
    {
        await using var h = await EmulatorHarness.StartAsync();
        string id = await h.CreateConversationIdAsync();
        await using RawSignalingClient a = await h.JoinAsync(id, "A");
        await using RawSignalingClient b = await h.JoinAsync(id, "B");
        foreach (string type in new[] { "sig-logs", "sig-ks-row", "sig-set-session-data", "sig-update-permissions", "sig-set-topology", "sig-reset-session", "sig-bye", "something-new" })
        {
            await a.SendAsync(new JsonObject { ["msgStr"] = type, ["msgData"] = new JsonObject() });
        }

        await a.SendAppMessageAsync(new JsonObject { ["still"] = "alive" });
        (await b.WaitForAsync(f => f.MsgStr == "sig-msg" && f.Root.GetProperty("from").GetString() == a.SessionId)).MsgData.GetProperty("still").GetString().Should().Be("alive");
        a.Received.Should().NotContain(f => f.Tag == "soup");
    }

    [Fact]
    public async Task With_batching_on_presence_and_app_messages_arrive_inside_sig_batch_frames()
    {
        await using var h = await EmulatorHarness.StartAsync(new CviEmulatorOptions { BatchSignalingFrames = true });
        string id = await h.CreateConversationIdAsync();
        await using RawSignalingClient a = await h.JoinAsync(id, "A");
        await using RawSignalingClient b = await h.JoinAsync(id, "B");
        for (int i = 0; i < 20; i++)
        {
            await a.SendAppMessageAsync(new JsonObject { ["i"] = i });
        }

        List<RawFrame> got = await b.CollectUntilAsync(f => f.MsgStr == "sig-msg" && f.MsgData.TryGetProperty("i", out var i) && i.GetInt32() == 19);
        got.Where(f => f.MsgStr == "sig-msg" && f.MsgData.TryGetProperty("i", out _)).Select(f => f.MsgData.GetProperty("i").GetInt32()).Should().Equal(Enumerable.Range(0, 20));
        b.Batches.Should().BeGreaterThan(0);
        b.Received.Should().NotContain(f => f.MsgStr == "sig-batch", "the client unpacks them");
    }

    [Fact]
    public async Task Ending_the_conversation_sends_room_deleted_and_closes_every_socket()
    {
        await using var h = await EmulatorHarness.StartAsync();
        string id = await h.CreateConversationIdAsync();
        await using RawSignalingClient a = await h.JoinAsync(id, "A");
        h.Emulator.EndConversation(id, ShutdownReason.MaxCallDurationReached).Should().BeTrue();
        await a.WaitForAsync(f => f.MsgStr == "room-deleted");
        await a.WaitForCloseAsync();
        h.Emulator.EndConversation(id).Should().BeFalse("already ended");
    }

    [Fact]
    public async Task Server_injected_app_messages_and_transcriptions_reach_clients()
    {
        await using var h = await EmulatorHarness.StartAsync();
        string id = await h.CreateConversationIdAsync();
        await using RawSignalingClient a = await h.JoinAsync(id, "A");
        await using RawSignalingClient b = await h.JoinAsync(id, "B");

        h.Emulator.InjectAppMessage(id, "{\"from\":\"server\"}", recipientSessionId: b.SessionId).Should().Be(1);
        (await b.WaitForAsync(f => f.MsgStr == "sig-msg" && f.Root.GetProperty("from").GetString() == "server")).MsgData.GetProperty("from").GetString().Should().Be("server");

        h.Emulator.SendTranscription(id, a.SessionId, "hello there").Should().Be(3);
        RawFrame t = await a.WaitForAsync(f => f.MsgStr == "sig-msg" && f.Root.GetProperty("from").GetString() == "transcription");
        t.MsgData.GetProperty("session_id").GetString().Should().Be(a.SessionId);
        t.MsgData.GetProperty("text").GetString().Should().Be("hello there");
    }

    [Fact]
    public async Task Test_controls_send_eject_error_meeting_move_and_later_sig_acks()
    {
        await using var h = await EmulatorHarness.StartAsync();
        string id = await h.CreateConversationIdAsync();
        await using RawSignalingClient a = await h.JoinAsync(id, "A");
        await using RawSignalingClient b = await h.JoinAsync(id, "B");

        h.Emulator.SendSigAck(id, "peer", "nearing-eol", a.SessionId).Should().Be(1);
        RawFrame ack = await a.WaitForAsync(f => f.MsgStr == "sig-ack");
        ack.Root.GetProperty("topology").GetString().Should().Be("peer");
        ack.Root.GetProperty("clientSupportState").GetString().Should().Be("nearing-eol");

        h.Emulator.MoveMeeting(id, newStyle: true, a.SessionId);
        RawFrame move = await a.WaitForAsync(f => f.Json?.TryGetProperty("moveMeeting", out _) == true);
        new Uri(move.Root.GetProperty("moveMeeting").GetProperty("wssUri").GetString()!).Scheme.Should().Be("ws");
        h.Emulator.MoveMeeting(id, newStyle: false, a.SessionId);
        RawFrame oldMove = await a.WaitForAsync(f => f.Json?.TryGetProperty("msgData", out var d) == true && d.ValueKind == JsonValueKind.Object && d.TryGetProperty("moveMeeting", out _));
        oldMove.MsgData.GetProperty("lu").GetBoolean().Should().BeTrue();

        h.Emulator.PushSoup(id, "{\"tracks\":[]}", a.SessionId);
        RawFrame push = await a.WaitForAsync(f => f.Tag == "soup");
        push.MsgData.TryGetProperty("_kTs", out _).Should().BeFalse();
        push.MsgData.GetProperty("tracks").GetArrayLength().Should().Be(0);

        h.Emulator.SendErrorMeeting(id, "boom", a.SessionId);
        RawFrame error = await a.WaitForAsync(f => f.Tag == "error-meeting");
        error.MsgData.GetProperty("error").GetString().Should().Be("boom");

        h.Emulator.Eject(id, b.SessionId).Should().Be(1);
        await b.WaitForAsync(f => f.Tag == "eject-please");
        await b.WaitForCloseAsync();
        await a.WaitForAsync(f => f.MsgStr == "sig-presence" && f.Root.GetProperty("from").GetString() == b.SessionId && f.MsgData.ValueKind == JsonValueKind.Null);
    }
}
