using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Tavus.Cvi.Emulator.Faults;
using Tavus.Cvi.Interactions.Daily;
using Tavus.Cvi.Interactions.Protocol;
using Tavus.Cvi.Interactions.Session;
using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.EndToEnd.Tests.Daily;

/// <summary>
/// Each emulator fault against the SDK, and its documented outcome (docs/transports.md): interactions sent after the
/// transport noticed a loss are delivered once, in order; nothing is ever duplicated; endings close with a reason.
/// </summary>
public sealed class FaultsOverEmulatorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Dropped_socket_reconnects_and_interactions_sent_meanwhile_arrive_once_in_order()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var conversation = await h.CreateConversationAsync();
        await using var session = await h.JoinAsync(conversation);
        var log = SessionEventLog.Start(session);
        var states = StateWatcher.Attach(session);
        var transport = (DailyTransport)session.Transport;
        await log.WaitForAsync<ReplicaJoinedEvent>();
        for (var i = 1; i <= 3; i++)
        {
            await session.EchoAsync($"before {i}", cancellationToken: Ct);
        }

        // In flight when the socket dies, a message can be lost (Daily has no acknowledgement, docs/transports.md); here
        // the drop comes after the server spoke the last one.
        await log.WaitForAsync<UtteranceEvent>(u => u.Speech == "before 3");
        h.Emulator.DropConnections(conversation.ConversationId, transport.SessionId).Should().Be(1);
        await states.WaitForAsync(TransportState.Reconnecting);
        var during = Enumerable.Range(1, 5).Select(i => session.EchoAsync($"during {i}", cancellationToken: Ct)).ToList();
        await Task.WhenAll(during).WaitAsync(EmulatorHarness.Timeout, Ct);
        await states.WaitForAsync(TransportState.Connected);
        await session.EchoAsync("after 1", cancellationToken: Ct);
        await log.WaitForAsync<UtteranceEvent>(u => u.Speech == "after 1");

        EchoTexts(h, conversation.ConversationId, transport.SessionId).Should().Equal(
            "before 1", "before 2", "before 3", "during 1", "during 2", "during 3", "during 4", "during 5", "after 1");
        session.HasEnded.Should().BeFalse();
        h.Emulator.GetParticipants(conversation.ConversationId).Count(p => p.SessionId == transport.SessionId).Should().Be(1, "the same session id rejoined");
    }

    [Fact]
    public async Task A_socket_cut_after_n_frames_loses_and_duplicates_nothing_sent_after_the_loss_is_known()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var conversation = await h.CreateConversationAsync();
        await using var session = await h.JoinAsync(conversation);
        var log = SessionEventLog.Start(session);
        var states = StateWatcher.Attach(session);
        var transport = (DailyTransport)session.Transport;
        await log.WaitForAsync<ReplicaJoinedEvent>();

        h.Emulator.FaultsFor(conversation.ConversationId).DropSocketAfterFrames = 3;
        for (var i = 1; i <= 3; i++)
        {
            await session.EchoAsync($"first {i}", cancellationToken: Ct);
        }

        await states.WaitForAsync(TransportState.Reconnecting);
        for (var i = 1; i <= 3; i++)
        {
            await session.EchoAsync($"second {i}", cancellationToken: Ct);
        }

        await log.WaitForAsync<UtteranceEvent>(u => u.Speech == "second 3");
        EchoTexts(h, conversation.ConversationId, transport.SessionId).Should().Equal("first 1", "first 2", "first 3", "second 1", "second 2", "second 3");
    }

    [Fact]
    public async Task A_stalled_socket_is_detected_by_heartbeat_and_replaced()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var conversation = await h.CreateConversationAsync();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var options = h.SessionOptions(o => o.ReconnectInitialDelay = TimeSpan.Zero);
        options.TimeProvider = time;
        await using var session = await h.JoinAsync(conversation, options);
        var log = SessionEventLog.Start(session);
        var states = StateWatcher.Attach(session);
        var transport = (DailyTransport)session.Transport;
        await log.WaitForAsync<ReplicaJoinedEvent>();

        h.Emulator.StallConnections(conversation.ConversationId, transport.SessionId).Should().Be(1);
        // Heartbeats every 2 s go unanswered; after 10 s of silence the socket is stale (daily-protocol.md §4.5).
        for (var second = 0; second < 13 && !states.Seen(TransportState.Reconnecting); second++)
        {
            time.Advance(TimeSpan.FromSeconds(1));
        }

        await states.WaitForAsync(TransportState.Reconnecting);
        await session.EchoAsync("after the stall", cancellationToken: Ct);
        await states.WaitForAsync(TransportState.Connected);
        await log.WaitForAsync<UtteranceEvent>(u => u.Speech == "after the stall");
        EchoTexts(h, conversation.ConversationId, transport.SessionId).Should().ContainSingle().Which.Should().Be("after the stall");
    }

    [Fact]
    public async Task Duplicated_replica_events_do_not_double_the_typed_speaking_changes()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var conversation = await h.CreateConversationAsync();
        await using var session = await h.JoinAsync(conversation);
        var log = SessionEventLog.Start(session);
        var started = 0;
        session.ReplicaStartedSpeaking += (_, _) => Interlocked.Increment(ref started);
        await log.WaitForAsync<UtteranceEvent>(u => u.Speech != null && u.Speech.StartsWith("Hi, I'm Emu", StringComparison.Ordinal));
        await session.WaitForReplicaToFinishSpeakingAsync(cancellationToken: Ct);
        var startedBefore = Volatile.Read(ref started);

        h.Emulator.FaultsFor(conversation.ConversationId).DuplicateEvents = true;
        await session.RespondAsync("hello", Ct);
        await log.WaitForAsync<UtteranceEvent>(u => u.Speech == "Hello! Nice to meet you.");
        await session.WaitForReplicaToFinishSpeakingAsync(cancellationToken: Ct);

        Volatile.Read(ref started).Should().Be(startedBefore + 1, "one speaking change, however many copies arrived");
        log.Snapshot().OfType<InvalidMessageEvent>().Should().BeEmpty();
        EchoTexts(h, conversation.ConversationId, ((DailyTransport)session.Transport).SessionId).Should().BeEmpty();
        h.RelayedFrom(conversation.ConversationId, ((DailyTransport)session.Transport).SessionId).Should().ContainSingle("the respond went out once");
    }

    [Fact]
    public async Task Reordered_replica_events_are_delivered_in_seq_order_when_asked()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var conversation = await h.CreateConversationAsync();
        var options = h.SessionOptions();
        options.OrderBySeq = true;
        await using var session = await h.JoinAsync(conversation, options);
        var log = SessionEventLog.Start(session);
        await log.WaitForAsync<ReplicaJoinedEvent>();
        await session.WaitForReplicaToFinishSpeakingAsync(cancellationToken: Ct);
        var from = log.Snapshot().Count;

        h.Emulator.FaultsFor(conversation.ConversationId).ReorderEvents = true;
        await session.RespondAsync("hello", Ct);
        await log.WaitForAsync<UtteranceEvent>(u => u.Speech == "Hello! Nice to meet you.");
        await session.WaitForReplicaToFinishSpeakingAsync(cancellationToken: Ct);

        var seqs = log.Snapshot().Skip(from).Where(e => e.Seq is not null).Select(e => e.Seq!.Value).ToList();
        seqs.Should().NotBeEmpty().And.BeInAscendingOrder();
    }

    [Fact]
    public async Task Malformed_frames_become_notifications_and_the_session_keeps_working()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var conversation = await h.CreateConversationAsync();
        await using var session = await h.JoinAsync(conversation);
        var log = SessionEventLog.Start(session);
        await log.WaitForAsync<ReplicaJoinedEvent>();

        foreach (var kind in Enum.GetValues<MalformedFrameKind>())
        {
            h.Emulator.SendMalformedFrame(conversation.ConversationId, kind).Should().BeGreaterThan(0);
        }

        await session.RespondAsync("hello", Ct);
        await log.WaitForAsync<UtteranceEvent>(u => u.Speech == "Hello! Nice to meet you.");
        session.ConnectionState.Should().Be(TransportState.Connected);
        log.Snapshot().OfType<InvalidMessageEvent>().Should().NotBeEmpty();
        log.Snapshot().OfType<UnknownEvent>().Should().NotBeEmpty();
    }

    [Fact]
    public async Task Oversized_messages_are_refused_outbound_and_accepted_inbound()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var conversation = await h.CreateConversationAsync();
        await using var session = await h.JoinAsync(conversation);
        var log = SessionEventLog.Start(session);
        await log.WaitForAsync<ReplicaJoinedEvent>();
        var transport = (DailyTransport)session.Transport;

        var tooLong = new string('x', 5000);
        await FluentActions.Awaiting(() => session.EchoAsync(tooLong, cancellationToken: Ct)).Should().ThrowAsync<CviMessageTooLargeException>();
        h.Emulator.SendOversizedAppMessage(conversation.ConversationId, 16_384).Should().Be(1);

        (await log.WaitForAsync<UtteranceEvent>(u => u.Speech != null && u.Speech.Length > 10_000)).Should().NotBeNull();
        h.RelayedFrom(conversation.ConversationId, transport.SessionId).Should().BeEmpty("nothing oversized was sent");
        session.ConnectionState.Should().Be(TransportState.Connected);
    }

    public static TheoryData<string, CviSessionEndReason> Endings => new()
    {
        { "end", CviSessionEndReason.Shutdown }, // the replica announces system.shutdown before the room goes
        { "eject", CviSessionEndReason.Ejected },
        { "error-meeting", CviSessionEndReason.TransportError },
        { "peer", CviSessionEndReason.TransportError },
    };

    [Theory]
    [MemberData(nameof(Endings))]
    public async Task Room_endings_end_the_session_with_a_reason(string ending, CviSessionEndReason expected)
    {
        await using var h = await EmulatorHarness.StartAsync();
        var conversation = await h.CreateConversationAsync();
        await using var session = await h.JoinAsync(conversation);
        var log = SessionEventLog.Start(session);
        await log.WaitForAsync<ReplicaJoinedEvent>();
        var id = conversation.ConversationId;
        var me = ((DailyTransport)session.Transport).SessionId;

        var hit = ending switch
        {
            "end" => h.Emulator.EndConversation(id) ? 1 : 0,
            "eject" => h.Emulator.Eject(id, me),
            "error-meeting" => h.Emulator.SendErrorMeeting(id, "meeting error", me),
            _ => h.Emulator.SendSigAck(id, topology: "peer", sessionId: me),
        };
        hit.Should().BeGreaterThan(0);

        (await session.Completion.WaitAsync(EmulatorHarness.Timeout, Ct)).Should().Be(expected);
        session.ConnectionState.Should().Be(TransportState.Closed);
        await FluentActions.Awaiting(() => session.EchoAsync("too late", cancellationToken: Ct)).Should().ThrowAsync<CviException>();
        h.RelayedFrom(id, me).Should().BeEmpty();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_moved_meeting_is_followed_and_the_conversation_continues(bool newStyle)
    {
        await using var h = await EmulatorHarness.StartAsync();
        var conversation = await h.CreateConversationAsync();
        await using var session = await h.JoinAsync(conversation);
        var log = SessionEventLog.Start(session);
        var states = StateWatcher.Attach(session);
        await log.WaitForAsync<ReplicaJoinedEvent>();
        var me = ((DailyTransport)session.Transport).SessionId;

        h.Emulator.MoveMeeting(conversation.ConversationId, newStyle, me).Should().Be(1);
        await states.WaitForAsync(TransportState.Reconnecting);
        await states.WaitForAsync(TransportState.Connected);
        await session.RespondAsync("hello", Ct);

        await log.WaitForAsync<UtteranceEvent>(u => u.Speech == "Hello! Nice to meet you.");
        h.RelayedFrom(conversation.ConversationId, me).Should().ContainSingle();
    }

    [Theory]
    [InlineData(RoomLookupFault.NotFound, CviConnectionFailure.RoomNotFound)]
    [InlineData(RoomLookupFault.NbfRoom, CviConnectionFailure.RoomNotFound)]
    [InlineData(RoomLookupFault.ExpRoom, CviConnectionFailure.RoomNotFound)]
    [InlineData(RoomLookupFault.ServerError, CviConnectionFailure.Network)]
    [InlineData(RoomLookupFault.Slow, CviConnectionFailure.Network)]
    public async Task Lookup_faults_fail_the_join_with_their_kind(RoomLookupFault fault, CviConnectionFailure failure)
    {
        await using var h = await EmulatorHarness.StartAsync();
        var conversation = await h.CreateConversationAsync();
        var faults = h.Emulator.FaultsFor(conversation.ConversationId);
        faults.RoomLookup = fault;
        faults.RoomLookupDelay = TimeSpan.FromSeconds(10);
        var options = h.SessionOptions(o =>
        {
            o.JoinAttempts = 1;
            o.StepTimeout = TimeSpan.FromMilliseconds(500);
        });

        var thrown = await FluentActions.Awaiting(() => h.JoinAsync(conversation, options)).Should().ThrowAsync<CviConnectionException>();

        thrown.Which.Failure.Should().Be(failure);
        h.Emulator.GetParticipants(conversation.ConversationId).Should().BeEmpty();
    }

    [Fact]
    public async Task A_failed_lookup_or_refused_socket_is_retried_within_the_join_attempts()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var conversation = await h.CreateConversationAsync();
        var faults = h.Emulator.FaultsFor(conversation.ConversationId);
        faults.RoomLookup = RoomLookupFault.ServerError;
        faults.RoomLookupFaultCount = 1;
        faults.RefuseSignalingConnects = 1;

        await using var session = await h.JoinAsync(conversation);

        session.ConnectionState.Should().Be(TransportState.Connected);
    }

    [Fact]
    public async Task A_refused_primary_worker_uri_falls_back_to_the_alternate_form()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var conversation = await h.CreateConversationAsync();
        h.Emulator.FaultsFor(conversation.ConversationId).RefusePrimaryWorkerConnects = 5;

        await using var session = await h.JoinAsync(conversation);

        session.ConnectionState.Should().Be(TransportState.Connected);
        h.Emulator.FaultsFor(conversation.ConversationId).RefusePrimaryWorkerConnects.Should().Be(4, "only the first attempt used the primary form");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Missing_sfu_replies_time_out_the_join(bool drop)
    {
        await using var h = await EmulatorHarness.StartAsync();
        var conversation = await h.CreateConversationAsync();
        var faults = h.Emulator.FaultsFor(conversation.ConversationId);
        faults.DropSoupReplies = drop;
        faults.SoupReplyDelay = drop ? TimeSpan.Zero : TimeSpan.FromSeconds(10);
        var options = h.SessionOptions(o =>
        {
            o.JoinAttempts = 1;
            o.StepTimeout = TimeSpan.FromMilliseconds(500);
        });

        var thrown = await FluentActions.Awaiting(() => h.JoinAsync(conversation, options)).Should().ThrowAsync<CviConnectionException>();

        thrown.Which.Failure.Should().Be(CviConnectionFailure.Network);
        thrown.Which.Message.Should().Contain("join-as-new-peer");
    }

    private static List<string> EchoTexts(EmulatorHarness h, string conversationId, string sessionId) =>
        h.RelayedFrom(conversationId, sessionId)
            .Select(p => JsonDocument.Parse(p).RootElement)
            .Where(p => p.GetProperty("event_type").GetString() == "conversation.echo")
            .Select(p => p.GetProperty("properties").GetProperty("text").GetString()!)
            .ToList();

    /// <summary>Records a session's connection states and waits for one to be reached (after the last one waited for).</summary>
    private sealed class StateWatcher
    {
        private readonly List<TransportState> _states = [];
        private readonly Lock _gate = new();
        private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _cursor;

        public static StateWatcher Attach(CviSession session)
        {
            var watcher = new StateWatcher();
            session.ConnectionStateChanged += (_, e) =>
            {
                TaskCompletionSource changed;
                lock (watcher._gate)
                {
                    watcher._states.Add(e.State);
                    changed = watcher._changed;
                    watcher._changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                changed.TrySetResult();
            };
            return watcher;
        }

        public bool Seen(TransportState state)
        {
            lock (_gate)
            {
                return _states.Skip(_cursor).Contains(state);
            }
        }

        public async Task WaitForAsync(TransportState state)
        {
            using var timeout = new CancellationTokenSource(EmulatorHarness.Timeout);
            while (true)
            {
                Task changed;
                lock (_gate)
                {
                    var index = _states.IndexOf(state, _cursor);
                    if (index >= 0)
                    {
                        _cursor = index + 1;
                        return;
                    }

                    changed = _changed.Task;
                }

                await changed.WaitAsync(timeout.Token);
            }
        }
    }
}
