using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tavus.Cvi.Interactions.Protocol;
using Tavus.Cvi.Interactions.Rest;
using Tavus.Cvi.Interactions.Webhooks;

namespace Tavus.Cvi.Interactions.Tests.Rest;

/// <summary>Exact requests (method, path, headers, JSON body) and typed responses of each REST call (tavus-protocol.md §D).</summary>
public sealed class TavusClientRequestTests
{
    private const string ApiKey = "tvs_test_key_0123456789";

    private const string CreatedJson = """
        { "conversation_id": "ca4301628cb9", "conversation_name": "Improve Sales Technique",
          "conversation_url": "https://tavus.daily.co/ca4301628cb9", "status": "active",
          "callback_url": "https://yourwebsite.com/webhook", "created_at": "2025-05-13T06:42:58.291561Z",
          "meeting_token": "eyJhbGciOi.secret", "stream_declared_sample_rate": 48000 }
        """;

    private static (TavusClient Client, RecordingHandler Handler) Create(TavusClientOptions? options = null, RecordingHandler? handler = null)
    {
        handler ??= new RecordingHandler();
        return (new TavusClient(new HttpClient(handler), ApiKey, options), handler);
    }

    private static void BodyShouldBe(string? actual, string expected)
        => JsonNode.DeepEquals(JsonNode.Parse(actual!), JsonNode.Parse(expected)).Should().BeTrue($"body was {actual}");

    [Fact]
    public async Task Create_posts_the_documented_fields_with_the_api_key_header()
    {
        var (client, handler) = Create();
        handler.ThenJson(HttpStatusCode.OK, CreatedJson);

        var conversation = await client.CreateConversationAsync(new CreateConversationRequest
        {
            PalId = "pb87e71797da",
            FaceId = "r4067604db72",
            CallbackUrl = new Uri("https://yourwebsite.com/webhook?token=abc"),
            ConversationName = "Improve Sales Technique",
            ConversationalContext = "You are coaching a sales rep.",
            CustomGreeting = "Hi there!",
            EnableDynamicGreeting = false,
            AudioOnly = false,
            MemoryStores = ["store-1"],
            DocumentIds = ["d1", "d2"],
            DocumentTags = ["sales"],
            DocumentRetrievalStrategy = DocumentRetrievalStrategy.Balanced,
            TestMode = true,
            RequireAuth = true,
            MaxParticipants = 2,
            Policy = "eu",
            Properties = new ConversationProperties
            {
                MaxCallDuration = 600,
                ParticipantLeftTimeout = 10,
                ParticipantAbsentTimeout = 60,
                EnableRecording = true,
                EnableClosedCaptions = true,
                ApplyGreenscreen = false,
                Language = "multilingual",
                RecordingS3BucketName = "bucket",
                RecordingS3BucketRegion = "us-east-1",
                AwsAssumeRoleArn = "arn:aws:iam::1:role/x",
            },
            AdditionalProperties = new Dictionary<string, JsonElement> { ["extra_payload"] = JsonDocument.Parse("{\"k\":1}").RootElement },
        }, TestContext.Current.CancellationToken);

        var request = handler.Requests.Should().ContainSingle().Subject;
        request.Method.Should().Be(HttpMethod.Post);
        request.Uri.Should().Be(new Uri("https://tavusapi.com/v2/conversations"));
        request.Headers["x-api-key"].Should().Be(ApiKey);
        request.Headers["Accept"].Should().Be("application/json");
        request.Headers.Should().NotContainKey("Authorization");
        request.ContentType.Should().Be("application/json; charset=utf-8");
        BodyShouldBe(request.Body, """
            { "pal_id": "pb87e71797da", "face_id": "r4067604db72",
              "callback_url": "https://yourwebsite.com/webhook?token=abc",
              "conversation_name": "Improve Sales Technique", "conversational_context": "You are coaching a sales rep.",
              "custom_greeting": "Hi there!", "enable_dynamic_greeting": false, "audio_only": false,
              "memory_stores": ["store-1"], "document_ids": ["d1","d2"], "document_tags": ["sales"],
              "document_retrieval_strategy": "balanced", "test_mode": true, "require_auth": true,
              "max_participants": 2, "policy": "eu",
              "properties": { "max_call_duration": 600, "participant_left_timeout": 10, "participant_absent_timeout": 60,
                              "enable_recording": true, "enable_closed_captions": true, "apply_greenscreen": false,
                              "language": "multilingual", "recording_s3_bucket_name": "bucket",
                              "recording_s3_bucket_region": "us-east-1", "aws_assume_role_arn": "arn:aws:iam::1:role/x" },
              "extra_payload": { "k": 1 } }
            """);

        conversation.ConversationId.Should().Be("ca4301628cb9");
        conversation.ConversationName.Should().Be("Improve Sales Technique");
        conversation.ConversationUrl.Should().Be(new Uri("https://tavus.daily.co/ca4301628cb9"));
        conversation.Status.Should().Be(ConversationStatus.Active);
        conversation.CallbackUrl.Should().Be(new Uri("https://yourwebsite.com/webhook"));
        conversation.CreatedAt.Should().Be(new DateTimeOffset(2025, 5, 13, 6, 42, 58, TimeSpan.Zero).AddTicks(2915610));
        conversation.MeetingToken.Should().Be("eyJhbGciOi.secret");
        conversation.AdditionalProperties.Should().ContainKey("stream_declared_sample_rate")
            .WhoseValue.GetInt32().Should().Be(48000);
    }

