using System.Text;
using System.Text.Json;
using Tavus.Cvi.Interactions.Daily;
using Tavus.Cvi.Interactions.Protocol;
using Tavus.Cvi.Interactions.Session;
using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.EndToEnd.Tests.Daily;

/// <summary>
/// The SDK (CviSession over the Daily transport) against the emulator, over real loopback HTTP and WebSockets: every
/// interaction and event type crosses the wire.
/// </summary>
public sealed class SessionOverEmulatorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Every_interaction_and_event_type_crosses_the_wire()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var conversation = await h.CreateConversationAsync();
        await using var session = await h.JoinAsync(conversation);
        var log = SessionEventLog.Start(session);
        var transport = (DailyTransport)session.Transport;
        var id = conversation.ConversationId;

        // The replica joins (presence and system.replica_joined) and greets: speaking events, streaming, utterance.
        var joined = await log.WaitForAsync<ReplicaJoinedEvent>();
        joined.ReplicaId.Should().Be("r-emulator");
        session.IsReplicaPresent.Should().BeTrue();
        transport.RemoteParticipants.Should().ContainSingle(p => p.IsReplica).Which.UserName.Should().Be("Emu");
        (await log.WaitForAsync<UtteranceEvent>(u => u.Speech == "Hi, I'm Emu. How can I help you today?")).Role.Should().NotBeNull();

        // respond: user events, then the scripted reply.
        await session.RespondAsync("hello there", Ct);
        await log.WaitForAsync<UtteranceEvent>(u => u.Role == ParticipantRole.User && u.Speech == "hello there");
        await log.WaitForAsync<UtteranceEvent>(u => u.Speech == "Hello! Nice to meet you.");

        // echo (text) is spoken verbatim.
        await session.EchoAsync("Echo this sentence exactly.", cancellationToken: Ct);
        await log.WaitForAsync<UtteranceEvent>(u => u.Speech == "Echo this sentence exactly.");

        // overwrite + append context, then a reply that quotes it.
        await session.OverwriteContextAsync("ctx-one", Ct);
        await session.AppendContextAsync("ctx-two", cancellationToken: Ct);
        await session.RespondAsync("what is in your context", Ct);
        await log.WaitForAsync<UtteranceEvent>(u => u.Speech != null && u.Speech.StartsWith("My context says: ctx-one", StringComparison.Ordinal) && u.Speech.Contains("ctx-two", StringComparison.Ordinal));

        // sensitivity is accepted (it scales the reply delay).
        await session.SetSensitivityAsync(Sensitivity.High, Sensitivity.Low, Ct);

        // echo audio: 0.5 s of 24 kHz PCM in chunks, spoken as one utterance of that duration.
        var stoppedBefore = log.Snapshot().OfType<StoppedSpeakingEvent>().Count();
        var audio = await session.EchoAudioAsync(new byte[24_000], cancellationToken: Ct);
        audio.Should().NotBeNull();
        await log.WaitForAsync<StoppedSpeakingEvent>(skip: stoppedBefore);

        // interrupt a long reply while it is being spoken.
        var longText = string.Join(' ', Enumerable.Repeat("words", 60));
        await session.RespondAsync(longText, Ct);
        await log.WaitForAsync<StreamingUtteranceEvent>(s => s.Role != ParticipantRole.User && s.Speech != null && s.Speech.StartsWith("You said", StringComparison.Ordinal));
        await session.InterruptAsync(Ct);
        await log.WaitForAsync<ReplicaInterruptedEvent>();

        // A raw interaction the emulator ignores still crosses the wire.
        using (var body = JsonDocument.Parse("""{"type":"response.create"}"""))
        {
            await session.SendAsync(new RealtimeApiInteraction { Body = body.RootElement.Clone() }, Ct);
        }

        // Events the emulator's replica does not produce by itself, injected as app messages from the replica.
        var replica = h.Emulator.GetReplicaSessionId(id)!;
        h.Emulator.InjectAppMessage(id, $$$"""{"message_type":"conversation","event_type":"conversation.perception_tool_call","conversation_id":"{{{id}}}","properties":{"modality":"audio","name":"notify","arguments":"{\"reason\":\"x\"}"}}""", replica);
        h.Emulator.InjectAppMessage(id, $$$"""{"message_type":"conversation","event_type":"conversation.perception_analysis","conversation_id":"{{{id}}}","properties":{"analysis":"a summary"}}""", replica);
        h.Emulator.InjectAppMessage(id, $$$"""{"message_type":"conversation","event_type":"conversation.brand_new","conversation_id":"{{{id}}}","properties":{}}""", replica);
        (await log.WaitForAsync<PerceptionToolCallEvent>()).Name.Should().Be("notify");
        (await log.WaitForAsync<PerceptionAnalysisEvent>()).Analysis.Should().Be("a summary");
        (await log.WaitForAsync<UnknownEvent>()).EventType.Should().Be("conversation.brand_new");

        // Every event family arrived typed.
        var types = log.Snapshot().Select(e => e.GetType()).ToHashSet();
        types.Should().Contain([
            typeof(ReplicaJoinedEvent), typeof(StartedSpeakingEvent), typeof(StoppedSpeakingEvent),
            typeof(ReplicaStartedSpeakingEvent), typeof(ReplicaStoppedSpeakingEvent), typeof(UserStartedSpeakingEvent),
            typeof(UserStoppedSpeakingEvent), typeof(StreamingUtteranceEvent), typeof(UtteranceEvent),
            typeof(ReplicaInterruptedEvent), typeof(PerceptionToolCallEvent), typeof(PerceptionAnalysisEvent), typeof(UnknownEvent),
        ]);
        types.Should().NotContain(typeof(InvalidMessageEvent));

        // Every interaction type reached the emulator exactly as sent, from our session id.
        var sent = h.RelayedFrom(id, transport.SessionId).Select(p => JsonDocument.Parse(p).RootElement.GetProperty("event_type").GetString()).ToList();
        sent.Should().Contain([
            "conversation.respond", "conversation.echo", "conversation.overwrite_llm_context", "conversation.append_llm_context",
            "conversation.sensitivity", "conversation.interrupt", "conversation.realtime_api",
        ]);
        h.Emulator.GetRelayLog(id).Where(m => m.From == transport.SessionId).Should().OnlyContain(m => m.RecipientCount == 1 && m.To == "*");

        // system.shutdown (the emulator reports it by webhook only, so it is injected in-call as Tavus also does), then
        // the end: the room is deleted and the session ends with the shutdown as its reason.
        h.Emulator.InjectAppMessage(id, $$$"""{"message_type":"system","event_type":"system.shutdown","conversation_id":"{{{id}}}","properties":{"shutdown_reason":"end_conversation_endpoint_hit"}}""", replica);
        (await log.WaitForAsync<ShutdownEvent>()).Reason.Should().Be(ShutdownReason.EndConversationEndpointHit);
        await h.Tavus.EndConversationAsync(id, Ct);
        (await session.Completion.WaitAsync(EmulatorHarness.Timeout, Ct)).Should().Be(CviSessionEndReason.Shutdown);
        transport.State.Should().Be(TransportState.Closed);
    }

    [Fact]
    public async Task Tool_call_round_trip()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var conversation = await h.CreateConversationAsync();
        await using var session = await h.JoinAsync(conversation);
        var log = SessionEventLog.Start(session);
        string? location = null;
        using var tool = session.RegisterTool("get_weather", (args, call, ct) =>
        {
            location = args.GetProperty("location").GetString();
            call.ToolCallId.Should().NotBeNullOrEmpty();
            return ValueTask.FromResult<ToolResult>("sunny and 21 degrees");
        });
        await log.WaitForAsync<ReplicaJoinedEvent>();

        await session.RespondAsync("what is the weather like?", Ct);

        var call = await log.WaitForAsync<ToolCallEvent>();
        call.Name.Should().Be("get_weather");
        await log.WaitForAsync<UtteranceEvent>(u => u.Speech == "Here is the weather: sunny and 21 degrees");
        location.Should().Be("San Francisco");
        var result = h.RelayedFrom(conversation.ConversationId, ((DailyTransport)session.Transport).SessionId)
            .Select(p => JsonDocument.Parse(p).RootElement)
            .Single(p => p.GetProperty("event_type").GetString() == "conversation.tool_result");
        result.GetProperty("properties").GetProperty("tool_call_id").GetString().Should().Be(call.ToolCallId);
    }

    [Fact]
    public async Task Two_transports_in_one_room_see_each_others_messages_and_not_their_own()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var conversation = await h.CreateConversationAsync();
        var url = conversation.ConversationUrl!.ToString();
        await using var a = new DailyTransport(url, h.DailyOptions(o => o.DisplayName = "Alice Ä"));
        await using var b = new DailyTransport(url, h.DailyOptions(o => o.DisplayName = "Bob"));
        await a.JoinAsync(Ct);
        await b.JoinAsync(Ct);
        var aEvents = ReadAll(a);
        var bEvents = ReadAll(b);

        // Each sees the other (and the replica) with the decoded name.
        (await WaitAsync<ParticipantJoined>(aEvents, j => j.Participant.Id == b.SessionId)).Participant.UserName.Should().Be("Bob");
        b.RemoteParticipants.Should().Contain(p => p.Id == a.SessionId && p.UserName == "Alice Ä");

        await a.SendAsync(Encoding.UTF8.GetBytes("""{"from":"a","n":1}"""), cancellationToken: Ct);
        await b.SendAsync(Encoding.UTF8.GetBytes("""{"from":"b","n":2}"""), a.SessionId, Ct);
        await a.SendAsync(Encoding.UTF8.GetBytes("""{"from":"a","n":3}"""), cancellationToken: Ct);

        var atB = await WaitAsync<AppMessageReceived>(bEvents, m => Encoding.UTF8.GetString(m.Payload.Span).Contains("\"n\":3", StringComparison.Ordinal));
        atB.SenderId.Should().Be(a.SessionId);
        var atA = await WaitAsync<AppMessageReceived>(aEvents, m => m.SenderId == b.SessionId);
        Encoding.UTF8.GetString(atA.Payload.Span).Should().Be("""{"from":"b","n":2}""");

        // Nobody hears their own messages; b heard a's two broadcasts, in order.
        var heardByB = bEvents.Snapshot().OfType<AppMessageReceived>().Where(m => m.SenderId != h.Emulator.GetReplicaSessionId(conversation.ConversationId)).ToList();
        heardByB.Select(m => Encoding.UTF8.GetString(m.Payload.Span)).Should().Equal("""{"from":"a","n":1}""", """{"from":"a","n":3}""");
        aEvents.Snapshot().OfType<AppMessageReceived>().Should().NotContain(m => m.SenderId == a.SessionId);
        bEvents.Snapshot().OfType<AppMessageReceived>().Should().NotContain(m => m.SenderId == b.SessionId);

        await b.LeaveAsync(Ct);
        (await WaitAsync<ParticipantLeft>(aEvents, l => l.Participant.Id == b.SessionId)).Participant.UserName.Should().Be("Bob");
    }

    internal static TransportEventLog ReadAll(ICviTransport transport) => TransportEventLog.Start(transport);

    internal static Task<T> WaitAsync<T>(TransportEventLog log, Func<T, bool>? predicate = null)
        where T : TransportEvent => log.WaitForAsync(predicate);
}
