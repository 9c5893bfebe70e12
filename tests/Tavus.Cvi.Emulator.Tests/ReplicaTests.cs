using Tavus.Cvi.Emulator.Replica;
using Tavus.Cvi.Emulator.Tests.Infrastructure;
using static Tavus.Cvi.Emulator.Tests.Infrastructure.EmulatorHarness;

namespace Tavus.Cvi.Emulator.Tests;

/// <summary>The scripted replica (tavus-protocol.md §A, §B), observed as raw app messages.</summary>
public sealed class ReplicaTests
{
    private static bool IsEvent(RawFrame f) => f.EventType is not null;

    [Fact]
    public async Task The_replica_joins_announces_itself_and_greets_with_pal_and_legacy_events()
    {
        await using var h = await EmulatorHarness.StartAsync();
        string id = await h.CreateConversationIdAsync(new JsonObject { ["replica_id"] = "r9", ["custom_greeting"] = "Welcome to the emulated call" });
        await using RawSignalingClient c = await h.JoinAsync(id);
        string replica = h.Emulator.GetReplicaSessionId(id)!;

        List<RawFrame> events = c.Received.Where(IsEvent).ToList();
        events.Should().OnlyContain(f => f.Root.GetProperty("from").GetString() == replica && f.Tag == "x-egassem");
        RawFrame joined = events[0];
        joined.EventType.Should().Be("system.replica_joined");
        joined.MsgData.GetProperty("message_type").GetString().Should().Be("system");
        joined.MsgData.GetProperty("conversation_id").GetString().Should().Be(id);
        joined.Props.GetProperty("replica_id").GetString().Should().Be("r9");
        c.Received.FindIndex(f => f.MsgStr == "sig-presence" && f.Root.GetProperty("from").GetString() == replica)
            .Should().BeLessThan(c.Received.IndexOf(joined), "presence first, then the app message");

        List<RawFrame> greeting = events.Skip(1).ToList();
        greeting.Select(f => f.EventType + "/" + f.Role).Should().StartWith(
            ["conversation.started_speaking/pal", "conversation.started_speaking/replica", "conversation.replica.started_speaking/"]);
        greeting.Should().Contain(f => f.EventType == "conversation.utterance" && f.Role == "pal" && f.Props.GetProperty("speech").GetString() == "Welcome to the emulated call");
        greeting.Should().Contain(f => f.EventType == "conversation.utterance" && f.Role == "replica" && f.Props.GetProperty("speech").GetString() == "Welcome to the emulated call");
        RawFrame stopped = greeting.Last();
        stopped.EventType.Should().Be("conversation.replica.stopped_speaking");
        stopped.Props.GetProperty("duration").GetDouble().Should().BeApproximately(5 / 2.5, 0.001, "5 words at 2.5 words/s");
        stopped.Props.GetProperty("interrupted").GetBoolean().Should().BeFalse();

        events.Select(f => f.Seq).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        greeting.Should().OnlyContain(f => f.TurnIdx == 0 && f.InferenceId == greeting[0].InferenceId && f.MsgData.GetProperty("timestamp").ValueKind == JsonValueKind.Number);
        greeting.Where(f => f.EventType == "conversation.utterance.streaming").Select(f => f.Props.GetProperty("content_index").GetInt32())
            .Should().BeInAscendingOrder();
    }