    [Fact]
    public async Task An_empty_create_request_sends_an_empty_object()
    {
        var (client, handler) = Create();
        handler.ThenJson(HttpStatusCode.OK, CreatedJson);

        await client.CreateConversationAsync(new CreateConversationRequest(), TestContext.Current.CancellationToken);

        handler.Requests.Single().Body.Should().Be("{}");
    }

    [Fact]
    public async Task Legacy_identity_names_are_written_when_asked()
    {
        var (client, handler) = Create(new TavusClientOptions { UseLegacyIdentityFieldNames = true });
        handler.ThenJson(HttpStatusCode.OK, CreatedJson);

        await client.CreateConversationAsync(new CreateConversationRequest { PalId = "p1", FaceId = "r1", ConversationName = "n" },
            TestContext.Current.CancellationToken);

        BodyShouldBe(handler.Requests.Single().Body, """{ "persona_id": "p1", "replica_id": "r1", "conversation_name": "n" }""");
    }

    [Theory]
    [InlineData("""{ "conversation_id": "c1", "persona_id": "p-old", "replica_id": "r-old" }""", "p-old", "r-old")]
    [InlineData("""{ "conversation_id": "c1", "pal_id": "p-new", "face_id": "f-new" }""", "p-new", "f-new")]
    [InlineData("""{ "conversation_id": "c1", "pal_id": "p-new", "persona_id": "p-old", "face_id": "f-new", "replica_id": "r-old" }""", "p-new", "f-new")]
    [InlineData("""{ "conversation_id": "c1" }""", null, null)]
    public async Task Both_identity_spellings_are_read(string json, string? palId, string? faceId)
    {
        var (client, handler) = Create();
        handler.ThenJson(HttpStatusCode.OK, json);

        var conversation = await client.GetConversationAsync("c1", cancellationToken: TestContext.Current.CancellationToken);

        conversation.PalId.Should().Be(palId);
        conversation.FaceId.Should().Be(faceId);
    }

    [Fact]
    public async Task Get_verbose_keeps_the_undocumented_records_and_reads_the_shutdown_reason()
    {
        var (client, handler) = Create();
        handler.ThenJson(HttpStatusCode.OK, """
            { "conversation_id": "c 1", "conversation_name": "n", "conversation_url": "https://tavus.daily.co/c1",
              "callback_url": null, "status": "ended", "replica_id": "r1", "persona_id": "p1",
              "created_at": "2025-05-13T06:42:58.291561Z", "updated_at": "2024-08-28 15:27:40.824457",
              "shutdown_reason": "participant_left_timeout",
              "events": [ { "event_type": "system.replica_joined", "properties": {} } ] }
            """);

        var conversation = await client.GetConversationAsync("c 1", verbose: true, TestContext.Current.CancellationToken);

        var request = handler.Requests.Single();
        request.Method.Should().Be(HttpMethod.Get);
        request.Uri.AbsoluteUri.Should().Be("https://tavusapi.com/v2/conversations/c%201?verbose=true");
        request.Body.Should().BeNull();
        conversation.Status.Should().Be(ConversationStatus.Ended);
        conversation.ShutdownReason!.Value.Kind.Should().Be(ShutdownReasonKind.ParticipantLeftTimeout);
        conversation.UpdatedAt.Should().Be(new DateTimeOffset(2024, 8, 28, 15, 27, 40, TimeSpan.Zero).AddTicks(8244570));
        conversation.AdditionalProperties!["events"].GetArrayLength().Should().Be(1);
    }

