using Tavus.Cvi.Interactions.Protocol;
using Tavus.Cvi.Interactions.Session;

namespace Tavus.Cvi.Interactions.Tests.Session;

public class SessionReceiveTests
{
    private static readonly string[] Mixed =
    [
        Events.ReplicaJoined,
        Events.UserStarted("u1"),
        Events.UserStopped("u1"),
        Events.Utterance("user", "Hi there", "u1"),
        Events.ToolCall("get_weather", """{"city":"Paris"}"""),
        Events.StartedSpeaking("replica", "r1"),
        Events.Streaming("replica", "Hello", 0, false, "r1"),
        Events.Streaming("replica", "Hello there", 1, true, "r1"),
        Events.Utterance("replica", "Hello there", "r1"),
        Events.StoppedSpeaking("replica", "r1"),
        Events.Unknown,
        "[1,2,3]",
        Events.PerceptionAnalysis("The user smiled."),
        Events.Shutdown,
    ];

    [Fact]
    public async Task Every_event_reaches_all_three_receiving_styles_in_the_same_order()
    {
        var all = new Collector<CviEvent>();
        var typed = new Collector<CviEvent>();
        await using var h = await SessionHarness.StartAsync(beforeStart: s =>
        {
            s.EventReceived += (_, e) => all.Add(e.Event);
            s.ToolCallReceived += (_, e) => typed.Add(e.Event);
            s.UtteranceReceived += (_, e) => typed.Add(e.Event);
            s.StreamingUtteranceReceived += (_, e) => typed.Add(e.Event);
            s.UnknownEventReceived += (_, e) => typed.Add(e.Event);
            s.InvalidMessageReceived += (_, e) => typed.Add(e.Event);
            s.PerceptionAnalysisReceived += (_, e) => typed.Add(e.Event);
            s.ShutdownReceived += (_, e) => typed.Add(e.Event);
            s.ReplicaJoined += (_, e) => typed.Add(e.Event);
        });

        var waitedToolCall = h.Session.WaitForEventAsync<ToolCallEvent>(t => t.Name == "get_weather");
        var waitedShutdown = h.Session.WaitForEventAsync<ShutdownEvent>();
        var read = new List<CviEvent>();
        var reading = Task.Run(async () =>
        {
            await foreach (var e in h.Session.ReadEventsAsync())
            {
                read.Add(e);
                if (read.Count == Mixed.Length) break;
            }
        });

        foreach (var json in Mixed) await h.SendFromReplicaAsync(json);
        await reading.Within();
        await all.WaitForCountAsync(Mixed.Length);

        var expectedTypes = new[]
        {
            typeof(ReplicaJoinedEvent), typeof(UserStartedSpeakingEvent), typeof(UserStoppedSpeakingEvent), typeof(UtteranceEvent),
            typeof(ToolCallEvent), typeof(StartedSpeakingEvent), typeof(StreamingUtteranceEvent), typeof(StreamingUtteranceEvent),
            typeof(UtteranceEvent), typeof(StoppedSpeakingEvent), typeof(UnknownEvent), typeof(InvalidMessageEvent),
            typeof(PerceptionAnalysisEvent), typeof(ShutdownEvent),
        };
        read.Select(e => e.GetType()).Should().Equal(expectedTypes);
        all.Items.Should().Equal(read, "EventReceived sees the very same instances in the same order");
        (await waitedToolCall.Within()).Should().BeSameAs(read[4], "the awaitable helpers see the same instances");
        (await waitedShutdown.Within()).Should().BeSameAs(read[^1]);

        var typedExpected = read.Where(e => e is not (UserStartedSpeakingEvent or UserStoppedSpeakingEvent or StartedSpeakingEvent or StoppedSpeakingEvent)).ToList();
        await typed.WaitForCountAsync(typedExpected.Count);
        typed.Items.Should().BeEquivalentTo(typedExpected, o => o.ComparingByValue<CviEvent>(), "each event is raised once, on its own typed event");
        foreach (var group in typed.Items.GroupBy(e => e.GetType()))
        {
            // Each handler sees its events in the stream's order (handlers of different events run independently).
            group.Should().Equal(read.Where(e => e.GetType() == group.Key), "the handler of {0} sees them in order", group.Key.Name);
        }
    }

    [Fact]
    public async Task First_reader_gets_the_events_that_arrived_before_it_started()
    {
        await using var h = await SessionHarness.StartAsync();
        await h.SendFromReplicaAsync(Events.Utterance("user", "early"));
        await h.SendFromReplicaAsync(Events.Utterance("user", "late"));

        var speeches = new List<string?>();
        await foreach (var e in h.Session.ReadEventsAsync())
        {
            speeches.Add(((UtteranceEvent)e).Speech);
            if (speeches.Count == 2) break;
        }

        speeches.Should().Equal("early", "late");
    }