    [Fact]
    public async Task Respond_produces_the_user_turn_then_a_streamed_reply_from_the_scenario()
    {
        await using var h = await EmulatorHarness.StartAsync();
        string id = await h.CreateConversationIdAsync();
        await using RawSignalingClient c = await h.JoinAsync(id);

        await SendInteractionAsync(c, id, "conversation.respond", new JsonObject { ["text"] = "Well hello there" });
        List<RawFrame> turn1 = (await c.CollectUntilAsync(f => f.EventType == "conversation.replica.stopped_speaking")).Where(IsEvent).ToList();
        turn1.Select(f => f.EventType + "/" + f.Role).Should().StartWith(
        [
            "conversation.started_speaking/user", "conversation.user.started_speaking/",
            "conversation.stopped_speaking/user", "conversation.user.stopped_speaking/",
            "conversation.utterance.streaming/user", "conversation.utterance/user",
            "conversation.started_speaking/pal", "conversation.started_speaking/replica", "conversation.replica.started_speaking/",
        ]);
        turn1.Single(f => f.EventType == "conversation.utterance" && f.Role == "user").Props.GetProperty("speech").GetString().Should().Be("Well hello there");
        turn1.Single(f => f.EventType == "conversation.utterance" && f.Role == "pal").Props.GetProperty("speech").GetString().Should().Be("Hello! Nice to meet you.");
        RawFrame final = turn1.Last(f => f.EventType == "conversation.utterance.streaming" && f.Role == "replica");
        final.Props.GetProperty("final").GetBoolean().Should().BeTrue();
        final.Props.GetProperty("speech").GetString().Should().Be("Hello! Nice to meet you.");
        turn1.Should().OnlyContain(f => f.TurnIdx == 1);
        turn1.Take(6).Select(f => f.InferenceId).Distinct().Should().ContainSingle("the user's events share one inference");
        turn1.Skip(6).Select(f => f.InferenceId).Distinct().Should().ContainSingle().Which.Should().NotBe(turn1[0].InferenceId);

        await SendInteractionAsync(c, id, "conversation.respond", new JsonObject { ["text"] = "something else" });
        List<RawFrame> turn2 = (await c.CollectUntilAsync(f => f.EventType == "conversation.replica.stopped_speaking")).Where(IsEvent).ToList();
        turn2.Should().OnlyContain(f => f.TurnIdx == 2);
        turn2.Single(f => f.EventType == "conversation.utterance" && f.Role == "replica").Props.GetProperty("speech").GetString().Should().Be("You said: something else");
        turn1.Concat(turn2).Select(f => f.Seq).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
    }

    [Fact]
    public async Task Echo_text_is_assembled_by_inference_id_and_spoken_verbatim_with_its_duration()
    {
        await using var h = await EmulatorHarness.StartAsync();
        string id = await h.CreateConversationIdAsync();
        await using RawSignalingClient c = await h.JoinAsync(id);

        await SendInteractionAsync(c, id, "conversation.echo", new JsonObject { ["modality"] = "text", ["text"] = "one two ", ["inference_id"] = "inf-1", ["done"] = false });
        await SendInteractionAsync(c, id, "conversation.echo", new JsonObject { ["modality"] = "text", ["text"] = "three four five", ["inference_id"] = "inf-1", ["done"] = "true" });
        List<RawFrame> events = (await c.CollectUntilAsync(f => f.EventType == "conversation.replica.stopped_speaking")).Where(IsEvent).ToList();
        events.Should().OnlyContain(f => f.InferenceId == "inf-1");
        events.Single(f => f.EventType == "conversation.utterance" && f.Role == "replica").Props.GetProperty("speech").GetString().Should().Be("one two three four five");
        events.Last().Props.GetProperty("duration").GetDouble().Should().Be(2.0);
        events.Should().NotContain(f => f.Role == "user", "echo bypasses the user turn");
    }

