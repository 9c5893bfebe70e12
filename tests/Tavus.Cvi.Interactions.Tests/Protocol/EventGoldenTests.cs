using System.Text.Json;
using Tavus.Cvi.Interactions.Protocol;

namespace Tavus.Cvi.Interactions.Tests.Protocol;

// Every event example of tavus-protocol.md §B (and §E for the system events), plus each ⚠ CONFLICT variant.
public class EventGoldenTests
{
    private const string UtteranceDoc = """
        { "message_type": "conversation", "event_type": "conversation.utterance",
          "conversation_id": "c123456", "inference_id": "83294d9f-...", "seq": 42, "turn_idx": 3,
          "timestamp": 1746000000.123,
          "properties": { "role": "user", "speech": "Tell me about your product" } }
        """;

    private const string StreamingDoc = """
        { "message_type": "conversation", "event_type": "conversation.utterance.streaming",
          "conversation_id": "c123456", "inference_id": "83294d9f-...", "seq": 42, "turn_idx": 3,
          "properties": { "role": "replica", "speech": "Hello there, I", "content_index": 2, "final": false } }
        """;

    private const string StoppedSpeakingDoc = """
        { "message_type": "conversation", "event_type": "conversation.stopped_speaking",
          "conversation_id": "c1", "inference_id": "…", "seq": 57, "turn_idx": 4, "timestamp": 1746000000.1,
          "properties": { "role": "pal", "interrupted": false, "duration": 3.42 } }
        """;

    private const string ToolCallDoc = """
        { "message_type": "conversation", "event_type": "conversation.tool_call",
          "conversation_id": "c123456", "inference_id": "83294d9f-...", "seq": 42, "turn_idx": 3,
          "properties": { "tool_call_id": "…", "name": "add_to_cart",
                          "arguments": "{\"item_name\": \"Bananas\", \"quantity\": 2}" } }
        """;

    private const string PerceptionAudioDoc = """
        { "message_type": "conversation", "event_type": "conversation.perception_tool_call",
          "conversation_id": "c58b46f8646d943f", "seq": 17, "turn_idx": 2,
          "properties": { "modality": "audio", "name": "notify_sarcasm_detected",
                          "arguments": "{\"reason\":\"The user said ...\"}" } }
        """;

    private const string PerceptionVisionDoc = """
        { "message_type": "conversation", "event_type": "conversation.perception_tool_call",
          "conversation_id": "c58b46f8646d943f", "seq": 18, "turn_idx": 2,
          "properties": { "modality": "vision", "name": "detect_id_card", "tool_call_id": "tc-9",
                          "arguments": {"card_type": "passport"},
                          "frames": [ { "data": "/9j/4AAQ", "mime_type": "image/jpeg" } ] } }
        """;

    private static readonly DateTimeOffset DocTimestamp = DateTimeOffset.FromUnixTimeMilliseconds(1746000000123);

    [Fact]
    public void Utterance()
    {
        var e = JsonAssert.Decode<UtteranceEvent>(UtteranceDoc);
        e.MessageType.Should().Be("conversation");
        e.EventType.Should().Be(CviEventTypes.Utterance);
        e.ConversationId.Should().Be("c123456");
        e.InferenceId.Should().Be("83294d9f-...");
        e.Seq.Should().Be(42);
        e.TurnIndex.Should().Be(3);
        e.Timestamp.Should().Be(DocTimestamp);
        e.Role.Should().Be(ParticipantRole.User);
        e.Speech.Should().Be("Tell me about your product");
        e.ExtensionData.Should().BeNull();
        e.AdditionalProperties.Should().BeNull();
        JsonAssert.Equivalent(CviJson.EncodeEvent(e), UtteranceDoc);
    }

