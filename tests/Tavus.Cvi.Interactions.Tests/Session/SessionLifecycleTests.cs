using Tavus.Cvi.Interactions.Protocol;
using Tavus.Cvi.Interactions.Session;
using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.Interactions.Tests.Session;

public class SessionLifecycleTests
{
    [Fact]
    public async Task ConnectAsync_joins_the_transport_and_reports_room_state_in_order()
    {
        var room = new InMemoryRoom();
        var replica = room.CreateReplicaTransport();
        await replica.JoinAsync();
        var client = room.CreateTransport("client");

        await using var session = await CviSession.ConnectAsync(client, "c1");

        client.State.Should().Be(TransportState.Connected);
        session.ConnectionState.Should().Be(TransportState.Connected);
        session.IsReplicaPresent.Should().BeTrue();
        await session.WaitForReplicaJoinedAsync().Within();
        session.ConversationId.Should().Be("c1");
        session.Transport.Should().BeSameAs(client);
    }

    [Fact]
    public async Task A_transport_joined_beforehand_is_used_as_is_and_its_earlier_events_still_arrive()
    {
        var room = new InMemoryRoom();
        var replica = room.CreateReplicaTransport();
        await replica.JoinAsync();
        var client = room.CreateTransport();
        await client.JoinAsync();
        await replica.SendAsync(Events.Utterance("user", "sent before the session existed"));

        await using var session = await CviSession.ConnectAsync(client, "c1");

        session.IsReplicaPresent.Should().BeTrue();
        await using var events = session.ReadEventsAsync().GetAsyncEnumerator();
        (await events.MoveNextAsync().AsTask().Within()).Should().BeTrue();
        ((UtteranceEvent)events.Current).Speech.Should().Be("sent before the session existed");
    }

    [Fact]
    public async Task Leaving_a_session_that_never_started_ends_it_and_closes_the_transport()
    {
        var room = new InMemoryRoom();
        var transport = room.CreateTransport();
        var session = new CviSession(transport, "c1");
        await session.LeaveAsync();
        (await session.Completion.Within()).Should().Be(CviSessionEndReason.Left);
        transport.State.Should().Be(TransportState.Closed);
        var start = () => session.StartAsync();
        await session.DisposeAsync();
        await start.Should().ThrowAsync<ObjectDisposedException>();
    }

    [Fact]
    public async Task Handlers_attached_before_start_see_the_join()
    {
        var room = new InMemoryRoom();
        var replica = room.CreateReplicaTransport();
        await replica.JoinAsync();
        var states = new Collector<TransportState>();
        var joined = new Collector<RoomParticipant>();
        await using var session = new CviSession(room.CreateTransport(), "c1");
        session.ConnectionStateChanged += (_, e) => states.Add(e.State);
        session.ParticipantJoined += (_, e) => joined.Add(e.Participant);

        await session.StartAsync();

        await states.WaitForCountAsync(2);
        states.Items.Should().Equal(TransportState.Connecting, TransportState.Connected);
        await joined.WaitForCountAsync(1);
        joined.Items[0].IsReplica.Should().BeTrue();
        var again = () => session.StartAsync();
        await again.Should().ThrowAsync<InvalidOperationException>();
    }

    [Fact]
    public async Task WaitForReplicaJoined_completes_when_the_replica_arrives_later()
    {
        var room = new InMemoryRoom();
        await using var session = await CviSession.ConnectAsync(room.CreateTransport(), "c1");
        var left = new Collector<RoomParticipant>();
        session.ParticipantLeft += (_, e) => left.Add(e.Participant);
        var wait = session.WaitForReplicaJoinedAsync();
        wait.IsCompleted.Should().BeFalse();

        var replica = room.CreateReplicaTransport();
        await replica.JoinAsync();
        await wait.Within();
        session.IsReplicaPresent.Should().BeTrue();

        await replica.LeaveAsync();
        await left.WaitForCountAsync(1);
        session.IsReplicaPresent.Should().BeFalse();
    }