    [Fact]
    public async Task Echo_audio_is_decoded_measured_with_its_sample_rate_and_reported_as_the_duration()
    {
        await using var h = await EmulatorHarness.StartAsync();
        string id = await h.CreateConversationIdAsync();
        await using RawSignalingClient c = await h.JoinAsync(id);

        // 0.12 s of 16 kHz 16-bit mono PCM in three 40 ms chunks (1280 bytes each: under the 4096-unit app-message limit).
        for (int i = 0; i < 3; i++)
        {
            await SendInteractionAsync(c, id, "conversation.echo", new JsonObject
            {
                ["modality"] = "audio", ["audio"] = Convert.ToBase64String(new byte[1280]), ["sample_rate"] = 16000,
                ["inference_id"] = "audio-1", ["done"] = i == 2,
            });
        }

        List<RawFrame> events = (await c.CollectUntilAsync(f => f.EventType == "conversation.replica.stopped_speaking")).Where(IsEvent).ToList();
        events.Select(f => f.EventType).Should().Contain("conversation.started_speaking").And.NotContain("conversation.utterance");
        events.Should().OnlyContain(f => f.InferenceId == "audio-1");
        events.Last().Props.GetProperty("duration").GetDouble().Should().BeApproximately(0.12, 1e-9);
        events.Single(f => f.EventType == "conversation.stopped_speaking" && f.Role == "pal").Props.GetProperty("duration").GetDouble().Should().BeApproximately(0.12, 1e-9);

        // Without sample_rate the SDK's default (24 kHz) applies: 960 bytes = 20 ms.
        await SendInteractionAsync(c, id, "conversation.echo", new JsonObject { ["modality"] = "audio", ["audio"] = Convert.ToBase64String(new byte[960]), ["inference_id"] = "audio-2", ["done"] = true });
        (await c.WaitForAsync(f => f.EventType == "conversation.replica.stopped_speaking")).Props.GetProperty("duration").GetDouble().Should().BeApproximately(0.02, 1e-9);
    }

    [Fact]
    public async Task Interrupt_stops_the_reply_mid_speech_with_the_interrupted_flags()
    {
        var scenario = new EmulatorScenario { Greeting = null, Timings = new ScenarioTimings { ChunkInterval = TimeSpan.FromMilliseconds(300), WordsPerChunk = 2 } };
        await using var h = await EmulatorHarness.StartAsync(new CviEmulatorOptions { Scenario = scenario });
        string id = await h.CreateConversationIdAsync();
        await using RawSignalingClient c = await h.JoinAsync(id);

        string text = string.Join(' ', Enumerable.Range(1, 40).Select(i => "word" + i));
        await SendInteractionAsync(c, id, "conversation.echo", new JsonObject { ["modality"] = "text", ["text"] = text, ["done"] = true });
        RawFrame firstChunk = await c.WaitForAsync(f => f.EventType == "conversation.utterance.streaming" && f.Role == "replica");
        await SendInteractionAsync(c, id, "conversation.interrupt");
        List<RawFrame> rest = (await c.CollectUntilAsync(f => f.EventType == "conversation.replica_interrupted")).Where(IsEvent).ToList();

        RawFrame finalStream = rest.Single(f => f.EventType == "conversation.utterance.streaming" && f.Role == "replica" && f.Props.GetProperty("final").GetBoolean());
        finalStream.Props.GetProperty("is_interrupted").GetBoolean().Should().BeTrue();
        string spoken = finalStream.Props.GetProperty("speech").GetString()!;
        text.Should().StartWith(spoken);
        spoken.Length.Should().BeGreaterThanOrEqualTo(firstChunk.Props.GetProperty("speech").GetString()!.Length).And.BeLessThan(text.Length);
        RawFrame utterance = rest.Single(f => f.EventType == "conversation.utterance" && f.Role == "pal");
        utterance.Props.GetProperty("speech").GetString().Should().Be(text, "the utterance carries the whole response");
        utterance.Props.GetProperty("interrupted").GetBoolean().Should().BeTrue();
        RawFrame stopped = rest.Single(f => f.EventType == "conversation.replica.stopped_speaking");
        stopped.Props.GetProperty("interrupted").GetBoolean().Should().BeTrue();
        stopped.Props.GetProperty("duration").GetDouble().Should().BeApproximately(spoken.Split(' ').Length / 2.5, 0.001);
        rest.Last().InferenceId.Should().Be(firstChunk.InferenceId);
    }