    [Fact]
    public async Task Typed_speaking_events_fire_once_per_change_whatever_mix_of_reports_tavus_sends()
    {
        var log = new Collector<string>();
        await using var h = await SessionHarness.StartAsync(beforeStart: s =>
        {
            s.ReplicaStartedSpeaking += (_, e) => log.Add($"replica+ {e.InferenceId} {e.Role}");
            s.ReplicaStoppedSpeaking += (_, e) => log.Add($"replica- {e.InferenceId} {e.Duration?.TotalSeconds}");
            s.UserStartedSpeaking += (_, e) => log.Add($"user+ {e.InferenceId}");
            s.UserStoppedSpeaking += (_, e) => log.Add($"user- {e.InferenceId}");
            s.ReplicaInterrupted += (_, e) => log.Add($"interrupted {e.InferenceId}");
        });

        // Turn 1: new and legacy events, PAL duplicates, in Tavus's parallel order.
        await h.SendFromReplicaAsync(Events.UserStarted("u1"));
        await h.SendFromReplicaAsync(Events.StartedSpeaking("user", "u1"));
        await h.SendFromReplicaAsync(Events.StoppedSpeaking("user", "u1"));
        await h.SendFromReplicaAsync(Events.UserStopped("u1"));
        await h.SendFromReplicaAsync(Events.StartedSpeaking("pal", "r1"));
        await h.SendFromReplicaAsync(Events.StartedSpeaking("replica", "r1"));
        await h.SendFromReplicaAsync(Events.ReplicaStarted("r1"));
        await h.SendFromReplicaAsync(Events.StoppedSpeaking("pal", "r1", duration: 3.5));
        await h.SendFromReplicaAsync(Events.StoppedSpeaking("replica", "r1", duration: 3.5));
        await h.SendFromReplicaAsync(Events.ReplicaStopped("r1"));

        // Turn 2: legacy only, without inference ids.
        await h.SendFromReplicaAsync(Events.ReplicaStarted(null));
        await h.SendFromReplicaAsync(Events.ReplicaStopped(null));

        // Turn 3: interrupted, reported by the new stop and by the legacy event.
        await h.SendFromReplicaAsync(Events.StartedSpeaking("replica", "r3"));
        await h.SendFromReplicaAsync(Events.StoppedSpeaking("replica", "r3", interrupted: true, duration: 0.5));
        await h.SendFromReplicaAsync(Events.ReplicaInterrupted("r3"));

        await log.WaitForCountAsync(9);
        await h.Session.LeaveAsync();
        log.Items.Should().BeEquivalentTo(
        [
            "user+ u1", "user- u1",
            "replica+ r1 replica", "replica- r1 3.5",
            "replica+  replica", "replica-  2",
            "replica+ r3 replica", "replica- r3 0.5", "interrupted r3",
        ]);
    }

    [Fact]
    public async Task Pal_duplicates_are_folded_by_default()
    {
        var utterances = new Collector<UtteranceEvent>();
        await using var h = await SessionHarness.StartAsync(beforeStart: s => s.UtteranceReceived += (_, e) => utterances.Add(e.Event));

        await h.SendFromReplicaAsync(Events.Utterance("pal", "Hello", "r1", seq: 10));
        await h.SendFromReplicaAsync(Events.Utterance("replica", "Hello", "r1", seq: 11));
        await h.SendFromReplicaAsync(Events.Utterance("replica", "Different", "r2", seq: 12));
        await h.SendFromReplicaAsync(Events.Utterance("user", "Me", "u1", seq: 13));
        await h.SendFromReplicaAsync(Events.Utterance("user", "Me", "u1", seq: 14));

        await utterances.WaitForCountAsync(4);
        await h.Session.LeaveAsync();
        utterances.Items.Select(u => (u.Role?.Value, u.Speech)).Should().Equal(
            ("pal", "Hello"), ("replica", "Different"), ("user", "Me"), ("user", "Me"));
    }

    [Fact]
    public async Task Pal_duplicates_are_kept_when_folding_is_off()
    {
        var utterances = new Collector<UtteranceEvent>();
        await using var h = await SessionHarness.StartAsync(
            o => o.FoldPalReplicaDuplicates = false,
            beforeStart: s => s.UtteranceReceived += (_, e) => utterances.Add(e.Event));

        await h.SendFromReplicaAsync(Events.Utterance("pal", "Hello", "r1", seq: 10));
        await h.SendFromReplicaAsync(Events.Utterance("replica", "Hello", "r1", seq: 10));

        await utterances.WaitForCountAsync(2);
        utterances.Items.Select(u => u.Role?.Value).Should().Equal("pal", "replica");
    }