    [Fact]
    public void Utterance_optional_fields()
    {
        var e = JsonAssert.Decode<UtteranceEvent>("""
            {"message_type":"conversation","event_type":"conversation.utterance","conversation_id":"c",
             "properties":{"role":"user","speech":"hi","visual_context":"a desk","user_audio_analysis":"calm",
                           "user_visual_analysis":"smiling","interrupted":true}}
            """);
        e.VisualContext.Should().Be("a desk");
        e.UserAudioAnalysis.Should().Be("calm");
        e.UserVisualAnalysis.Should().Be("smiling");
        e.Interrupted.Should().BeTrue();
    }

    [Fact]
    public void Utterance_reads_content_as_speech()
    {
        var e = JsonAssert.Decode<UtteranceEvent>("""
            {"message_type":"conversation","event_type":"conversation.utterance","properties":{"role":"replica","content":"Hello"}}
            """);
        e.Speech.Should().Be("Hello");
        e.AdditionalProperties.Should().BeNull();
    }

    [Fact]
    public void Utterance_with_both_speech_and_content_keeps_content()
    {
        var e = JsonAssert.Decode<UtteranceEvent>("""
            {"event_type":"conversation.utterance","properties":{"speech":"A","content":"B"}}
            """);
        e.Speech.Should().Be("A");
        e.AdditionalProperties!["content"].GetString().Should().Be("B");
    }

    [Theory]
    [InlineData("user", true, false)]
    [InlineData("replica", false, true)]
    [InlineData("pal", false, true)]
    [InlineData("PAL", false, true)]
    [InlineData("assistant", false, false)]
    public void Roles_are_read_liberally(string role, bool isUser, bool isReplicaOrPal)
    {
        var e = JsonAssert.Decode<UtteranceEvent>($$$"""{"event_type":"conversation.utterance","properties":{"role":"{{{role}}}","speech":"x"}}""");
        e.Role.Should().NotBeNull();
        e.Role!.Value.Value.Should().Be(role);
        e.Role.Value.IsUser.Should().Be(isUser);
        e.Role.Value.IsReplicaOrPal.Should().Be(isReplicaOrPal);
    }

    [Fact]
    public void Pal_utterances_arrive_twice_and_differ_only_in_role()
    {
        var pal = JsonAssert.Decode<UtteranceEvent>("""{"event_type":"conversation.utterance","inference_id":"i","seq":1,"properties":{"role":"pal","speech":"Hi"}}""");
        var replica = JsonAssert.Decode<UtteranceEvent>("""{"event_type":"conversation.utterance","inference_id":"i","seq":1,"properties":{"role":"replica","speech":"Hi"}}""");
        pal.Role.Should().Be(ParticipantRole.Pal);
        replica.Role.Should().Be(ParticipantRole.Replica);
        (pal with { Role = ParticipantRole.Replica }).Should().Be(replica);
    }

    [Fact]
    public void Streaming_utterance()
    {
        var e = JsonAssert.Decode<StreamingUtteranceEvent>(StreamingDoc);
        e.Role.Should().Be(ParticipantRole.Replica);
        e.Speech.Should().Be("Hello there, I");
        e.ContentIndex.Should().Be(2);
        e.IsFinal.Should().BeFalse();
        e.IsInterrupted.Should().BeNull();
        e.Seq.Should().Be(42);
        JsonAssert.Equivalent(CviJson.EncodeEvent(e), StreamingDoc);
    }

    [Fact]
    public void Streaming_utterance_final_interrupted()
    {
        var e = JsonAssert.Decode<StreamingUtteranceEvent>("""
            {"event_type":"conversation.utterance.streaming","properties":{"role":"pal","speech":"Hello","content_index":5,"final":true,"is_interrupted":true}}
            """);
        e.IsFinal.Should().BeTrue();
        e.IsInterrupted.Should().BeTrue();
    }