    [Fact]
    public async Task An_interrupt_while_the_replica_is_still_thinking_cancels_the_reply_silently()
    {
        var time = new ObservableFakeTime();
        var scenario = new EmulatorScenario { Greeting = null, Timings = new ScenarioTimings { ReplicaJoinDelay = TimeSpan.Zero, ReplyDelay = TimeSpan.FromSeconds(10), ChunkInterval = TimeSpan.Zero } };
        await using var h = await EmulatorHarness.StartAsync(new CviEmulatorOptions { Scenario = scenario, TimeProvider = time });
        string id = await h.CreateConversationIdAsync();
        await using RawSignalingClient c = await h.JoinAsync(id);

        await SendInteractionAsync(c, id, "conversation.respond", new JsonObject { ["text"] = "first" });
        await c.WaitForAsync(f => f.EventType == "conversation.utterance" && f.Role == "user");
        await SendInteractionAsync(c, id, "conversation.interrupt");
        await SendInteractionAsync(c, id, "conversation.respond", new JsonObject { ["text"] = "second" });
        await c.WaitForAsync(f => f.EventType == "conversation.utterance" && f.Role == "user");
        time.Advance(TimeSpan.FromSeconds(10));
        List<RawFrame> got = await c.CollectUntilAsync(f => f.EventType == "conversation.replica.stopped_speaking");
        got.Where(f => f.EventType == "conversation.utterance").Select(f => f.Props.GetProperty("speech").GetString()).Should().Equal("You said: second", "You said: second");
        c.Received.Should().NotContain(f => f.EventType == "conversation.replica_interrupted", "nothing was being said");
        got.Last().TurnIdx.Should().Be(2);
    }

    [Fact]
    public async Task Overwrite_and_append_context_change_later_replies()
    {
        var scenario = new EmulatorScenario
        {
            Greeting = null,
            Replies =
            [
                new ScenarioReply { When = "plan", WhenContext = "premium", Reply = "You are on the premium plan." },
                new ScenarioReply { When = "context", Reply = "Context: {context}" },
            ],
        };
        await using var h = await EmulatorHarness.StartAsync(new CviEmulatorOptions { Scenario = scenario });
        string id = await h.CreateConversationIdAsync(new JsonObject { ["conversational_context"] = "Initial." });
        await using RawSignalingClient c = await h.JoinAsync(id);

        async Task<string> AskAsync(string text)
        {
            await SendInteractionAsync(c, id, "conversation.respond", new JsonObject { ["text"] = text });
            return (await c.WaitForAsync(f => f.EventType == "conversation.utterance" && f.Role == "replica")).Props.GetProperty("speech").GetString()!;
        }

        (await AskAsync("what context?")).Should().Be("Context: Initial.");
        (await AskAsync("which plan?")).Should().Be("You said: which plan?");
        await SendInteractionAsync(c, id, "conversation.overwrite_llm_context", new JsonObject { ["context"] = "User has premium." });
        (await AskAsync("which plan?")).Should().Be("You are on the premium plan.");
        await SendInteractionAsync(c, id, "conversation.append_llm_context", new JsonObject { ["context"] = "Likes cats." });
        (await AskAsync("context please")).Should().Be("Context: User has premium.\nLikes cats.");
    }

