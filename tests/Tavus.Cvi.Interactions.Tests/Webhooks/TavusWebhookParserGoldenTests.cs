using System.Text;
using System.Text.Json;
using Tavus.Cvi.Interactions.Webhooks;
using Tavus.Cvi.Interactions.Protocol;

namespace Tavus.Cvi.Interactions.Tests.Webhooks;

/// <summary>Golden tests: each webhook example of tavus-protocol.md §E parses to its typed event.</summary>
public sealed class TavusWebhookParserGoldenTests
{
    private static T ParseAs<T>(string json) where T : TavusWebhookEvent
    {
        var result = TavusWebhookParser.Parse(json);
        result.IsValid.Should().BeTrue(result.Error);
        return result.Event.Should().BeOfType<T>().Subject;
    }

    [Fact]
    public void Replica_joined_envelope()
    {
        var json = """
            { "properties": { "replica_id": "r79e1c033f" }, "conversation_id": "c123456",
              "webhook_url": "https://example.com/webhook?token=t1", "event_type": "system.replica_joined",
              "message_type": "system", "timestamp": "2025-07-11T06:45:47.472000Z" }
            """;

        var joined = ParseAs<ReplicaJoinedWebhookEvent>(json);

        joined.EventType.Should().Be(TavusWebhookEventTypes.ReplicaJoined);
        joined.IsPalJoined.Should().BeFalse();
        joined.MessageType.Should().Be("system");
        joined.ConversationId.Should().Be("c123456");
        joined.WebhookUrl.Should().Be("https://example.com/webhook?token=t1");
        joined.Timestamp.Should().Be(new DateTimeOffset(2025, 7, 11, 6, 45, 47, 472, TimeSpan.Zero));
        joined.FaceId.Should().Be("r79e1c033f");
        joined.Properties.GetProperty("replica_id").GetString().Should().Be("r79e1c033f");
        joined.Raw.GetProperty("event_type").GetString().Should().Be("system.replica_joined");
    }

    [Fact]
    public void Pal_joined_is_the_same_event_with_face_id()
    {
        var joined = ParseAs<ReplicaJoinedWebhookEvent>("""
            { "properties": { "face_id": "f1" }, "conversation_id": "c1", "event_type": "system.pal_joined",
              "message_type": "system", "timestamp": "2026-03-02T21:51:47.194Z" }
            """);

        joined.IsPalJoined.Should().BeTrue();
        joined.FaceId.Should().Be("f1");
    }

    [Theory]
    [InlineData("max_call_duration reached", ShutdownReasonKind.MaxCallDuration)]
    [InlineData("participant_left_timeout reached", ShutdownReasonKind.ParticipantLeftTimeout)]
    [InlineData("participant_left_timeout", ShutdownReasonKind.ParticipantLeftTimeout)]
    [InlineData("participant_absent_timeout reached", ShutdownReasonKind.ParticipantAbsentTimeout)]
    [InlineData("bot_could_not_join_meeting_it_was_probably_ended", ShutdownReasonKind.BotCouldNotJoinMeeting)]
    [InlineData("daily_room_has_been_deleted", ShutdownReasonKind.DailyRoomDeleted)]
    [InlineData("exception_encountered_during_conversation_startup", ShutdownReasonKind.StartupException)]
    [InlineData("end_conversation_endpoint_hit", ShutdownReasonKind.EndConversationEndpointHit)]
    [InlineData("internal error occurred at step 4", ShutdownReasonKind.InternalError)]
    [InlineData("Internal Error occurred at step llm", ShutdownReasonKind.InternalError)]
    [InlineData("something_new", ShutdownReasonKind.Unknown)]
    [InlineData("", ShutdownReasonKind.Unknown)]
    public void Shutdown_reasons_match_on_their_stem(string reason, ShutdownReasonKind kind)
    {
        var shutdown = ParseAs<ShutdownWebhookEvent>($$"""
            { "properties": { "replica_id": "r1", "shutdown_reason": "{{reason}}" }, "conversation_id": "c1",
              "webhook_url": "https://example.com/webhook", "event_type": "system.shutdown", "message_type": "system",
              "timestamp": "2025-07-11T06:45:47.472000Z" }
            """);

        shutdown.ShutdownReason.Value.Should().Be(reason);
        shutdown.ShutdownReason.Kind.Should().Be(kind);
        shutdown.FaceId.Should().Be("r1");
    }