    [Fact]
    public async Task Events_are_delivered_in_seq_order_when_asked()
    {
        await using var h = await SessionHarness.StartAsync(o =>
        {
            o.OrderBySeq = true;
            o.SeqReorderTimeout = TimeSpan.FromMilliseconds(200);
        });

        await h.SendFromReplicaAsync(Events.Utterance("user", "one", "a", seq: 1));
        await h.SendFromReplicaAsync(Events.Utterance("user", "three", "c", seq: 3));
        await h.SendFromReplicaAsync(Events.Utterance("user", "two", "b", seq: 2));
        await h.SendFromReplicaAsync(Events.Utterance("user", "five", "e", seq: 5)); // 4 never comes
        await h.SendFromReplicaAsync(Events.Utterance("user", "no seq", "x"));

        var seen = new List<string?>();
        await using var e = h.Session.ReadEventsAsync().GetAsyncEnumerator();
        for (int i = 0; i < 4; i++)
        {
            (await e.MoveNextAsync().AsTask().Within()).Should().BeTrue();
            seen.Add(((UtteranceEvent)e.Current).Speech);
        }

        seen.Should().Equal("one", "two", "three", "no seq");

        // "five" waits for the missing seq 4 until the timeout passes on the session's clock.
        var next = e.MoveNextAsync().AsTask();
        next.IsCompleted.Should().BeFalse();
        h.Time.Advance(TimeSpan.FromMilliseconds(200));
        (await next.Within()).Should().BeTrue();
        ((UtteranceEvent)e.Current).Speech.Should().Be("five");
    }

    [Fact]
    public async Task Seq_ordering_and_pal_folding_work_together_and_the_end_releases_held_events()
    {
        await using var h = await SessionHarness.StartAsync(o => o.OrderBySeq = true);

        await h.SendFromReplicaAsync(Events.Utterance("user", "first", "u1", seq: 1));
        await h.SendFromReplicaAsync(Events.Utterance("pal", "answer", "r1", seq: 3));
        await h.SendFromReplicaAsync(Events.Utterance("replica", "answer", "r1", seq: 3));
        await h.SendFromReplicaAsync(Events.Utterance("user", "second", "u2", seq: 2));
        await h.SendFromReplicaAsync(Events.Utterance("user", "after a gap", "u3", seq: 5));
        h.Room.Delete();

        var got = new List<string?>();
        await foreach (var e in h.Session.ReadEventsAsync()) got.Add($"{((UtteranceEvent)e).Role}:{((UtteranceEvent)e).Speech}");
        got.Should().Equal("user:first", "user:second", "pal:answer", "user:after a gap");
        (await h.Session.Completion.Within()).Should().Be(CviSessionEndReason.RoomDeleted);
    }

    [Fact]
    public async Task Bad_input_becomes_notifications_and_the_session_keeps_working()
    {
        var invalid = new Collector<InvalidMessageEvent>();
        var unknown = new Collector<UnknownEvent>();
        await using var h = await SessionHarness.StartAsync(maxMessageSize: 2_000_000, beforeStart: s =>
        {
            s.InvalidMessageReceived += (_, e) => invalid.Add(e.Event);
            s.UnknownEventReceived += (_, e) => unknown.Add(e.Event);
        });

        string[] bad =
        [
            """{"message_type":"conversation","event_type":"conversation.utte""",
            "[1,2,3]",
            "42",
            """{"message_type":"conversation","properties":{"speech":"no type"}}""",
            """{"message_type":"conversation","event_type":"conversation.utterance","properties":{"role":"user","speech":17}}""",
            """{"message_type":"conversation","event_type":"conversation.tool_call","seq":"not a number","properties":{"name":"x"}}""",
            "{\"event_type\":\"conversation.utterance\",\"properties\":{\"speech\":\"" + new string('a', 1_000_000) + "\"}}",
            "",
        ];
        // WaitForEventAsync waits for the *next* matching event: start waiting before sending, or a fast receive loop
        // can deliver the utterance first and the wait never ends.
        var afterTheStorm = h.Session.WaitForEventAsync<UtteranceEvent>(u => u.Speech == "after the storm");
        foreach (var json in bad) await h.SendFromReplicaAsync(json);
        await h.SendFromReplicaAsync(Events.Unknown);
        await h.SendFromReplicaAsync(Events.Utterance("user", "after the storm"));

        var good = await afterTheStorm.Within();
        good.Should().NotBeNull();
        await invalid.WaitForCountAsync(bad.Length);
        invalid.Items.Select(i => i.Kind).Should().Equal(
            InvalidMessageKind.NotJson, InvalidMessageKind.NotAnObject, InvalidMessageKind.NotAnObject, InvalidMessageKind.MissingEventType,
            InvalidMessageKind.InvalidField, InvalidMessageKind.InvalidField, InvalidMessageKind.TooLarge, InvalidMessageKind.NotJson);
        await unknown.WaitForCountAsync(1);
        unknown.Items[0].EventType.Should().Be("conversation.something_new");
        h.Session.HasEnded.Should().BeFalse();
    }