    [Fact]
    public async Task A_trigger_phrase_fires_a_tool_call_and_the_tool_result_is_spoken()
    {
        await using var h = await EmulatorHarness.StartAsync();
        string id = await h.CreateConversationIdAsync();
        await using RawSignalingClient c = await h.JoinAsync(id);

        await SendInteractionAsync(c, id, "conversation.respond", new JsonObject { ["text"] = "What's the \"weather\" like?" });
        RawFrame userUtterance = await c.WaitForAsync(f => f.EventType == "conversation.utterance" && f.Role == "user");
        RawFrame call = await c.WaitForEventAsync("conversation.tool_call");
        call.Props.GetProperty("name").GetString().Should().Be("get_weather");
        call.InferenceId.Should().Be(userUtterance.InferenceId, "the tool call belongs to the user's inference");
        call.TurnIdx.Should().Be(1);
        JsonElement arguments = call.Props.GetProperty("arguments");
        arguments.ValueKind.Should().Be(JsonValueKind.String, "arguments is a JSON-encoded string");
        using (JsonDocument args = JsonDocument.Parse(arguments.GetString()!))
        {
            args.RootElement.GetProperty("location").GetString().Should().Be("San Francisco");
            args.RootElement.GetProperty("question").GetString().Should().Be("What's the \"weather\" like?");
        }

        string toolCallId = call.Props.GetProperty("tool_call_id").GetString()!;
        await SendInteractionAsync(c, id, "conversation.tool_result", new JsonObject { ["tool_call_id"] = "unknown", ["output"] = "ignored" });
        await SendInteractionAsync(c, id, "conversation.tool_result", new JsonObject { ["tool_call_id"] = toolCallId, ["output"] = "72F and sunny", ["status"] = "success" });
        RawFrame reply = await c.WaitForAsync(f => f.EventType == "conversation.utterance" && f.Role == "replica");
        reply.Props.GetProperty("speech").GetString().Should().Be("Here is the weather: 72F and sunny");
        reply.TurnIdx.Should().Be(1);

        await SendInteractionAsync(c, id, "conversation.respond", new JsonObject { ["text"] = "weather again" });
        string second = (await c.WaitForEventAsync("conversation.tool_call")).Props.GetProperty("tool_call_id").GetString()!;
        second.Should().NotBe(toolCallId);
        await SendInteractionAsync(c, id, "conversation.tool_result", new JsonObject { ["tool_call_id"] = second, ["output"] = new JsonObject { ["code"] = 503 }, ["status"] = "error" });
        (await c.WaitForAsync(f => f.EventType == "conversation.utterance" && f.Role == "replica")).Props.GetProperty("speech").GetString()
            .Should().Be("Sorry, that did not work: {\"code\":503}");
    }

    [Theory]
    [InlineData("append")]
    [InlineData("echo")]
    public async Task Legacy_tool_answers_by_append_context_or_echo_are_accepted(string mechanism)
    {
        await using var h = await EmulatorHarness.StartAsync();
        string id = await h.CreateConversationIdAsync();
        await using RawSignalingClient c = await h.JoinAsync(id);
        await SendInteractionAsync(c, id, "conversation.respond", new JsonObject { ["text"] = "weather?" });
        await c.WaitForEventAsync("conversation.tool_call");

        if (mechanism == "append")
        {
            await SendInteractionAsync(c, id, "conversation.append_llm_context", new JsonObject { ["context"] = "Rainy, 12C.", ["job_status"] = "completed" });
            (await c.WaitForAsync(f => f.EventType == "conversation.utterance" && f.Role == "replica")).Props.GetProperty("speech").GetString()
                .Should().Be("Here is the weather: Rainy, 12C.");
        }
        else
        {
            await SendInteractionAsync(c, id, "conversation.echo", new JsonObject { ["modality"] = "text", ["text"] = "It is rainy.", ["done"] = true });
            (await c.WaitForAsync(f => f.EventType == "conversation.utterance" && f.Role == "replica")).Props.GetProperty("speech").GetString()
                .Should().Be("It is rainy.");
        }
    }