    [Fact]
    public void Shutdown_reason_constants_classify_as_themselves()
    {
        ShutdownReason.MaxCallDurationReached.Kind.Should().Be(ShutdownReasonKind.MaxCallDuration);
        ShutdownReason.ParticipantLeftTimeoutReached.Kind.Should().Be(ShutdownReasonKind.ParticipantLeftTimeout);
        ShutdownReason.ParticipantAbsentTimeoutReached.Kind.Should().Be(ShutdownReasonKind.ParticipantAbsentTimeout);
        ShutdownReason.BotCouldNotJoinMeeting.Kind.Should().Be(ShutdownReasonKind.BotCouldNotJoinMeeting);
        ShutdownReason.DailyRoomDeleted.Kind.Should().Be(ShutdownReasonKind.DailyRoomDeleted);
        ShutdownReason.StartupException.Kind.Should().Be(ShutdownReasonKind.StartupException);
        ShutdownReason.EndConversationEndpointHit.Kind.Should().Be(ShutdownReasonKind.EndConversationEndpointHit);
        ShutdownReason.MaxCallDurationReached.IsTimeout.Should().BeTrue();
        ShutdownReason.StartupException.IsError.Should().BeTrue();
        ShutdownReason.EndConversationEndpointHit.IsTimeout.Should().BeFalse();
        ShutdownReason.EndConversationEndpointHit.IsError.Should().BeFalse();
        default(ShutdownReason).Value.Should().BeEmpty();
        ((ShutdownReason)"x").Should().Be(new ShutdownReason("x"));
    }

    [Fact]
    public void A_shutdown_without_a_reason_has_an_empty_one()
    {
        var shutdown = ParseAs<ShutdownWebhookEvent>("""{ "event_type": "system.shutdown", "properties": {} }""");
        shutdown.ShutdownReason.Value.Should().BeEmpty();
        shutdown.ShutdownReason.Kind.Should().Be(ShutdownReasonKind.Unknown);
    }

    [Fact]
    public void Transcription_ready_with_the_system_prompt_and_the_newer_entry_fields()
    {
        var transcript = ParseAs<TranscriptionReadyWebhookEvent>("""
            { "properties": { "replica_id": "r1", "transcript": [
                { "role": "system", "content": "You are a helpful assistant." },
                { "role": "user", "content": "Hello, how are you?", "timestamp": "2025-07-11T06:40:01.000Z",
                  "seconds_from_start": 3.5, "duration": "1.25", "inference_id": "inf-1" },
                { "role": "assistant", "content": "I'm great, thanks!", "seconds_from_start": 5 },
                { "role": "assistant", "content": [ { "type": "text", "text": "parts" } ] },
                42
              ] },
              "conversation_id": "c1", "webhook_url": "https://example.com/webhook",
              "event_type": "application.transcription_ready", "message_type": "application",
              "timestamp": "2025-07-11T06:45:47.472000Z" }
            """);

        transcript.MessageType.Should().Be("application");
        transcript.Transcript.Should().HaveCount(4, "a non-object entry is skipped, not fatal");
        transcript.Transcript[0].Should().Match<TranscriptEntry>(e => e.Role == TranscriptEntry.SystemRole && e.Content == "You are a helpful assistant.");
        var user = transcript.Transcript[1];
        user.Role.Should().Be(TranscriptEntry.UserRole);
        user.Content.Should().Be("Hello, how are you?");
        user.Timestamp.Should().Be(new DateTimeOffset(2025, 7, 11, 6, 40, 1, TimeSpan.Zero));
        user.SecondsFromStart.Should().Be(3.5);
        user.Duration.Should().Be(1.25);
        user.InferenceId.Should().Be("inf-1");
        transcript.Transcript[2].Role.Should().Be(TranscriptEntry.AssistantRole);
        transcript.Transcript[2].SecondsFromStart.Should().Be(5);
        transcript.Transcript[2].Timestamp.Should().BeNull();
        transcript.Transcript[3].Content.Should().Be("""[ { "type": "text", "text": "parts" } ]""");
        transcript.Transcript[3].Raw.GetProperty("role").GetString().Should().Be("assistant");
    }

    [Fact]
    public void Recording_ready_old_shape()
    {
        var recording = ParseAs<RecordingReadyWebhookEvent>("""
            { "properties": { "bucket_name": "my-bucket", "s3_key": "conversations/c1.mp4", "duration": 123 },
              "conversation_id": "c1", "event_type": "application.recording_ready", "message_type": "application",
              "timestamp": "2025-07-11T06:45:47.472000Z" }
            """);

        recording.BucketName.Should().Be("my-bucket");
        recording.S3Key.Should().Be("conversations/c1.mp4");
        recording.Duration.Should().Be(123);
        recording.StorageProvider.Should().BeNull();
        recording.Location.Should().Be("s3://my-bucket/conversations/c1.mp4");
    }

    [Fact]
    public void Recording_ready_new_shape()
    {
        var recording = ParseAs<RecordingReadyWebhookEvent>("""
            { "properties": { "storage_provider": "gcs", "storage_uri": "gs://bucket/c1.mp4" },
              "conversation_id": "c1", "event_type": "application.recording_ready", "message_type": "application" }
            """);

        recording.StorageProvider.Should().Be("gcs");
        recording.StorageUri.Should().Be("gs://bucket/c1.mp4");
        recording.BucketName.Should().BeNull();
        recording.Location.Should().Be("gs://bucket/c1.mp4");
    }