    [Fact]
    public async Task Get_without_verbose_sends_no_query()
    {
        var (client, handler) = Create();
        handler.ThenJson(HttpStatusCode.OK, """{ "conversation_id": "c1" }""");

        await client.GetConversationAsync("c1", cancellationToken: TestContext.Current.CancellationToken);

        handler.Requests.Single().Uri.AbsoluteUri.Should().Be("https://tavusapi.com/v2/conversations/c1");
    }

    [Fact]
    public async Task List_sends_limit_page_and_status_and_reads_the_total()
    {
        var (client, handler) = Create();
        handler.ThenJson(HttpStatusCode.OK, """{ "data": [ { "conversation_id": "a", "status": "active" } ], "total_count": 123, "page": 2 }""");

        var page = await client.ListConversationsAsync(new ListConversationsOptions { Limit = 5, Page = 2, Status = ConversationStatus.Active },
            TestContext.Current.CancellationToken);

        handler.Requests.Single().Uri.AbsoluteUri.Should().Be("https://tavusapi.com/v2/conversations?limit=5&page=2&status=active");
        page.TotalCount.Should().Be(123);
        page.Data.Should().ContainSingle().Which.ConversationId.Should().Be("a");
        page.AdditionalProperties!["page"].GetInt32().Should().Be(2);
    }

    [Fact]
    public async Task List_without_options_sends_no_query()
    {
        var (client, handler) = Create();
        handler.ThenJson(HttpStatusCode.OK, """{ "data": [] }""");

        var page = await client.ListConversationsAsync(cancellationToken: TestContext.Current.CancellationToken);

        handler.Requests.Single().Uri.AbsoluteUri.Should().Be("https://tavusapi.com/v2/conversations");
        page.Data.Should().BeEmpty();
        page.TotalCount.Should().BeNull();
    }

    [Fact]
    public async Task List_all_walks_the_pages_until_total_count()
    {
        var (client, handler) = Create();
        handler.ThenJson(HttpStatusCode.OK, """{ "data": [ {"conversation_id":"1"}, {"conversation_id":"2"} ], "total_count": 4 }""")
               .ThenJson(HttpStatusCode.OK, """{ "data": [ {"conversation_id":"3"}, {"conversation_id":"4"} ], "total_count": 4 }""");

        var ids = new List<string>();
        await foreach (var conversation in client.ListAllConversationsAsync(ConversationStatus.Ended, pageSize: 2, TestContext.Current.CancellationToken))
        {
            ids.Add(conversation.ConversationId);
        }

        ids.Should().Equal("1", "2", "3", "4");
        handler.Requests.Select(r => r.Uri.PathAndQuery).Should().Equal(
            "/v2/conversations?limit=2&page=1&status=ended",
            "/v2/conversations?limit=2&page=2&status=ended");
    }

    [Fact]
    public async Task List_all_stops_at_a_short_page_without_total_count()
    {
        var (client, handler) = Create();
        handler.ThenJson(HttpStatusCode.OK, """{ "data": [ {"conversation_id":"1"}, {"conversation_id":"2"} ] }""")
               .ThenJson(HttpStatusCode.OK, """{ "data": [ {"conversation_id":"3"} ] }""");

        var ids = new List<string>();
        await foreach (var conversation in client.ListAllConversationsAsync(pageSize: 2, cancellationToken: TestContext.Current.CancellationToken))
        {
            ids.Add(conversation.ConversationId);
        }

        ids.Should().Equal("1", "2", "3");
        handler.Requests.Should().HaveCount(2);
    }

