using System.Text.Json.Nodes;
using Tavus.Cvi.Interactions.Daily;
using Tavus.Cvi.Interactions.Protocol;
using Tavus.Cvi.Interactions.Session;
using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.Interactions.Tests.Daily;

public class CviSessionDailyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task JoinAsync_joins_the_room_and_carries_interactions_and_events()
    {
        await using var server = await FakeDailyServer.StartAsync();
        var options = new CviSessionOptions
        {
            Daily = new DailyTransportOptions { Endpoints = server.Endpoints, MeetingToken = "tok", DisplayName = "SDK" },
        };

        var joining = CviSession.JoinAsync(server.RoomUrl("c123"), "c123", options, Ct);
        var socket = await server.AcceptAsync();
        await socket.AcceptJoinAsync([DailyHarness.Presence("replica", "Anna", "tavus-replica-r1")]);
        await using var session = await joining.WaitAsync(TestTimeouts.Io, Ct);

        session.Transport.Should().BeOfType<DailyTransport>();
        session.ConnectionState.Should().Be(TransportState.Connected);
        session.IsReplicaPresent.Should().BeTrue();
        server.Lookups.Single().Room.Should().Be("c123");

        await session.EchoAsync("hello", cancellationToken: Ct);
        var frame = await socket.ReceiveUntilAsync("sig-msg");
        var fields = frame["msgData"]!["fields"]!;
        ((string?)fields["event_type"]).Should().Be("conversation.echo");
        ((string?)fields["conversation_id"]).Should().Be("c123");
        ((string?)fields["properties"]!["text"]).Should().Be("hello");
        ((string?)frame["msgData"]!["envelopeTo"]).Should().Be("*");

        var utterance = session.WaitForEventAsync<UtteranceEvent>(cancellationToken: Ct);
        await socket.SendAsync(DailyHarness.AppMessage("replica", new JsonObject
        {
            ["message_type"] = "conversation",
            ["event_type"] = "conversation.utterance",
            ["conversation_id"] = "c123",
            ["properties"] = new JsonObject { ["role"] = "replica", ["speech"] = "Hi there" },
        }));
        (await utterance.WaitAsync(TestTimeouts.Io, Ct)).Speech.Should().Be("Hi there");

        await session.LeaveAsync(Ct);
        await socket.ReceiveUntilAsync("close-connection");
        (await session.Completion.WaitAsync(TestTimeouts.Io, Ct)).Should().Be(CviSessionEndReason.Left);
    }

    [Fact]
    public async Task JoinAsync_reports_a_missing_room_and_releases_the_transport()
    {
        await using var server = await FakeDailyServer.StartAsync();
        server.LookupHandler = (_, _) => Task.FromResult(new LookupReply(404, "{}"));
        var options = new CviSessionOptions { Daily = new DailyTransportOptions { Endpoints = server.Endpoints } };

        var thrown = await FluentActions.Awaiting(() => CviSession.JoinAsync(server.RoomUrl("gone"), "gone", options, Ct))
            .Should().ThrowAsync<CviConnectionException>();

        thrown.Which.Failure.Should().Be(CviConnectionFailure.RoomNotFound);
    }

    [Fact]
    public async Task JoinAsync_rejects_a_url_outside_the_endpoints()
    {
        await FluentActions.Awaiting(() => CviSession.JoinAsync("https://tavus.daily.co.evil/c1?t=SECRET", "c1", cancellationToken: Ct))
            .Should().ThrowAsync<ArgumentException>().WithMessage("*daily.co*");
    }
}
