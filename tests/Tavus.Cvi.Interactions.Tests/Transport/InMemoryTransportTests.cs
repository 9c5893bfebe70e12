using System.Text;
using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.Interactions.Tests.Transport;

public class InMemoryTransportTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static async Task<List<TransportEvent>> DrainUntilClosedAsync(ICviTransport transport)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var list = new List<TransportEvent>();
        await foreach (var e in transport.ReadEventsAsync(cts.Token))
        {
            list.Add(e);
        }

        return list;
    }

    [Fact]
    public async Task Join_reports_connecting_connected_and_present_participants_in_order()
    {
        var room = new InMemoryRoom();
        var replica = room.CreateReplicaTransport();
        await replica.JoinAsync();
        var client = room.CreateTransport("client");

        await client.JoinAsync();
        await client.LeaveAsync();

        var events = await DrainUntilClosedAsync(client);
        events.Should().HaveCount(4);
        events[0].Should().Be(new TransportStateChanged(TransportState.Connecting));
        events[1].Should().Be(new TransportStateChanged(TransportState.Connected));
        events[2].Should().BeOfType<ParticipantJoined>().Which.Participant.IsReplica.Should().BeTrue();
        events[3].Should().BeOfType<TransportStateChanged>().Which.CloseReason.Should().Be(TransportCloseReason.Left);
        client.State.Should().Be(TransportState.Closed);
    }

    [Fact]
    public async Task Participants_are_visible_while_joined_and_presence_changes_reach_others()
    {
        var room = new InMemoryRoom();
        var a = room.CreateTransport("a");
        var b = room.CreateTransport("b", "user-b");
        a.LocalParticipant.Should().BeNull();
        await a.JoinAsync();
        await b.JoinAsync();

        a.LocalParticipant!.IsLocal.Should().BeTrue();
        a.RemoteParticipants.Should().ContainSingle().Which.Should().Be(new RoomParticipant(b.ParticipantId, "b", "user-b", false, false));
        room.Participants.Should().HaveCount(2);

        await b.LeaveAsync();
        a.RemoteParticipants.Should().BeEmpty();
        await a.LeaveAsync();

        var events = await DrainUntilClosedAsync(a);
        events.OfType<ParticipantJoined>().Should().ContainSingle().Which.Participant.Id.Should().Be(b.ParticipantId);
        events.OfType<ParticipantLeft>().Should().ContainSingle().Which.Participant.Id.Should().Be(b.ParticipantId);
    }

    [Fact]
    public async Task Broadcast_reaches_everyone_but_the_sender_and_directed_only_the_addressee()
    {
        var room = new InMemoryRoom();
        var a = room.CreateTransport("a");
        var b = room.CreateTransport("b");
        var c = room.CreateTransport("c");
        await a.JoinAsync();
        await b.JoinAsync();
        await c.JoinAsync();

        await a.SendAsync("""{"n":1}""");
        await a.SendAsync("""{"n":2}""", recipientId: c.ParticipantId);
        await b.SendAsync("""{"n":3}""", recipientId: "nobody");
        await b.SendAsync("""{"n":4}""");

        var toB = await b.ReceiveAppMessageAsync();
        Encoding.UTF8.GetString(toB!.Payload.Span).Should().Be("""{"n":1}""");
        toB.SenderId.Should().Be(a.ParticipantId);

        var toC = new[] { await c.ReceiveAppMessageAsync(), await c.ReceiveAppMessageAsync(), await c.ReceiveAppMessageAsync() };
        toC.Select(m => Encoding.UTF8.GetString(m!.Payload.Span)).Should().Equal("""{"n":1}""", """{"n":2}""", """{"n":4}""");

        var toA = await a.ReceiveAppMessageAsync();
        Encoding.UTF8.GetString(toA!.Payload.Span).Should().Be("""{"n":4}""", "a broadcast is never echoed to its sender");

        room.Messages.Select(m => m.Text).Should().Equal("""{"n":1}""", """{"n":2}""", """{"n":3}""", """{"n":4}""");
        room.Messages[1].RecipientId.Should().Be(c.ParticipantId);
    }

    [Fact]
    public async Task Payload_is_copied_so_the_sender_may_reuse_its_buffer()
    {
        var room = new InMemoryRoom();
        var a = room.CreateTransport();
        var b = room.CreateTransport();
        await a.JoinAsync();
        await b.JoinAsync();
        var buffer = Encoding.UTF8.GetBytes("""{"x":1}""");

        await a.SendAsync(buffer.AsMemory());
        buffer[5] = (byte)'9';

        var received = await b.ReceiveAppMessageAsync();
        Encoding.UTF8.GetString(received!.Payload.Span).Should().Be("""{"x":1}""");
    }

    [Fact]
    public async Task Oversized_message_is_refused_counting_utf16_code_units_and_nothing_is_delivered()
    {
        var room = new InMemoryRoom(maxMessageSize: 10);
        var a = room.CreateTransport();
        var b = room.CreateTransport();
        await a.JoinAsync();
        await b.JoinAsync();

        // 10 UTF-16 code units but 13 UTF-8 bytes: accepted, as Daily counts code units.
        await a.SendAsync("\"ééé12345\"");
        // The emoji is two UTF-16 code units: 11 in all.
        var act = async () => await a.SendAsync("\"😀1234567\"");
        var ex = (await act.Should().ThrowAsync<CviMessageTooLargeException>()).Which;
        ex.Size.Should().Be(11);
        ex.MaxSize.Should().Be(10);

        room.Messages.Should().ContainSingle();
        a.MaxMessageSize.Should().Be(10);
    }

    [Fact]
    public async Task Sending_before_join_or_after_leave_fails_with_a_connection_error()
    {
        var room = new InMemoryRoom();
        var a = room.CreateTransport();
        var before = async () => await a.SendAsync("{}");
        (await before.Should().ThrowAsync<CviConnectionException>()).Which.Failure.Should().Be(CviConnectionFailure.Closed);

        await a.JoinAsync();
        await a.LeaveAsync();
        await a.LeaveAsync(); // idempotent
        var after = async () => await a.SendAsync("{}");
        await after.Should().ThrowAsync<CviConnectionException>();
        var rejoin = async () => await a.JoinAsync();
        await rejoin.Should().ThrowAsync<CviConnectionException>();
    }

    [Fact]
    public async Task Deleting_the_room_closes_every_member_with_room_deleted()
    {
        var room = new InMemoryRoom();
        var a = room.CreateTransport();
        var b = room.CreateTransport();
        await a.JoinAsync();
        await b.JoinAsync();

        room.Delete();

        foreach (var t in new[] { a, b })
        {
            var events = await DrainUntilClosedAsync(t);
            var last = events[^1].Should().BeOfType<TransportStateChanged>().Which;
            last.State.Should().Be(TransportState.Closed);
            last.CloseReason.Should().Be(TransportCloseReason.RoomDeleted);
            t.CloseReason.Should().Be(TransportCloseReason.RoomDeleted);
        }

        var late = room.CreateTransport();
        var join = async () => await late.JoinAsync();
        (await join.Should().ThrowAsync<CviConnectionException>()).Which.Failure.Should().Be(CviConnectionFailure.RoomNotFound);
        late.State.Should().Be(TransportState.Closed);
    }

    [Fact]
    public async Task Disconnect_and_eject_close_one_member_and_tell_the_others()
    {
        var room = new InMemoryRoom();
        var a = room.CreateTransport();
        var b = room.CreateTransport();
        var c = room.CreateTransport();
        await a.JoinAsync();
        await b.JoinAsync();
        await c.JoinAsync();

        room.Disconnect(b.ParticipantId).Should().BeTrue();
        room.Eject(c.ParticipantId).Should().BeTrue();
        room.Eject("unknown").Should().BeFalse();
        await a.LeaveAsync();

        (await DrainUntilClosedAsync(b)).OfType<TransportStateChanged>().Last().CloseReason.Should().Be(TransportCloseReason.ConnectionLost);
        (await DrainUntilClosedAsync(c)).OfType<TransportStateChanged>().Last().CloseReason.Should().Be(TransportCloseReason.Ejected);
        var left = (await DrainUntilClosedAsync(a)).OfType<ParticipantLeft>().ToList();
        left.Select(l => (l.Participant.Id, l.Reason)).Should().Equal((b.ParticipantId, "network"), (c.ParticipantId, "ejected"));
    }

    [Fact]
    public async Task Sends_while_reconnecting_are_queued_and_flushed_in_order()
    {
        var room = new InMemoryRoom();
        var a = room.CreateTransport();
        var b = room.CreateTransport();
        await a.JoinAsync();
        await b.JoinAsync();

        room.SetReconnecting(a.ParticipantId, true);
        a.State.Should().Be(TransportState.Reconnecting);
        await a.SendAsync("""{"n":1}""");
        await a.SendAsync("""{"n":2}""");
        room.Messages.Should().BeEmpty();

        room.SetReconnecting(a.ParticipantId, false);
        room.Messages.Select(m => m.Text).Should().Equal("""{"n":1}""", """{"n":2}""");
        (await b.ReceiveAppMessageAsync())!.SenderId.Should().Be(a.ParticipantId);
        await a.LeaveAsync();
        var states = (await DrainUntilClosedAsync(a)).OfType<TransportStateChanged>().Select(s => s.State);
        states.Should().Equal(TransportState.Connecting, TransportState.Connected, TransportState.Reconnecting, TransportState.Connected, TransportState.Closed);
    }

    [Fact]
    public async Task Malformed_payloads_pass_through_unvalidated()
    {
        var room = new InMemoryRoom();
        var a = room.CreateTransport();
        var b = room.CreateTransport();
        await a.JoinAsync();
        await b.JoinAsync();

        const string truncated = """{"event_type":"conv""";
        await a.SendAsync(truncated);
        Encoding.UTF8.GetString((await b.ReceiveAppMessageAsync())!.Payload.Span).Should().Be(truncated);
    }

    [Fact]
    public async Task Events_have_a_single_reader()
    {
        var room = new InMemoryRoom();
        var a = room.CreateTransport();
        _ = a.ReadEventsAsync();
        var second = () => a.ReadEventsAsync();
        second.Should().Throw<InvalidOperationException>();
        await a.DisposeAsync();
    }
}