    [Fact]
    public async Task WaitForReplicaJoined_also_completes_on_system_replica_joined_and_the_event_fires_once()
    {
        var joinedEvents = new Collector<ReplicaJoinedEvent>();
        var room = new InMemoryRoom();
        var peer = room.CreateTransport("tavus bridge", "not-a-replica-id");
        await peer.JoinAsync();
        await using var session = new CviSession(room.CreateTransport(), "c1");
        session.ReplicaJoined += (_, e) => joinedEvents.Add(e.Event);
        await session.StartAsync();
        var wait = session.WaitForReplicaJoinedAsync();
        var palJoined = session.WaitForEventAsync<ReplicaJoinedEvent>(e => e.IsPalJoined);
        var marker = session.WaitForEventAsync<UtteranceEvent>();

        await peer.SendAsync(Events.ReplicaJoined);
        await peer.SendAsync(Events.PalJoined);
        await wait.Within();
        await palJoined.Within();
        await joinedEvents.WaitForCountAsync(1);

        // The handler's queue got both notifications' fate decided on the loop before the later marker was published.
        await peer.SendAsync(Events.Utterance("user", "later"));
        await marker.Within();
        await session.LeaveAsync();
        joinedEvents.Items.Should().ContainSingle().Which.IsPalJoined.Should().BeFalse();
    }

    [Fact]
    public async Task WaitForReplicaToFinishSpeaking_follows_the_speaking_state()
    {
        await using var h = await SessionHarness.StartAsync();
        await h.Session.WaitForReplicaToFinishSpeakingAsync().Within(); // silent: at once

        var afterNextTurn = h.Session.WaitForReplicaToFinishSpeakingAsync(waitForStart: true);
        var started = h.Session.WaitForEventAsync<StartedSpeakingEvent>();
        await h.SendFromReplicaAsync(Events.StartedSpeaking("replica", "r1"));
        await started.Within();
        afterNextTurn.IsCompleted.Should().BeFalse();
        var whileSpeaking = h.Session.WaitForReplicaToFinishSpeakingAsync();
        h.Session.IsReplicaSpeaking.Should().BeTrue();
        whileSpeaking.IsCompleted.Should().BeFalse();

        await h.SendFromReplicaAsync(Events.StoppedSpeaking("replica", "r1"));
        await afterNextTurn.Within();
        await whileSpeaking.Within();
        h.Session.IsReplicaSpeaking.Should().BeFalse();
    }

    [Fact]
    public async Task Room_deletion_ends_the_session_and_every_consumer()
    {
        var ended = new Collector<CviSessionEndedEventArgs>();
        await using var h = await SessionHarness.StartAsync(beforeStart: s => s.Ended += (_, e) => ended.Add(e));
        var reading = Task.Run(async () =>
        {
            var n = 0;
            await foreach (var _ in h.Session.ReadEventsAsync()) n++;
            return n;
        });
        var waiting = h.Session.WaitForEventAsync<UtteranceEvent>();
        await h.SendFromReplicaAsync(Events.PerceptionAnalysis("fine"));

        h.Room.Delete();

        (await h.Session.Completion.Within()).Should().Be(CviSessionEndReason.RoomDeleted);
        (await reading.Within()).Should().Be(1, "the reader got the event that arrived before the end, then completed");
        (await FluentActions.Awaiting(() => waiting.Within()).Should().ThrowAsync<CviConnectionException>()).Which.Failure.Should().Be(CviConnectionFailure.Closed);
        await ended.WaitForCountAsync(1);
        ended.Items[0].Reason.Should().Be(CviSessionEndReason.RoomDeleted);

        var late = new Collector<CviSessionEndedEventArgs>();
        h.Session.Ended += (_, e) => late.Add(e);
        await late.WaitForCountAsync(1);
    }

    [Fact]
    public async Task Shutdown_then_room_deletion_ends_with_shutdown_and_later_events_still_arrive()
    {
        var analyses = new Collector<PerceptionAnalysisEvent>();
        await using var h = await SessionHarness.StartAsync(beforeStart: s => s.PerceptionAnalysisReceived += (_, e) => analyses.Add(e.Event));
        var shutdown = h.Session.WaitForEventAsync<ShutdownEvent>();

        await h.SendFromReplicaAsync(Events.Shutdown);
        (await shutdown.Within()).Reason.Should().Be(new ShutdownReason("participant_left_timeout"));
        await h.SendFromReplicaAsync(Events.PerceptionAnalysis("The user wore glasses."));
        await analyses.WaitForCountAsync(1);
        h.Session.HasEnded.Should().BeFalse();

        h.Room.Delete();
        (await h.Session.Completion.Within()).Should().Be(CviSessionEndReason.Shutdown);
    }

