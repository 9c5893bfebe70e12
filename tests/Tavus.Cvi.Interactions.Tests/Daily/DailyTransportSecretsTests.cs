using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.Interactions.Tests.Daily;

public class DailyTransportSecretsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task No_token_or_sig_authz_is_ever_logged_or_put_in_an_exception()
    {
        // The token arrives in the URL too, to prove the URL is never logged whole.
        await using var h = await DailyHarness.StartAsync(o =>
            {
                o.MeetingToken = null;
                o.ReconnectDeadline = TimeSpan.FromSeconds(1);
            },
            roomUrl: s => s.RoomUrl() + "?t=" + Uri.EscapeDataString(DailyHarness.MeetingToken));
        var (socket, _) = await h.JoinAsync([DailyHarness.Presence("r", "R", "tavus-replica-1")]);
        await h.WaitForStateAsync(TransportState.Connected);

        await h.Transport.SendAsync(Encoding.UTF8.GetBytes("""{"event_type":"conversation.echo","properties":{"text":"hi"}}"""), cancellationToken: Ct);
        await socket.SendAsync(DailyHarness.AppMessage("r", new JsonObject { ["event_type"] = "conversation.utterance" }));
        await h.WaitForEventAsync<AppMessageReceived>();

        // A heartbeat answered with a sig-ack that carries another sigAuthz, then a drop and a rejoin.
        await socket.SendAsync("""{"msgStr":"sig-ack","sigAuthz":"SIGAUTHZ-third-777","lTs":1}""");
        socket.Abort();
        var next = await h.Server.AcceptAsync();
        await next.AcceptJoinAsync();
        await h.WaitForStateAsync(TransportState.Connected);

        // A malformed frame full of secrets, a refused move, then a lookup failure whose body holds secrets.
        await next.SendAsync("""{"msgStr":"sig-ack","sigAuthz":{"nested":"SIGAUTHZ-malformed"},"presences":"SIGAUTHZ-x"}""");
        await next.SendAsync("""{"moveMeeting":{"workerId":"w","wssUri":"ws://evil.example/SIGAUTHZ-path"}}""");
        h.Server.LookupHandler = (_, _) => Task.FromResult(new LookupReply(500, "{\"sigAuthz\":\"SIGAUTHZ-in-error-body\",\"joinToken\":\"" + DailyHarness.MeetingToken + "\"}"));
        var closed = await h.WaitForStateAsync(TransportState.Closed);
        closed.CloseReason.Should().Be(TransportCloseReason.ConnectionLost);

        var logs = h.Logs.AllText();
        logs.Should().Contain("tavus/room1", "the room is identified by its meeting string");
        h.Logs.Entries.Should().Contain(e => e.Level == LogLevel.Trace, "the test ran at Trace");
        var events = string.Join("\n", h.Seen.Select(e => e is TransportStateChanged s ? s + " " + s.Exception : e.ToString()));
        foreach (var text in new[] { logs, events, closed.Exception!.ToString() })
        {
            text.Should().NotContain(DailyHarness.MeetingToken)
                .And.NotContain(Uri.EscapeDataString(DailyHarness.MeetingToken))
                .And.NotContain("MEETING-TOKEN")
                .And.NotContain("SIGAUTHZ");
        }
    }
}
