using System.Text;
using System.Text.Json.Nodes;
using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.Interactions.Tests.Daily;

public class DailyTransportMessagingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ReadOnlyMemory<byte> Utf8(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public async Task Broadcast_writes_the_payload_raw_into_fields()
    {
        await using var h = await DailyHarness.StartAsync();
        var (socket, _) = await h.JoinAsync();
        // Escapes and spacing as the caller wrote them must reach the wire unchanged.
        const string payload = """{"message_type":"conversation","event_type":"conversation.respond","conversation_id":"c1","properties":{"text":"caf\u00e9 <b>"}}""";

        await h.Transport.SendAsync(Utf8(payload), cancellationToken: Ct);

        var text = await socket.ReceiveTextAsync();
        text.Should().StartWith("""{"msgStr":"sig-msg","msgData":{"tag":"x-egassem","fields":""" + payload + ""","envelopeTo":"*","_sendTs":""");
        var frame = JsonNode.Parse(text!)!;
        ((string?)frame["msgData"]!["_sendTs"]).Should().MatchRegex(@"^\d{13}\.\d+$");
    }

    [Fact]
    public async Task Directed_sends_name_the_recipient_and_send_ts_increases()
    {
        await using var h = await DailyHarness.StartAsync();
        var (socket, frames) = await h.JoinAsync();

        await h.Transport.SendAsync(Utf8("""{"a":1}"""), "replica-session", Ct);
        await h.Transport.SendAsync(Utf8("""{"a":2}"""), null, Ct);

        var first = (await socket.ReceiveAsync())!;
        var second = (await socket.ReceiveAsync())!;
        ((string?)first["msgData"]!["envelopeTo"]).Should().Be("replica-session");
        ((int)first["msgData"]!["fields"]!["a"]!).Should().Be(1);
        ((string?)second["msgData"]!["envelopeTo"]).Should().Be("*");
        static long Seq(JsonNode f) => long.Parse(((string)f["msgData"]!["_sendTs"]!).Split('.')[1], System.Globalization.CultureInfo.InvariantCulture);
        Seq(second).Should().Be(Seq(first) + 1);
        Seq(first).Should().BeGreaterThan(Seq(frames.JoinAsNewPeer), "the counter is shared with soup requests");
    }

    [Fact]
    public async Task The_size_limit_is_checked_before_sending()
    {
        await using var h = await DailyHarness.StartAsync();
        var (socket, _) = await h.JoinAsync();
        var overhead = """{"t":""}""".Length;
        var atLimit = "{\"t\":\"" + new string('x', 4096 - overhead) + "\"}";
        // 'é' is escaped by System.Text.Json as \u00e9 (6 bytes) but counts as one unit, as in JSON.stringify.
        var escapedAtLimit = "{\"t\":\"" + string.Concat(Enumerable.Repeat("\\u00e9", 4096 - overhead)) + "\"}";
        var overLimit = "{\"t\":\"" + new string('x', 4097 - overhead) + "\"}";

        await h.Transport.SendAsync(Utf8(atLimit), cancellationToken: Ct);
        await h.Transport.SendAsync(Utf8(escapedAtLimit), cancellationToken: Ct);
        var tooLarge = (await h.Transport.Invoking(t => t.SendAsync(Utf8(overLimit), cancellationToken: Ct).AsTask())
            .Should().ThrowAsync<CviMessageTooLargeException>()).Which;
        tooLarge.Size.Should().Be(4097);
        tooLarge.MaxSize.Should().Be(4096);
        h.Transport.MaxMessageSize.Should().Be(4096);
        await h.Transport.SendAsync(Utf8("""{"marker":true}"""), cancellationToken: Ct);

        ((string?)(await socket.ReceiveAsync())!["msgData"]!["fields"]!["t"]).Should().HaveLength(4096 - overhead);
        ((string?)(await socket.ReceiveAsync())!["msgData"]!["fields"]!["t"]).Should().HaveLength(4096 - overhead);
        ((bool?)(await socket.ReceiveAsync())!["msgData"]!["fields"]!["marker"]).Should().BeTrue("the oversized message never went out");
    }

    [Fact]
    public async Task Invalid_payloads_are_rejected()
    {
        await using var h = await DailyHarness.StartAsync();
        await h.JoinAsync();

        await h.Transport.Invoking(t => t.SendAsync(Utf8("{nope"), cancellationToken: Ct).AsTask()).Should().ThrowAsync<ArgumentException>();
        await h.Transport.Invoking(t => t.SendAsync(ReadOnlyMemory<byte>.Empty, cancellationToken: Ct).AsTask()).Should().ThrowAsync<ArgumentException>();
        await h.Transport.Invoking(t => t.SendAsync(Utf8("{}"), "", Ct).AsTask()).Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public async Task Inbound_app_messages_keep_their_exact_bytes_and_sender()
    {
        await using var h = await DailyHarness.StartAsync();
        var (socket, _) = await h.JoinAsync();
        await h.WaitForStateAsync(TransportState.Connected);

        await socket.SendAsync("""{"msgStr":"sig-msg","tag":"x-egassem","from":"replica-session","to":"*","msgData":{ "event_type" : "conversation.utterance", "t":"caf\u00e9" },"serverTS":1}""");

        var message = await h.WaitForEventAsync<AppMessageReceived>();
        message.SenderId.Should().Be("replica-session");
        Encoding.UTF8.GetString(message.Payload.Span).Should().Be("""{ "event_type" : "conversation.utterance", "t":"caf\u00e9" }""");
    }

    [Fact]
    public async Task Transcription_and_tagless_frames_are_handled_tolerantly()
    {
        await using var h = await DailyHarness.StartAsync();
        var (socket, _) = await h.JoinAsync();
        await h.WaitForStateAsync(TransportState.Connected);

        // A tag without msgStr (§4.2), an unknown tag, garbage, a too-deep batch; then a marker.
        await socket.SendAsync("""{"tag":"x-egassem","from":"transcription","msgData":{"text":"hello","session_id":"u1"}}""");
        await socket.SendAsync("""{"msgStr":"sig-msg","tag":"sdp offer","from":"x","msgData":{}}""");
        await socket.SendAsync("not json at all");
        await socket.SendAsync("[1,2,3]");
        await socket.SendAsync("""{"msgStr":"sig-msg","tag":"x-egassem"}""");
        await socket.SendAsync("""{"msgStr":"sig-presence","from":5,"msgData":7}""");
        await socket.SendAsync(DailyHarness.AppMessage("marker", new JsonObject { ["m"] = 1 }));

        var first = await h.WaitForEventAsync<AppMessageReceived>();
        first.SenderId.Should().Be("transcription");
        var marker = await h.WaitForEventAsync<AppMessageReceived>();
        marker.SenderId.Should().Be("marker");
        h.Transport.State.Should().Be(TransportState.Connected);
    }

    [Fact]
    public async Task Batches_are_unpacked_in_order_and_bounded()
    {
        await using var h = await DailyHarness.StartAsync();
        var (socket, _) = await h.JoinAsync();
        await h.WaitForStateAsync(TransportState.Connected);

        var batch = new JsonObject
        {
            ["msgStr"] = "sig-batch",
            ["msgs"] = new JsonArray(
                new JsonObject { ["msgStr"] = "sig-presence", ["from"] = "p1", ["msgData"] = DailyHarness.Presence("p1", "One") },
                DailyHarness.AppMessage("p1", new JsonObject { ["n"] = 1 }),
                new JsonObject { ["msgStr"] = "sig-batch", ["msgs"] = new JsonArray(DailyHarness.AppMessage("p1", new JsonObject { ["n"] = 2 })) },
                new JsonObject { ["msgStr"] = "sig-presence", ["from"] = "p1", ["msgData"] = null, ["leftReason"] = "hidden" }),
            ["activeCount"] = 2,
        };
        await socket.SendAsync(batch);

        (await h.NextEventAsync()).Should().BeOfType<ParticipantJoined>().Which.Participant.Id.Should().Be("p1");
        Encoding.UTF8.GetString((await h.NextEventAsync()).Should().BeOfType<AppMessageReceived>().Which.Payload.Span).Should().Be("""{"n":1}""");
        Encoding.UTF8.GetString((await h.NextEventAsync()).Should().BeOfType<AppMessageReceived>().Which.Payload.Span).Should().Be("""{"n":2}""");
        var left = (await h.NextEventAsync()).Should().BeOfType<ParticipantLeft>().Which;
        left.Participant.Id.Should().Be("p1");
        left.Reason.Should().Be("hidden");

        // 300 entries: only the first 256 are handled.
        var big = new JsonArray();
        for (var i = 0; i < 300; i++)
        {
            big.Add(DailyHarness.AppMessage("p2", new JsonObject { ["i"] = i }));
        }

        await socket.SendAsync(new JsonObject { ["msgStr"] = "sig-batch", ["msgs"] = big });
        // Nesting beyond 8 levels is ignored.
        JsonNode nested = DailyHarness.AppMessage("deep", new JsonObject());
        for (var d = 0; d < 10; d++)
        {
            nested = new JsonObject { ["msgStr"] = "sig-batch", ["msgs"] = new JsonArray(nested) };
        }

        await socket.SendAsync(nested);
        await socket.SendAsync(DailyHarness.AppMessage("marker", new JsonObject()));

        var received = new List<AppMessageReceived>();
        while (true)
        {
            var message = await h.WaitForEventAsync<AppMessageReceived>();
            if (message.SenderId == "marker")
            {
                break;
            }

            received.Add(message);
        }

        received.Should().HaveCount(256).And.OnlyContain(m => m.SenderId == "p2");
        Encoding.UTF8.GetString(received[^1].Payload.Span).Should().Be("""{"i":255}""");
    }

    [Fact]
    public async Task Presence_tracks_participants_as_daily_js_does()
    {
        await using var h = await DailyHarness.StartAsync();
        var (socket, _) = await h.JoinAsync([DailyHarness.Presence("a", "Alice"), DailyHarness.Presence("hidden", "H", hasPresence: false)]);
        (await h.WaitForEventAsync<ParticipantJoined>()).Participant.Id.Should().Be("a");
        await h.WaitForStateAsync(TransportState.Connected);

        // A minimal presence without joinedAt is not a participant yet; the full one is (§4.6).
        await socket.SendAsync(new JsonObject { ["msgStr"] = "sig-presence", ["from"] = "r", ["msgData"] = new JsonObject { ["id"] = "r", ["callState"] = "passive" } });
        await socket.SendAsync(new JsonObject { ["msgStr"] = "sig-presence", ["from"] = "r", ["msgData"] = DailyHarness.Presence("r", "Tavus%20Replica", "tavus-replica-xyz") });
        var joined = await h.WaitForEventAsync<ParticipantJoined>();
        joined.Participant.Should().Be(new RoomParticipant("r", "Tavus Replica", "tavus-replica-xyz", false, true));

        // A rename updates the list without an event; our own id is ignored.
        await socket.SendAsync(new JsonObject { ["msgStr"] = "sig-presence", ["from"] = "a", ["msgData"] = DailyHarness.Presence("a", "Alice%20B") });
        await socket.SendAsync(new JsonObject { ["msgStr"] = "sig-presence", ["from"] = h.Transport.SessionId, ["msgData"] = DailyHarness.Presence(h.Transport.SessionId, "Me") });
        await socket.SendAsync(new JsonObject { ["msgStr"] = "sig-presence", ["from"] = "a", ["msgData"] = null });
        var left = await h.WaitForEventAsync<ParticipantLeft>();
        left.Participant.Should().Be(new RoomParticipant("a", "Alice B", "a", false, false));
        left.Reason.Should().BeNull();

        h.Transport.RemoteParticipants.Should().ContainSingle().Which.Id.Should().Be("r");
        h.Seen.OfType<ParticipantJoined>().Select(j => j.Participant.Id).Should().Equal("a", "r");
    }
}