    [Fact]
    public async Task A_throwing_and_a_slow_handler_do_not_stall_the_others()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var slowSeen = new Collector<string?>();
        var fast = new Collector<string?>();
        var thrown = new Collector<string?>();
        await using var h = await SessionHarness.StartAsync(beforeStart: s =>
        {
            s.UtteranceReceived += (_, e) =>
            {
                thrown.Add(e.Event.Speech);
                throw new InvalidOperationException("handler bug");
            };
            s.UtteranceReceived += (_, e) =>
            {
                slowSeen.Add(e.Event.Speech);
                release.Task.Wait(); // blocks its own queue only
            };
            s.UtteranceReceived += (_, e) => fast.Add(e.Event.Speech);
        });

        for (int i = 0; i < 20; i++) await h.SendFromReplicaAsync(Events.Utterance("user", $"u{i}", $"i{i}"));

        await fast.WaitForCountAsync(20);
        fast.Items.Should().Equal(Enumerable.Range(0, 20).Select(i => (string?)$"u{i}"));
        var read = new List<CviEvent>();
        await foreach (var e in h.Session.ReadEventsAsync())
        {
            read.Add(e);
            if (read.Count == 20) break;
        }

        await slowSeen.WaitForCountAsync(1); // the slow handler is stuck on its first event all along
        slowSeen.Items.Should().Equal("u0");
        await thrown.WaitForCountAsync(20); // a throwing handler is called for every event all the same
        thrown.Items.Should().Equal(fast.Items);
        await h.Session.RespondAsync("the session still sends");
        release.SetResult();
        await slowSeen.WaitForCountAsync(20);
        slowSeen.Items.Should().Equal(Enumerable.Range(0, 20).Select(i => (string?)$"u{i}"));
        h.Session.HasEnded.Should().BeFalse();
    }

    [Fact]
    public async Task A_slow_reader_loses_its_oldest_events_and_nobody_else_does()
    {
        await using var h = await SessionHarness.StartAsync(o => o.EventBufferCapacity = 4);

        await using var slow = h.Session.ReadEventsAsync().GetAsyncEnumerator();
        var last = h.Session.WaitForEventAsync<UtteranceEvent>(u => u.Speech == "u9");
        for (int i = 0; i < 10; i++) await h.SendFromReplicaAsync(Events.Utterance("user", $"u{i}", $"i{i}"));
        await last.Within();
        await h.Session.LeaveAsync();

        var got = new List<string?>();
        while (await slow.MoveNextAsync()) got.Add(((UtteranceEvent)slow.Current).Speech);
        got.Should().Equal("u6", "u7", "u8", "u9");
    }

    [Fact]
    public async Task A_slow_reader_fails_under_fail_reader_mode()
    {
        await using var h = await SessionHarness.StartAsync(o =>
        {
            o.EventBufferCapacity = 3;
            o.EventBufferFullMode = EventBufferFullMode.FailReader;
        });
        _ = h.Session.ReadEventsAsync(); // the first reader keeps a backlog that always drops its oldest
        await using var slow = h.Session.ReadEventsAsync().GetAsyncEnumerator();
        var last = h.Session.WaitForEventAsync<UtteranceEvent>(u => u.Speech == "u4");
        for (int i = 0; i < 5; i++) await h.SendFromReplicaAsync(Events.Utterance("user", $"u{i}", $"i{i}"));
        await last.Within();

        var got = new List<string?>();
        var act = async () =>
        {
            while (await slow.MoveNextAsync()) got.Add(((UtteranceEvent)slow.Current).Speech);
        };
        (await act.Should().ThrowAsync<Tavus.Cvi.Interactions.Transport.CviException>()).Which.Message.Should().Contain("fell more than 3");
        got.Should().Equal("u0", "u1", "u2");
    }
}