    [Fact]
    public async Task After_shutdown_the_session_leaves_by_itself_when_the_room_stays_open()
    {
        await using var h = await SessionHarness.StartAsync(o => o.ShutdownGracePeriod = TimeSpan.FromSeconds(30));
        var shutdown = h.Session.WaitForEventAsync<ShutdownEvent>();
        await h.SendFromReplicaAsync(Events.Shutdown);
        await shutdown.Within(); // the grace deadline is set before the event is published


        h.Time.Advance(TimeSpan.FromSeconds(29));
        h.Session.HasEnded.Should().BeFalse();
        h.Time.Advance(TimeSpan.FromSeconds(1));

        (await h.Session.Completion.Within()).Should().Be(CviSessionEndReason.Shutdown);
        h.Room.Participants.Should().ContainSingle("the client left the room");
    }

    [Fact]
    public async Task Leave_ends_with_left_and_dispose_is_idempotent()
    {
        var h = await SessionHarness.StartAsync();
        await h.Session.LeaveAsync();
        (await h.Session.Completion.Within()).Should().Be(CviSessionEndReason.Left);
        await h.Session.LeaveAsync();
        h.Room.Participants.Should().ContainSingle();
        await h.DisposeAsync();
        await h.Session.DisposeAsync();
    }

    [Fact]
    public async Task Losing_the_connection_or_being_ejected_is_reported()
    {
        await using var lost = await SessionHarness.StartAsync();
        lost.Room.Disconnect(lost.Session.Transport.LocalParticipant!.Id);
        (await lost.Session.Completion.Within()).Should().Be(CviSessionEndReason.ConnectionLost);

        await using var ejected = await SessionHarness.StartAsync();
        ejected.Room.Eject(ejected.Session.Transport.LocalParticipant!.Id);
        (await ejected.Session.Completion.Within()).Should().Be(CviSessionEndReason.Ejected);
    }

    [Fact]
    public async Task Reconnecting_is_reported_and_sends_are_queued_by_the_transport()
    {
        var states = new Collector<TransportState>();
        await using var h = await SessionHarness.StartAsync(beforeStart: s => s.ConnectionStateChanged += (_, e) => states.Add(e.State));
        var id = h.Session.Transport.LocalParticipant!.Id;

        h.Room.SetReconnecting(id, true);
        await h.Session.RespondAsync("queued while reconnecting");
        h.Room.SetReconnecting(id, false);

        (await h.NextSentAsync()).Should().Contain("queued while reconnecting");
        await states.WaitForCountAsync(4);
        states.Items.Should().Equal(TransportState.Connecting, TransportState.Connected, TransportState.Reconnecting, TransportState.Connected);
    }

    [Fact]
    public async Task Connecting_to_a_deleted_room_fails_and_disposes_the_transport()
    {
        var room = new InMemoryRoom();
        room.Delete();
        var transport = room.CreateTransport();
        var act = () => CviSession.ConnectAsync(transport, "c1");
        (await act.Should().ThrowAsync<CviConnectionException>()).Which.Failure.Should().Be(CviConnectionFailure.RoomNotFound);
        transport.State.Should().Be(TransportState.Closed);
    }

    [Fact]
    public async Task A_throwing_ended_handler_and_an_unsubscribed_handler_are_harmless()
    {
        var seen = new Collector<string?>();
        EventHandler<CviEventArgs<UtteranceEvent>> removed = (_, e) => seen.Add("removed:" + e.Event.Speech);
        await using var h = await SessionHarness.StartAsync(beforeStart: s =>
        {
            s.Ended += (_, _) => throw new InvalidOperationException("bug in an Ended handler");
            s.UtteranceReceived += removed;
            s.UtteranceReceived += (_, e) => seen.Add(e.Event.Speech);
        });
        h.Session.UtteranceReceived -= removed;

        await h.SendFromReplicaAsync(Events.Utterance("user", "hello"));
        await seen.WaitForCountAsync(1);
        await h.Session.LeaveAsync();
        (await h.Session.Completion.Within()).Should().Be(CviSessionEndReason.Left);
        seen.Items.Should().Equal("hello");
    }
}
