using Microsoft.Extensions.Time.Testing;
using Tavus.Cvi.Interactions.Daily;
using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.Interactions.Tests.Daily;

public class DailyTransportLookupTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<int, string, CviConnectionFailure, string> Outcomes => new()
    {
        { 404, """{"error":"not-found","sigAuthz":"SIGAUTHZ-in-body"}""", CviConnectionFailure.RoomNotFound, "does not exist" },
        { 200, """{"privacy":"private","needToRequest":true,"joinProps":{"error":"bad token MEETING-TOKEN-eyJhbGciOi.secret"}}""", CviConnectionFailure.NotAdmitted, "meeting token" },
        { 200, """{"error":"nbf-room"}""", CviConnectionFailure.RoomNotFound, "not available yet" },
        { 200, """{"error":"exp-room"}""", CviConnectionFailure.RoomNotFound, "no longer available" },
        { 200, """{"error":"account-suspended"}""", CviConnectionFailure.Unknown, "account-suspended" },
        { 200, """{"error":"weird {\"sigAuthz\":\"SIGAUTHZ-in-body\"}"}""", CviConnectionFailure.Unknown, "reported an error" },
        { 200, """{"something":"else","sigAuthz":"SIGAUTHZ-in-body"}""", CviConnectionFailure.Unknown, "does not understand" },
        { 200, """not json SIGAUTHZ-in-body""", CviConnectionFailure.Unknown, "does not understand" },
        { 200, """{"privacy":"public","needToRequest":false,"sigAuthz":"SIGAUTHZ-in-body"}""", CviConnectionFailure.Unknown, "does not understand" },
        { 200, """{"privacy":"public","needToRequest":false,"sigAuthz":"SIGAUTHZ-in-body","worker":{"workerId":"w","wssUri":"wss://evil.example/ws"}}""", CviConnectionFailure.Unknown, "not allowed" },
        { 500, """{"sigAuthz":"SIGAUTHZ-in-body"}""", CviConnectionFailure.Network, "HTTP 500" },
        { 302, "", CviConnectionFailure.Unknown, "HTTP 302" },
        { 403, "SIGAUTHZ-in-body", CviConnectionFailure.Unknown, "HTTP 403" },
    };

    [Theory]
    [MemberData(nameof(Outcomes))]
    public async Task Lookup_outcomes_become_connection_failures_without_secrets(int status, string body, CviConnectionFailure failure, string says)
    {
        await using var h = await DailyHarness.StartAsync(o => o.JoinAttempts = 1);
        h.Server.LookupHandler = (_, _) => Task.FromResult(new LookupReply(status, body));

        var thrown = (await h.Transport.Invoking(t => t.JoinAsync(Ct)).Should().ThrowAsync<CviConnectionException>()).Which;

        thrown.Failure.Should().Be(failure);
        thrown.Message.Should().Contain(says).And.Contain("tavus/room1");
        var everything = thrown.ToString() + h.Logs.AllText();
        everything.Should().NotContain("SIGAUTHZ").And.NotContain(DailyHarness.MeetingToken).And.NotContain("MEETING-TOKEN");
        h.Transport.State.Should().Be(TransportState.Closed);
        h.Server.HasPendingSocket.Should().BeFalse("nothing is sent to a worker after a failed lookup");
    }

    [Fact]
    public async Task Network_failures_are_retried_then_reported()
    {
        // Real clock: the retry waits daily-js's 1425 ms once (daily-protocol.md §4.1).
        await using var h = await DailyHarness.StartAsync(o => o.JoinAttempts = 2);
        h.Server.LookupHandler = (_, _) => Task.FromResult(new LookupReply(503, "{}"));

        var thrown = (await h.Transport.Invoking(t => t.JoinAsync(Ct)).Should().ThrowAsync<CviConnectionException>()).Which;

        thrown.Failure.Should().Be(CviConnectionFailure.Network);
        h.Server.Lookups.Should().HaveCount(2);
        h.Server.Lookups.Select(l => l.Form["sessionId"]).Distinct().Should().ContainSingle("the session id is kept across attempts");
    }

    [Fact]
    public async Task A_slow_lookup_times_out_on_the_transport_clock()
    {
        await using var h = await DailyHarness.StartAsync(o => o.JoinAttempts = 1, fakeTime: true);
        h.Server.LookupHandler = async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return new LookupReply(200, "{}");
        };

        var join = h.Transport.JoinAsync(Ct);
        await h.Server.NextLookupAsync();
        h.Time!.Advance(TimeSpan.FromSeconds(15));

        var thrown = (await join.Invoking(t => t.WaitAsync(TestTimeouts.Io, Ct)).Should().ThrowAsync<CviConnectionException>()).Which;
        thrown.Failure.Should().Be(CviConnectionFailure.Network);
        thrown.Message.Should().Contain("timed out");
    }

    [Fact]
    public async Task Without_a_token_the_join_token_field_is_omitted()
    {
        await using var h = await DailyHarness.StartAsync(o => o.MeetingToken = null);
        await h.JoinAsync();

        h.Server.Lookups.Single().Form.Should().NotContainKey("joinToken");
    }

    [Fact]
    public async Task The_url_token_is_used_when_no_token_is_configured()
    {
        await using var h = await DailyHarness.StartAsync(o => o.MeetingToken = null, roomUrl: s => s.RoomUrl() + "?t=URL-TOKEN-123");
        await h.JoinAsync();

        h.Server.Lookups.Single().Form["joinToken"].Should().Be("URL-TOKEN-123");
    }

    [Fact]
    public async Task The_configured_token_wins_over_the_url_token()
    {
        await using var h = await DailyHarness.StartAsync(roomUrl: s => s.RoomUrl() + "?t=URL-TOKEN-123");
        await h.JoinAsync();

        h.Server.Lookups.Single().Form["joinToken"].Should().Be(DailyHarness.MeetingToken);
    }

    [Fact]
    public void The_default_endpoints_refuse_an_emulator_url()
    {
        var act = () => new DailyTransport("http://127.0.0.1:5123/tavus/c1", new DailyTransportOptions());
        act.Should().Throw<ArgumentException>();
    }

    [Fact]
    public async Task The_owned_http_client_does_not_follow_redirects()
    {
        await using var h = await DailyHarness.StartAsync(o => o.JoinAttempts = 1);
        h.Server.LookupHandler = (_, _) => Task.FromResult(new LookupReply(307, ""));

        var thrown = (await h.Transport.Invoking(t => t.JoinAsync(Ct)).Should().ThrowAsync<CviConnectionException>()).Which;

        thrown.Message.Should().Contain("HTTP 307");
        h.Server.Lookups.Should().HaveCount(1);
    }

    [Fact]
    public async Task A_refused_websocket_fails_the_join_as_a_network_failure()
    {
        await using var h = await DailyHarness.StartAsync(o => o.JoinAttempts = 1);
        h.Server.RefuseWebSockets = true;

        var thrown = (await h.Transport.Invoking(t => t.JoinAsync(Ct)).Should().ThrowAsync<CviConnectionException>()).Which;

        thrown.Failure.Should().Be(CviConnectionFailure.Network);
        thrown.Message.Should().Contain("127.0.0.1");
    }

    [Fact]
    public async Task A_silent_server_fails_the_join_on_the_transport_clock()
    {
        await using var h = await DailyHarness.StartAsync(o => o.JoinAttempts = 1, fakeTime: true);
        var join = h.Transport.JoinAsync(Ct);
        var socket = await h.Server.AcceptAsync();
        await socket.ReceiveUntilAsync("join-for-sig");

        // Heartbeats go out every 2 s; after 10 s of silence the socket is stale (§4.5), before the 15 s step timeout.
        // The first heartbeat is awaited on the server before the clock moves on: the stale rule needs a heartbeat to
        // have gone out, and the socket closes as soon as it is stale.
        h.Time!.Advance(TimeSpan.FromSeconds(1));
        h.Time.Advance(TimeSpan.FromSeconds(1));
        var heartbeat = await socket.ReceiveUntilAsync("sig-ack");
        ((long)heartbeat["msgData"]!["lTs"]!).Should().BeGreaterThan(0);

        // One-second steps, so each timer sees the clock of its own due time.
        for (var second = 2; second < 13; second++)
        {
            h.Time.Advance(TimeSpan.FromSeconds(1));
        }

        var thrown = (await join.Invoking(t => t.WaitAsync(TestTimeouts.Io, Ct)).Should().ThrowAsync<CviConnectionException>()).Which;
        thrown.Failure.Should().Be(CviConnectionFailure.Network);
        thrown.Message.Should().Contain("silent");
    }

    [Fact]
    public async Task Fake_time_provider_is_used_for_the_join()
    {
        // Sanity check of the harness: with a fake clock nothing times out by itself.
        await using var h = await DailyHarness.StartAsync(fakeTime: true);
        h.Time.Should().BeOfType<FakeTimeProvider>();
        await h.JoinAsync();
        h.Transport.State.Should().Be(TransportState.Connected);
    }
}