    [Fact]
    public async Task List_all_fetches_lazily()
    {
        var (client, handler) = Create();
        handler.ThenJson(HttpStatusCode.OK, """{ "data": [ {"conversation_id":"1"}, {"conversation_id":"2"} ], "total_count": 100 }""");

        await foreach (var conversation in client.ListAllConversationsAsync(pageSize: 2, cancellationToken: TestContext.Current.CancellationToken))
        {
            conversation.ConversationId.Should().Be("1");
            break;
        }

        handler.Requests.Should().ContainSingle();
    }

    [Fact]
    public async Task End_posts_to_the_end_path_without_a_body()
    {
        var (client, handler) = Create();
        handler.ThenStatus(HttpStatusCode.OK);

        await client.EndConversationAsync("c123", TestContext.Current.CancellationToken);

        var request = handler.Requests.Single();
        request.Method.Should().Be(HttpMethod.Post);
        request.Uri.AbsoluteUri.Should().Be("https://tavusapi.com/v2/conversations/c123/end");
        request.Body.Should().BeNull();
        request.Headers["x-api-key"].Should().Be(ApiKey);
    }

    [Theory]
    [InlineData(false, "https://tavusapi.com/v2/conversations/c123")]
    [InlineData(true, "https://tavusapi.com/v2/conversations/c123?hard=true")]
    public async Task Delete_sends_delete_with_hard_when_asked(bool hard, string uri)
    {
        var (client, handler) = Create();
        handler.ThenStatus(HttpStatusCode.NoContent);

        await client.DeleteConversationAsync("c123", hard, TestContext.Current.CancellationToken);

        var request = handler.Requests.Single();
        request.Method.Should().Be(HttpMethod.Delete);
        request.Uri.AbsoluteUri.Should().Be(uri);
    }

    [Theory]
    [InlineData("http://127.0.0.1:5123/", "http://127.0.0.1:5123/v2/conversations/c1")]
    [InlineData("http://127.0.0.1:5123/tavus-api", "http://127.0.0.1:5123/tavus-api/v2/conversations/c1")]
    [InlineData("http://127.0.0.1:5123/tavus-api/", "http://127.0.0.1:5123/tavus-api/v2/conversations/c1")]
    public async Task The_base_uri_is_configurable_for_an_emulator(string baseUri, string expected)
    {
        var (client, handler) = Create(new TavusClientOptions { BaseUri = new Uri(baseUri) });
        handler.ThenJson(HttpStatusCode.OK, """{ "conversation_id": "c1" }""");

        await client.GetConversationAsync("c1", cancellationToken: TestContext.Current.CancellationToken);

        handler.Requests.Single().Uri.AbsoluteUri.Should().Be(expected);
    }

    [Fact]
    public void Arguments_are_validated_without_echoing_the_key()
    {
        var act = () => new TavusClient("key\r\nX-Injected: 1");
        act.Should().Throw<ArgumentException>().Which.Message.Should().NotContain("key\r\n").And.NotContain("Injected");

        FluentActions.Invoking(() => new TavusClient(" ")).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => new TavusClient(ApiKey, new TavusClientOptions { MaxRetries = -1 })).Should().Throw<ArgumentOutOfRangeException>();

        var (client, _) = Create();
        FluentActions.Awaiting(() => client.GetConversationAsync("")).Should().ThrowAsync<ArgumentException>();
        FluentActions.Awaiting(() => client.ListConversationsAsync(new ListConversationsOptions { Limit = 0 })).Should().ThrowAsync<ArgumentOutOfRangeException>();
    }

    [Fact]
    public void The_public_json_options_are_read_only_and_round_trip()
    {
        TavusRestJson.Options.IsReadOnly.Should().BeTrue();
        var conversation = JsonSerializer.Deserialize<Conversation>(CreatedJson, TavusRestJson.Options)!;
        var again = JsonSerializer.Deserialize<Conversation>(JsonSerializer.Serialize(conversation, TavusRestJson.Options), TavusRestJson.Options)!;
        again.ConversationId.Should().Be(conversation.ConversationId);
        again.CreatedAt.Should().Be(conversation.CreatedAt);
        again.Status.Should().Be(conversation.Status);
    }
}
