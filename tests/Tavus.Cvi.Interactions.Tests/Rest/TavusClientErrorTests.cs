using System.Net;
using Microsoft.Extensions.Logging;
using Tavus.Cvi.Interactions.Rest;

namespace Tavus.Cvi.Interactions.Tests.Rest;

/// <summary>Error bodies become exception fields (tavus-protocol.md §D.7); the API key and meeting tokens never leak.</summary>
public sealed class TavusClientErrorTests
{
    private const string ApiKey = "tvs_secret_key_ABCDEF";

    [Theory]
    [InlineData(HttpStatusCode.BadRequest, """{"message":"User has reached maximum concurrent conversations"}""", null, "User has reached maximum concurrent conversations")]
    [InlineData(HttpStatusCode.Unauthorized, """{"message":"Invalid access token"}""", null, "Invalid access token")]
    [InlineData(HttpStatusCode.PaymentRequired, """{"error":"Out of conversational credits"}""", "Out of conversational credits", null)]
    [InlineData(HttpStatusCode.NotFound, """{"error":"not_found","message":"Conversation not found"}""", "not_found", "Conversation not found")]
    [InlineData(HttpStatusCode.BadRequest, """{"error":{"message":"nested"}}""", "nested", null)]
    [InlineData(HttpStatusCode.BadRequest, "<html>Bad gateway</html>", null, null)]
    [InlineData(HttpStatusCode.BadRequest, "[1,2]", null, null)]
    public async Task Error_bodies_become_exception_fields(HttpStatusCode status, string body, string? error, string? message)
    {
        var handler = new RecordingHandler().ThenJson(status, body, r => r.Headers.Add("x-request-id", "req-42"));
        using var client = new TavusClient(new HttpClient(handler), ApiKey);

        var thrown = await FluentActions.Awaiting(() => client.CreateConversationAsync(new CreateConversationRequest(), TestContext.Current.CancellationToken))
            .Should().ThrowAsync<TavusApiException>();

        var ex = thrown.Which;
        ex.StatusCode.Should().Be(status);
        ex.Error.Should().Be(error);
        ex.ApiMessage.Should().Be(message);
        ex.ResponseBody.Should().Be(body);
        ex.RequestId.Should().Be("req-42");
        ex.Message.Should().Contain(((int)status).ToString(System.Globalization.CultureInfo.InvariantCulture))
            .And.Contain("POST /v2/conversations")
            .And.NotContain(ApiKey);
        if ((message ?? error) is { } detail)
        {
            ex.Message.Should().Contain(detail);
        }

        ex.Should().BeAssignableTo<Tavus.Cvi.Interactions.Transport.CviException>();
    }

    [Fact]
    public async Task An_empty_error_body_still_gives_the_status()
    {
        var handler = new RecordingHandler().ThenStatus(HttpStatusCode.Forbidden);
        using var client = new TavusClient(new HttpClient(handler), ApiKey);

        var ex = (await FluentActions.Awaiting(() => client.GetConversationAsync("c1", cancellationToken: TestContext.Current.CancellationToken))
            .Should().ThrowAsync<TavusApiException>()).Which;

        ex.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        ex.ResponseBody.Should().BeNull();
        ex.RequestId.Should().BeNull();
        ex.Message.Should().Be("Tavus GET /v2/conversations/c1 failed with 403 (Forbidden)");
    }

    [Fact]
    public async Task An_unreadable_success_body_is_an_api_exception_with_the_body()
    {
        var handler = new RecordingHandler().ThenJson(HttpStatusCode.OK, "{ not json");
        using var client = new TavusClient(new HttpClient(handler), ApiKey);

        var ex = (await FluentActions.Awaiting(() => client.GetConversationAsync("c1", verbose: true, TestContext.Current.CancellationToken))
            .Should().ThrowAsync<TavusApiException>()).Which;

        ex.StatusCode.Should().Be(HttpStatusCode.OK);
        ex.ResponseBody.Should().Be("{ not json");
        ex.InnerException.Should().BeAssignableTo<System.Text.Json.JsonException>();
        ex.Message.Should().NotContain("verbose");
    }

    [Fact]
    public async Task Logs_never_contain_the_api_key_or_a_meeting_token_even_at_trace()
    {
        using var provider = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(provider).SetMinimumLevel(LogLevel.Trace));
        var handler = new RecordingHandler()
            .ThenJson(HttpStatusCode.OK, """{"conversation_id":"c1","meeting_token":"mt-SECRET-123","status":"active"}""")
            .ThenJson(HttpStatusCode.InternalServerError, """{"message":"boom"}""")
            .ThenJson(HttpStatusCode.Unauthorized, """{"message":"Invalid access token"}""");
        using var client = new TavusClient(new HttpClient(handler), ApiKey,
            new TavusClientOptions { LoggerFactory = factory, TimeProvider = new RecordingTimeProvider(), MaxRetries = 1 });

        var created = await client.CreateConversationAsync(new CreateConversationRequest
        {
            Properties = new ConversationProperties { LiveKitRoomToken = "lk-SECRET-456" },
        }, TestContext.Current.CancellationToken);
        await FluentActions.Awaiting(() => client.GetConversationAsync("c1", cancellationToken: TestContext.Current.CancellationToken))
            .Should().ThrowAsync<TavusApiException>();

        created.MeetingToken.Should().Be("mt-SECRET-123");
        provider.Lines.Should().NotBeEmpty();
        provider.Lines.Should().Contain(l => l.Level == LogLevel.Trace && l.Text.Contains("response body"));
        provider.Lines.Should().Contain(l => l.EventId.Id == 3002 && l.Level == LogLevel.Warning);
        provider.Lines.Should().Contain(l => l.EventId.Id == 3003);
        foreach (var line in provider.Lines)
        {
            line.Text.Should().NotContain(ApiKey).And.NotContain("mt-SECRET-123").And.NotContain("lk-SECRET-456");
            line.EventId.Id.Should().BeInRange(3000, 3399);
        }
    }

    [Theory]
    [InlineData("""{"meeting_token":"s","nested":[{"livekit_room_token":"t","ok":"v"}]}""", """{"meeting_token":"***","nested":[{"livekit_room_token":"***","ok":"v"}]}""")]
    [InlineData("""{"ok":"v"}""", """{"ok":"v"}""")]
    [InlineData("""meeting_token garbage""", "(unparseable body withheld: it may contain a secret)")]
    public void Redaction_replaces_secret_fields(string body, string expected)
        => TavusClient.Redact(body).Should().Be(expected);
}