    [Fact]
    public void Perception_analysis()
    {
        var analysis = ParseAs<PerceptionAnalysisWebhookEvent>("""
            { "properties": { "analysis": "The user appeared engaged and was wearing a blue shirt." },
              "conversation_id": "c1", "event_type": "application.perception_analysis", "message_type": "application",
              "timestamp": "2025-07-11T06:45:47.472000Z" }
            """);

        analysis.Analysis.Should().Be("The user appeared engaged and was wearing a blue shirt.");
    }

    [Theory]
    [InlineData("application.recording_copy_failed")]
    [InlineData("application.post_call_action_executed")]
    [InlineData("application.perception_unavailable")]
    [InlineData("system.something_from_2027")]
    public void Unknown_event_types_are_kept_raw(string eventType)
    {
        var unknown = ParseAs<UnknownWebhookEvent>($$"""
            { "properties": { "detail": { "code": 7 } }, "conversation_id": "c1", "event_type": "{{eventType}}",
              "message_type": "application", "timestamp": 1746000000.5 }
            """);

        unknown.EventType.Should().Be(eventType);
        unknown.ConversationId.Should().Be("c1");
        unknown.Timestamp.Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(1746000000500));
        unknown.Properties.GetProperty("detail").GetProperty("code").GetInt32().Should().Be(7);
    }

    [Fact]
    public void A_replica_training_callback_without_envelope_is_kept_raw()
    {
        var unknown = ParseAs<UnknownWebhookEvent>("""{ "replica_id": "r123", "status": "error", "error_message": "bad video" }""");

        unknown.EventType.Should().BeEmpty();
        unknown.FaceId.Should().Be("r123");
        unknown.Properties.ValueKind.Should().Be(JsonValueKind.Undefined);
        unknown.Raw.GetProperty("error_message").GetString().Should().Be("bad video");
    }

    [Fact]
    public void A_video_callback_with_its_own_timestamp_format_is_kept_raw()
    {
        var unknown = ParseAs<UnknownWebhookEvent>("""
            { "video_id": "v1", "video_name": "n", "status": "ready", "download_url": "https://x/v1.mp4",
              "generation_progress": "100/100", "created_at": "2024-08-28 15:27:40.824457" }
            """);

        unknown.Raw.GetProperty("video_id").GetString().Should().Be("v1");
    }

    [Fact]
    public async Task Stream_bytes_and_string_give_the_same_event()
    {
        const string json = """{ "properties": { "replica_id": "r1", "shutdown_reason": "end_conversation_endpoint_hit" }, "conversation_id": "c1", "event_type": "system.shutdown", "message_type": "system" }""";
        var bytes = Encoding.UTF8.GetBytes(json);

        var fromString = TavusWebhookParser.Parse(json);
        var fromBytes = TavusWebhookParser.Parse(bytes);
        await using var stream = new MemoryStream(bytes);
        var fromStream = await TavusWebhookParser.ParseAsync(stream, cancellationToken: TestContext.Current.CancellationToken);

        foreach (var result in new[] { fromString, fromBytes, fromStream })
        {
            var shutdown = result.Event.Should().BeOfType<ShutdownWebhookEvent>().Subject;
            shutdown.ShutdownReason.Should().Be(ShutdownReason.EndConversationEndpointHit);
            shutdown.ConversationId.Should().Be("c1");
            result.ToString().Should().Be("system.shutdown");
        }
    }

    [Fact]
    public async Task A_stream_read_in_small_pieces_is_assembled()
    {
        var json = """{ "event_type": "application.transcription_ready", "properties": { "transcript": [ """
            + string.Join(",", Enumerable.Range(0, 2000).Select(i => $$"""{ "role": "user", "content": "line {{i}}" }"""))
            + "] } }";
        await using var stream = new TrickleStream(Encoding.UTF8.GetBytes(json), pieceSize: 7);

        var result = await TavusWebhookParser.ParseAsync(stream, cancellationToken: TestContext.Current.CancellationToken);

        var transcript = result.Event.Should().BeOfType<TranscriptionReadyWebhookEvent>().Subject;
        transcript.Transcript.Should().HaveCount(2000);
        transcript.Transcript[1999].Content.Should().Be("line 1999");
    }

    /// <summary>A stream that returns at most a few bytes per read, like a slow network body.</summary>
    internal sealed class TrickleStream(byte[] data, int pieceSize) : MemoryStream(data)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, pieceSize));

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
            => base.ReadAsync(buffer[..Math.Min(buffer.Length, pieceSize)], cancellationToken);
    }
}