    [Fact]
    public async Task Sensitivity_is_acknowledged_in_later_replies()
    {
        var scenario = new EmulatorScenario { Greeting = null, Replies = [new ScenarioReply { When = "sensitive", Reply = "pause={pause_sensitivity} interrupt={interrupt_sensitivity}" }] };
        await using var h = await EmulatorHarness.StartAsync(new CviEmulatorOptions { Scenario = scenario });
        string id = await h.CreateConversationIdAsync();
        await using RawSignalingClient c = await h.JoinAsync(id);
        await SendInteractionAsync(c, id, "conversation.sensitivity", new JsonObject { ["participant_pause_sensitivity"] = "low" });
        await SendInteractionAsync(c, id, "conversation.sensitivity", new JsonObject { ["participant_interrupt_sensitivity"] = "superlow" });
        await SendInteractionAsync(c, id, "conversation.respond", new JsonObject { ["text"] = "how sensitive?" });
        (await c.WaitForAsync(f => f.EventType == "conversation.utterance" && f.Role == "replica")).Props.GetProperty("speech").GetString()
            .Should().Be("pause=low interrupt=superlow");
    }

    [Fact]
    public async Task Pause_sensitivity_scales_the_reply_delay_on_the_emulator_clock()
    {
        var time = new ObservableFakeTime();
        var scenario = new EmulatorScenario { Greeting = null, Timings = new ScenarioTimings { ReplicaJoinDelay = TimeSpan.Zero, ReplyDelay = TimeSpan.FromSeconds(10), ChunkInterval = TimeSpan.Zero } };
        await using var h = await EmulatorHarness.StartAsync(new CviEmulatorOptions { Scenario = scenario, TimeProvider = time });
        string id = await h.CreateConversationIdAsync();
        await using RawSignalingClient c = await h.JoinAsync(id);
        await SendInteractionAsync(c, id, "conversation.sensitivity", new JsonObject { ["participant_pause_sensitivity"] = "high" });

        int timers = time.TimersCreated;
        await SendInteractionAsync(c, id, "conversation.respond", new JsonObject { ["text"] = "quick" });
        await c.WaitForAsync(f => f.EventType == "conversation.utterance" && f.Role == "user");
        while (time.TimersCreated == timers)
        {
            await Task.Yield();
        }

        time.Advance(TimeSpan.FromSeconds(5)); // high = half the 10 s delay
        (await c.WaitForAsync(f => f.EventType == "conversation.utterance" && f.Role == "replica")).Props.GetProperty("speech").GetString().Should().Be("You said: quick");
    }

    [Fact]
    public async Task Interactions_for_another_conversation_and_non_interactions_are_ignored()
    {
        await using var h = await EmulatorHarness.StartAsync();
        string id = await h.CreateConversationIdAsync();
        await using RawSignalingClient c = await h.JoinAsync(id);
        await SendInteractionAsync(c, "c000000000000", "conversation.respond", new JsonObject { ["text"] = "not for you" });
        await c.SendAppMessageAsync(new JsonObject { ["random"] = "app message" });
        await c.SendAppMessageAsync(JsonValue.Create("a string"));
        await SendInteractionAsync(c, id, "conversation.respond", new JsonObject { ["text"] = "for you" });
        List<RawFrame> got = await c.CollectUntilAsync(f => f.EventType == "conversation.utterance" && f.Role == "replica");
        got.Where(f => f.EventType == "conversation.utterance").Select(f => f.Props.GetProperty("speech").GetString())
            .Should().Equal("for you", "You said: for you", "You said: for you"); // user, pal, replica
    }

    [Fact]
    public async Task Duplicate_fault_sends_every_event_twice_with_the_same_seq()
    {
        await using var h = await EmulatorHarness.StartAsync();
        string id = await h.CreateConversationIdAsync();
        await using RawSignalingClient c = await h.JoinAsync(id);
        h.Emulator.FaultsFor(id).DuplicateEvents = true;
        await SendInteractionAsync(c, id, "conversation.respond", new JsonObject { ["text"] = "dup" });
        List<RawFrame> events = (await c.CollectUntilAsync(f => f.EventType == "conversation.replica.stopped_speaking")).Where(IsEvent).ToList();
        await c.WaitForAsync(f => f.EventType == "conversation.replica.stopped_speaking"); // its duplicate
        // The payloads are identical; the frames around them may differ in serverTS when they straddle a millisecond.
        events.GroupBy(f => f.Seq).Where(g => g.Key != events.Last().Seq).Should().OnlyContain(g => g.Count() == 2 && g.First().MsgData.GetRawText() == g.Last().MsgData.GetRawText());
    }