    [Fact]
    public void Role_agnostic_stopped_speaking()
    {
        var e = JsonAssert.Decode<StoppedSpeakingEvent>(StoppedSpeakingDoc);
        e.Role.Should().Be(ParticipantRole.Pal);
        e.Interrupted.Should().BeFalse();
        e.Duration.Should().Be(3.42);
        e.InferenceId.Should().Be("…");
        e.Timestamp.Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(1746000000100));
        JsonAssert.Equivalent(CviJson.EncodeEvent(e), StoppedSpeakingDoc);
    }

    [Fact]
    public void Role_agnostic_started_speaking()
    {
        const string json = """{"message_type":"conversation","event_type":"conversation.started_speaking","conversation_id":"c1","inference_id":"i","seq":56,"turn_idx":4,"properties":{"role":"user"}}""";
        var e = JsonAssert.Decode<StartedSpeakingEvent>(json);
        e.Role.Should().Be(ParticipantRole.User);
        JsonAssert.Equivalent(CviJson.EncodeEvent(e), json);
    }

    [Theory]
    [InlineData("null", null)]
    [InlineData("3.5", 3.5)]
    [InlineData("7", 7.0)]
    [InlineData("\"2.25\"", 2.25)]
    public void Duration_is_a_number_or_null(string duration, double? expected)
    {
        var e = JsonAssert.Decode<ReplicaStoppedSpeakingEvent>($$$"""
            {"message_type":"conversation","event_type":"conversation.replica.stopped_speaking","conversation_id":"c","inference_id":"i","properties":{"duration":{{{duration}}},"interrupted":true}}
            """);
        e.Duration.Should().Be(expected);
        e.Interrupted.Should().BeTrue();
    }

    [Fact]
    public void Legacy_replica_started_speaking_has_no_properties()
    {
        const string json = """{"message_type":"conversation","event_type":"conversation.replica.started_speaking","conversation_id":"c1","inference_id":"i"}""";
        var e = JsonAssert.Decode<ReplicaStartedSpeakingEvent>(json);
        e.InferenceId.Should().Be("i");
        JsonAssert.Text(CviJson.EncodeEvent(e)).Should().Be(json);
    }

    [Fact]
    public void Legacy_user_speaking_events()
    {
        var started = JsonAssert.Decode<UserStartedSpeakingEvent>("""
            {"message_type":"conversation","event_type":"conversation.user.started_speaking","inference_id":"u1","seq":10,"turn_idx":2,"timestamp":1746000000}
            """);
        started.Seq.Should().Be(10);
        started.ConversationId.Should().BeNull();
        started.Timestamp.Should().Be(DateTimeOffset.FromUnixTimeSeconds(1746000000));

        var stopped = JsonAssert.Decode<UserStoppedSpeakingEvent>("""
            {"message_type":"conversation","event_type":"conversation.user.stopped_speaking","inference_id":"u2","seq":11,"turn_idx":2}
            """);
        stopped.InferenceId.Should().Be("u2");
    }

    [Fact]
    public void Inference_id_inside_properties_is_lifted_to_the_envelope()
    {
        var e = JsonAssert.Decode<UserStartedSpeakingEvent>("""
            {"message_type":"conversation","event_type":"conversation.user.started_speaking","properties":{"inference_id":"inner"}}
            """);
        e.InferenceId.Should().Be("inner");
        e.AdditionalProperties.Should().BeNull();
    }

    [Fact]
    public void A_different_inner_inference_id_is_kept_not_dropped()
    {
        var e = JsonAssert.Decode<UserStartedSpeakingEvent>("""
            {"event_type":"conversation.user.started_speaking","inference_id":"outer","properties":{"inference_id":"inner"}}
            """);
        e.InferenceId.Should().Be("outer");
        e.AdditionalProperties!["inference_id"].GetString().Should().Be("inner");
    }

    [Theory]
    [InlineData("conversation.replica_interrupted")]
    [InlineData("conversation.replica.interrupted")]
    public void Replica_interrupted_in_both_spellings(string eventType)
    {
        var envelope = JsonAssert.Decode<ReplicaInterruptedEvent>($$$"""
            {"message_type":"conversation","event_type":"{{{eventType}}}","conversation_id":"c","inference_id":"r1"}
            """);
        envelope.EventType.Should().Be(eventType);
        envelope.InferenceId.Should().Be("r1");

        var skills = JsonAssert.Decode<ReplicaInterruptedEvent>($$$"""
            {"message_type":"conversation","event_type":"{{{eventType}}}","conversation_id":"c","properties":{"inference_id":"r2"}}
            """);
        skills.InferenceId.Should().Be("r2");
    }

    [Fact]
    public void New_replica_interrupted_event_has_the_documented_spelling() =>
        new ReplicaInterruptedEvent().EventType.Should().Be("conversation.replica_interrupted");

    [Fact]
    public void Tool_call_with_string_arguments()
    {
        var e = JsonAssert.Decode<ToolCallEvent>(ToolCallDoc);
        e.ToolCallId.Should().Be("…");
        e.Name.Should().Be("add_to_cart");
        e.Arguments.ValueKind.Should().Be(JsonValueKind.String);
        e.ArgumentsJson.Should().Be("""{"item_name": "Bananas", "quantity": 2}""");
        e.GetArguments(TestJsonContext.Default.AddToCartArguments).Should().Be(new AddToCartArguments("Bananas", 2));
        JsonAssert.Equivalent(CviJson.EncodeEvent(e), ToolCallDoc);
    }

    [Fact]
    public void Tool_call_in_the_tavus_skills_shape()
    {
        var e = JsonAssert.Decode<ToolCallEvent>("""
            {"message_type":"conversation","event_type":"conversation.tool_call","conversation_id":"c",
             "properties":{"tool_name":"add_to_cart","arguments":{"item_name":"Apples","quantity":3},"inference_id":"inf"}}
            """);
        e.Name.Should().Be("add_to_cart");
        e.InferenceId.Should().Be("inf");
        e.ToolCallId.Should().BeNull();
        e.Arguments.ValueKind.Should().Be(JsonValueKind.Object);
        e.ArgumentsJson.Should().Be("""{"item_name":"Apples","quantity":3}""");
        e.GetArguments(TestJsonContext.Default.AddToCartArguments).Should().Be(new AddToCartArguments("Apples", 3));
#pragma warning disable IL2026, IL3050 // The reflection overload is what is tested here.
        e.GetArguments<AddToCartArguments>().Should().Be(new AddToCartArguments("Apples", 3));
#pragma warning restore IL2026, IL3050
        e.AdditionalProperties.Should().BeNull();
    }

    [Fact]
    public void Tool_call_prefers_name_and_keeps_tool_name()
    {
        var e = JsonAssert.Decode<ToolCallEvent>("""{"event_type":"conversation.tool_call","properties":{"name":"a","tool_name":"b"}}""");
        e.Name.Should().Be("a");
        e.AdditionalProperties!["tool_name"].GetString().Should().Be("b");
        e.ArgumentsJson.Should().Be("{}");
        e.GetArguments(TestJsonContext.Default.AddToCartArguments).Should().BeNull();
    }

    [Fact]
    public void Tool_call_with_arguments_that_are_not_json_fails_only_when_asked()
    {
        var e = JsonAssert.Decode<ToolCallEvent>("""{"event_type":"conversation.tool_call","properties":{"name":"a","arguments":"not json"}}""");
        e.ArgumentsJson.Should().Be("not json");
        FluentActions.Invoking(() => e.GetArguments(TestJsonContext.Default.AddToCartArguments)).Should().Throw<JsonException>();
    }

    [Fact]
    public void Perception_tool_call_audio_with_string_arguments()
    {
        var e = JsonAssert.Decode<PerceptionToolCallEvent>(PerceptionAudioDoc);
        e.Modality.Should().Be(PerceptionModality.Audio);
        e.Name.Should().Be("notify_sarcasm_detected");
        e.ArgumentsJson.Should().Be("""{"reason":"The user said ..."}""");
        e.Frames.Should().BeNull();
        e.Seq.Should().Be(17);
        e.TurnIndex.Should().Be(2);
        e.InferenceId.Should().BeNull();
        JsonAssert.Equivalent(CviJson.EncodeEvent(e), PerceptionAudioDoc);
    }

    [Fact]
    public void Perception_tool_call_vision_with_object_arguments_and_frames()
    {
        var e = JsonAssert.Decode<PerceptionToolCallEvent>(PerceptionVisionDoc);
        e.Modality.Should().Be(PerceptionModality.Vision);
        e.ToolCallId.Should().Be("tc-9");
        e.Arguments.ValueKind.Should().Be(JsonValueKind.Object);
        e.ArgumentsJson.Should().Be("""{"card_type": "passport"}""");
        e.Frames.Should().ContainSingle();
        e.Frames![0].Data.Should().Be("/9j/4AAQ");
        e.Frames[0].MimeType.Should().Be("image/jpeg");
        e.Frames[0].GetBytes().Should().Equal(0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10);
        JsonAssert.Equivalent(CviJson.EncodeEvent(e), PerceptionVisionDoc);
    }

    [Fact]
    public void Perception_analysis()
    {
        const string json = """{"message_type":"conversation","event_type":"conversation.perception_analysis","conversation_id":"c","properties":{"analysis":"The user wore a blue shirt."}}""";
        var e = JsonAssert.Decode<PerceptionAnalysisEvent>(json);
        e.Analysis.Should().Be("The user wore a blue shirt.");
        e.InferenceId.Should().BeNull();
        JsonAssert.Equivalent(CviJson.EncodeEvent(e), json);
    }

    [Fact]
    public void Replica_joined_in_the_webhook_shape_with_an_iso_timestamp()
    {
        var e = JsonAssert.Decode<ReplicaJoinedEvent>("""
            { "properties": { "replica_id": "r79e1c033f" }, "conversation_id": "c123", "webhook_url": "https://example.com/hook",
              "event_type": "system.replica_joined", "message_type": "system", "timestamp": "2025-07-11T06:45:47.472000Z" }
            """);
        e.MessageType.Should().Be("system");
        e.ReplicaId.Should().Be("r79e1c033f");
        e.IsPalJoined.Should().BeFalse();
        e.Timestamp.Should().Be(new DateTimeOffset(2025, 7, 11, 6, 45, 47, 472, TimeSpan.Zero));
        e.ExtensionData!["webhook_url"].GetString().Should().Be("https://example.com/hook");

        var written = JsonAssert.Text(CviJson.EncodeEvent(e));
        written.Should().Contain("\"webhook_url\":\"https://example.com/hook\"");
        written.Should().Contain("\"timestamp\":1752216347.472");
    }

    [Fact]
    public void Pal_joined_with_face_id()
    {
        var e = JsonAssert.Decode<ReplicaJoinedEvent>("""
            {"message_type":"system","event_type":"system.pal_joined","conversation_id":"c","properties":{"face_id":"f1"}}
            """);
        e.IsPalJoined.Should().BeTrue();
        e.FaceId.Should().Be("f1");
        e.EventType.Should().Be("system.pal_joined");
    }

    [Theory]
    [InlineData("participant_left_timeout reached")]
    [InlineData("participant_left_timeout")]
    public void Shutdown_reason_is_open_and_matches_by_prefix(string reason)
    {
        var e = JsonAssert.Decode<ShutdownEvent>($$$"""
            {"message_type":"system","event_type":"system.shutdown","conversation_id":"c","properties":{"replica_id":"r1","shutdown_reason":"{{{reason}}}"}}
            """);
        e.Reason.Should().Be(new ShutdownReason(reason));
        e.Reason!.Value.Value.Should().Be(reason);
        e.Reason.Value.ToString().Should().Be(reason);
        e.ReplicaId.Should().Be("r1");
        e.Reason.Value.Kind.Should().Be(ShutdownReasonKind.ParticipantLeftTimeout);
        e.Reason.Value.IsTimeout.Should().BeTrue();
        new ShutdownEvent().MessageType.Should().Be("system");
    }

    [Theory]
    [InlineData("conversation.joined")]
    [InlineData("conversation.user_utterance")]
    [InlineData("application.transcription_ready")]
    public void Unknown_events_keep_raw_json_and_envelope(string eventType)
    {
        var json = $$$"""{"message_type":"conversation","event_type":"{{{eventType}}}","conversation_id":"c","seq":9,"properties":{"x":[1,2]}}""";
        var e = JsonAssert.Decode<UnknownEvent>(json);
        e.EventType.Should().Be(eventType);
        e.RawJson.Should().Be(json);
        e.ConversationId.Should().Be("c");
        e.Seq.Should().Be(9);
        JsonAssert.Text(CviJson.EncodeEvent(e)).Should().Be(json);
    }

    [Fact]
    public void Event_type_need_not_be_the_first_key()
    {
        var e = JsonAssert.Decode<UtteranceEvent>("""
            {"properties":{"role":"user","speech":"late"},"seq":1,"event_type":"conversation.utterance"}
            """);
        e.Speech.Should().Be("late");
    }

    [Theory]
    [InlineData("1746000000.123")]
    [InlineData("\"2025-04-30T08:00:00.123Z\"")]
    [InlineData("\"2025-04-30T10:00:00.123+02:00\"")]
    [InlineData("\"1746000000.123\"")]
    public void Timestamps_are_numbers_or_iso_strings(string timestamp)
    {
        var e = JsonAssert.Decode<UserStoppedSpeakingEvent>($$$"""{"event_type":"conversation.user.stopped_speaking","timestamp":{{{timestamp}}}}""");
        e.Timestamp.Should().Be(DocTimestamp);
    }

    [Fact]
    public void Webhook_style_timestamps_without_t_are_read()
    {
        var e = JsonAssert.Decode<ShutdownEvent>("""{"event_type":"system.shutdown","timestamp":"2024-08-28 15:27:40.824457"}""");
        e.Timestamp.Should().Be(new DateTimeOffset(2024, 8, 28, 15, 27, 40, TimeSpan.Zero).AddTicks(8244570));
    }

    [Fact]
    public void Unknown_envelope_and_property_keys_round_trip()
    {
        const string json = """
            {"message_type":"conversation","event_type":"conversation.utterance","conversation_id":"c","seq":3,
             "region":"us-east","properties":{"role":"user","speech":"hi","language":"en","scores":{"a":1}}}
            """;
        var e = JsonAssert.Decode<UtteranceEvent>(json);
        e.ExtensionData!.Keys.Should().BeEquivalentTo(["region"]);
        e.AdditionalProperties!.Keys.Should().BeEquivalentTo(["language", "scores"]);
        JsonAssert.Equivalent(CviJson.EncodeEvent(e), json);
    }

    [Fact]
    public void Events_embed_in_other_json_through_the_serializer_options()
    {
        CviEvent e = JsonAssert.Decode<UtteranceEvent>(UtteranceDoc);
        var text = JsonSerializer.Serialize(e, CviJson.SerializerOptions);
        JsonAssert.Equivalent(JsonAssert.Utf8(text), UtteranceDoc);
        var back = JsonSerializer.Deserialize<CviEvent>(text, CviJson.SerializerOptions);
        back.Should().BeOfType<UtteranceEvent>().Which.Speech.Should().Be("Tell me about your product");

        var list = JsonSerializer.Deserialize<IReadOnlyList<CviEvent>>($"[{ToolCallDoc},{StreamingDoc}]", CviJson.SerializerOptions);
        list.Should().HaveCount(2);
        list![0].Should().BeOfType<ToolCallEvent>();
    }

    [Fact]
    public void Decoding_a_string_matches_decoding_bytes() =>
        CviJson.DecodeEvent(UtteranceDoc).Should().BeOfType<UtteranceEvent>().Which.Speech.Should().Be("Tell me about your product");

    [Fact]
    public void Invalid_message_events_cannot_be_encoded() =>
        FluentActions.Invoking(() => CviJson.EncodeEvent(new InvalidMessageEvent(InvalidMessageKind.NotJson, "x", "x")))
            .Should().Throw<ArgumentException>();
}