    [Fact]
    public async Task Reorder_fault_delivers_a_permutation_that_sorts_back_by_seq()
    {
        await using var h = await EmulatorHarness.StartAsync();
        string id = await h.CreateConversationIdAsync();
        await using RawSignalingClient c = await h.JoinAsync(id);
        long before = c.Received.Where(IsEvent).Max(f => f.Seq);
        h.Emulator.FaultsFor(id).ReorderEvents = true;
        await SendInteractionAsync(c, id, "conversation.respond", new JsonObject { ["text"] = "reorder me" });
        // The last burst (pal, replica, legacy stopped) ends with the legacy event left in place.
        List<RawFrame> events = (await c.CollectUntilAsync(f => f.EventType == "conversation.replica.stopped_speaking")).Where(IsEvent).ToList();
        List<long> seqs = events.Select(f => f.Seq).ToList();
        seqs.Should().NotBeInAscendingOrder();
        seqs.Order().Should().Equal(Enumerable.Range(0, seqs.Count).Select(i => before + 1 + i));
    }

    [Fact]
    public async Task An_unresponsive_replica_ignores_interactions_until_the_fault_is_cleared()
    {
        await using var h = await EmulatorHarness.StartAsync();
        string id = await h.CreateConversationIdAsync();
        await using RawSignalingClient c = await h.JoinAsync(id);
        h.Emulator.Faults.ReplicaUnresponsive = true;
        await SendInteractionAsync(c, id, "conversation.respond", new JsonObject { ["text"] = "first" });
        while (!h.Emulator.GetRelayLog(id).Any(m => m.Payload.Contains("\"first\"", StringComparison.Ordinal)))
        {
            await Task.Delay(5);
        }

        h.Emulator.Faults.ReplicaUnresponsive = false;
        await SendInteractionAsync(c, id, "conversation.respond", new JsonObject { ["text"] = "second" });
        List<RawFrame> got = await c.CollectUntilAsync(f => f.EventType == "conversation.utterance" && f.Role == "replica");
        got.Where(f => f.EventType == "conversation.utterance").Select(f => f.Props.GetProperty("speech").GetString()).Should().Equal("second", "You said: second", "You said: second"); // user, pal, replica
    }

    [Fact]
    public void A_scenario_round_trips_through_its_json_format()
    {
        const string json = """
            {
              "persona_name": "Ada",
              "greeting": "Hello from {persona}",
              "replies": [ { "when": "price", "when_context": "vip", "reply": "Free for you." } ],
              "tools": [ { "name": "lookup", "trigger_phrases": ["look up"], "arguments_template": "{\"q\":\"{text}\"}", "result_reply": "Found {output}" } ],
              "fallback_reply": "Hmm: {text}",
              "timings": { "reply_delay": 5, "chunk_interval": 1, "words_per_chunk": 4, "replica_join_delay": 0, "words_per_second": 3 },
            }
            """;
        EmulatorScenario s = EmulatorScenario.Parse(json);
        s.PersonaName.Should().Be("Ada");
        s.Replies.Single().WhenContext.Should().Be("vip");
        s.Tools.Single().TriggerPhrases.Should().Equal("look up");
        s.Timings.ReplyDelay.Should().Be(TimeSpan.FromMilliseconds(5));
        s.Timings.WordsPerChunk.Should().Be(4);
        EmulatorScenario again = EmulatorScenario.Parse(s.ToJson());
        again.ToJson().Should().Be(s.ToJson());
        FluentActions.Invoking(() => EmulatorScenario.Parse("[]")).Should().Throw<JsonException>();
    }
}
