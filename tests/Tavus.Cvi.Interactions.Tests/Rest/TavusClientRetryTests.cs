using System.Net;
using System.Net.Http.Headers;
using Tavus.Cvi.Interactions.Rest;

namespace Tavus.Cvi.Interactions.Tests.Rest;

/// <summary>
/// Retries happen only on safe calls (get, list, end, delete) after 5xx or connection failures, bounded, with
/// exponential backoff through the injected clock; a create is never retried (tavus-protocol.md §D.7).
/// </summary>
public sealed class TavusClientRetryTests
{
    private const string ApiKey = "tvs_retry_key";

    private static (TavusClient Client, RecordingHandler Handler, RecordingTimeProvider Clock) Create(int maxRetries = 3)
    {
        var handler = new RecordingHandler();
        var clock = new RecordingTimeProvider();
        var client = new TavusClient(new HttpClient(handler), ApiKey, new TavusClientOptions
        {
            TimeProvider = clock,
            MaxRetries = maxRetries,
            RetryDelay = TimeSpan.FromSeconds(1),
            MaxRetryDelay = TimeSpan.FromSeconds(3),
        });
        return (client, handler, clock);
    }

    [Fact]
    public async Task Get_is_retried_after_5xx_with_exponential_backoff()
    {
        var (client, handler, clock) = Create();
        handler.ThenStatus(HttpStatusCode.ServiceUnavailable)
               .ThenStatus(HttpStatusCode.BadGateway)
               .ThenJson(HttpStatusCode.OK, """{"conversation_id":"c1"}""");

        var conversation = await client.GetConversationAsync("c1", cancellationToken: TestContext.Current.CancellationToken);

        conversation.ConversationId.Should().Be("c1");
        handler.Requests.Should().HaveCount(3);
        handler.Requests.Should().OnlyContain(r => r.Method == HttpMethod.Get && r.Uri.AbsolutePath == "/v2/conversations/c1");
        clock.Delays.Should().Equal(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));
    }

    [Fact]
    public async Task Retries_are_bounded_and_the_last_error_is_thrown()
    {
        var (client, handler, clock) = Create(maxRetries: 3);
        for (var i = 0; i < 4; i++)
        {
            handler.ThenJson(HttpStatusCode.InternalServerError, """{"message":"boom"}""");
        }

        var ex = (await FluentActions.Awaiting(() => client.ListConversationsAsync(cancellationToken: TestContext.Current.CancellationToken))
            .Should().ThrowAsync<TavusApiException>()).Which;

        ex.StatusCode.Should().Be(HttpStatusCode.InternalServerError);
        ex.ApiMessage.Should().Be("boom");
        handler.Requests.Should().HaveCount(4);
        // 1 s, 2 s, then 4 s capped at MaxRetryDelay.
        clock.Delays.Should().Equal(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3));
    }

    [Theory]
    [InlineData("end")]
    [InlineData("delete")]
    public async Task End_and_delete_are_retried(string call)
    {
        var (client, handler, clock) = Create();
        handler.ThenStatus(HttpStatusCode.GatewayTimeout).ThenStatus(call == "end" ? HttpStatusCode.OK : HttpStatusCode.NoContent);

        await (call == "end"
            ? client.EndConversationAsync("c1", TestContext.Current.CancellationToken)
            : client.DeleteConversationAsync("c1", hard: true, TestContext.Current.CancellationToken));

        handler.Requests.Should().HaveCount(2);
        clock.Delays.Should().ContainSingle();
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.InternalServerError)]
    public async Task Create_is_never_retried_after_a_5xx(HttpStatusCode status)
    {
        var (client, handler, clock) = Create();
        handler.ThenStatus(status).ThenJson(HttpStatusCode.OK, """{"conversation_id":"dup"}""");

        await FluentActions.Awaiting(() => client.CreateConversationAsync(new CreateConversationRequest(), TestContext.Current.CancellationToken))
            .Should().ThrowAsync<TavusApiException>();

        handler.Requests.Should().ContainSingle();
        clock.Delays.Should().BeEmpty();
    }

    [Fact]
    public async Task Create_is_never_retried_after_a_connection_failure()
    {
        var (client, handler, clock) = Create();
        handler.ThenThrow(new HttpRequestException("Connection reset")).ThenJson(HttpStatusCode.OK, """{"conversation_id":"dup"}""");

        await FluentActions.Awaiting(() => client.CreateConversationAsync(new CreateConversationRequest(), TestContext.Current.CancellationToken))
            .Should().ThrowAsync<HttpRequestException>();

        handler.Requests.Should().ContainSingle();
        clock.Delays.Should().BeEmpty();
    }

    [Fact]
    public async Task Get_is_retried_after_a_connection_failure_and_an_http_timeout()
    {
        var (client, handler, clock) = Create();
        handler.ThenThrow(new HttpRequestException("Connection refused"))
               .ThenThrow(new TaskCanceledException("The request was canceled due to the configured HttpClient.Timeout"))
               .ThenJson(HttpStatusCode.OK, """{"conversation_id":"c1"}""");

        var conversation = await client.GetConversationAsync("c1", cancellationToken: TestContext.Current.CancellationToken);

        conversation.ConversationId.Should().Be("c1");
        handler.Requests.Should().HaveCount(3);
        clock.Delays.Should().HaveCount(2);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.NotImplemented)]
    public async Task Client_errors_are_not_retried(HttpStatusCode status)
    {
        var (client, handler, clock) = Create();
        handler.ThenStatus(status).ThenJson(HttpStatusCode.OK, """{"conversation_id":"c1"}""");

        var ex = (await FluentActions.Awaiting(() => client.GetConversationAsync("c1", cancellationToken: TestContext.Current.CancellationToken))
            .Should().ThrowAsync<TavusApiException>()).Which;

        ex.StatusCode.Should().Be(status);
        handler.Requests.Should().ContainSingle();
        clock.Delays.Should().BeEmpty();
    }

    [Fact]
    public async Task Retry_after_is_honoured_up_to_the_cap()
    {
        var (client, handler, clock) = Create();
        handler.Then(_ => WithRetryAfter(TimeSpan.FromSeconds(2)))
               .Then(_ => WithRetryAfter(TimeSpan.FromSeconds(60)))
               .ThenJson(HttpStatusCode.OK, """{"conversation_id":"c1"}""");

        await client.GetConversationAsync("c1", cancellationToken: TestContext.Current.CancellationToken);

        clock.Delays.Should().Equal(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3));

        static HttpResponseMessage WithRetryAfter(TimeSpan delta)
        {
            var response = new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
            response.Headers.RetryAfter = new RetryConditionHeaderValue(delta);
            return response;
        }
    }

    [Fact]
    public async Task Zero_max_retries_turns_retries_off()
    {
        var (client, handler, clock) = Create(maxRetries: 0);
        handler.ThenStatus(HttpStatusCode.ServiceUnavailable);

        await FluentActions.Awaiting(() => client.GetConversationAsync("c1", cancellationToken: TestContext.Current.CancellationToken))
            .Should().ThrowAsync<TavusApiException>();

        handler.Requests.Should().ContainSingle();
        clock.Delays.Should().BeEmpty();
    }

    [Fact]
    public async Task Cancellation_stops_the_call_and_is_not_retried()
    {
        var (client, handler, clock) = Create();
        using var cts = new CancellationTokenSource();
        handler.Then(_ =>
        {
            cts.Cancel();
            throw new TaskCanceledException("cancelled", null, cts.Token);
        });

        await FluentActions.Awaiting(() => client.GetConversationAsync("c1", cancellationToken: cts.Token))
            .Should().ThrowAsync<OperationCanceledException>();

        handler.Requests.Should().ContainSingle();
        clock.Delays.Should().BeEmpty();
    }

    [Fact]
    public async Task A_cancelled_token_sends_nothing()
    {
        var (client, handler, _) = Create();
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await FluentActions.Awaiting(() => client.CreateConversationAsync(new CreateConversationRequest(), cts.Token))
            .Should().ThrowAsync<OperationCanceledException>();

        handler.Requests.Should().BeEmpty();
    }

    [Fact]
    public async Task Cancellation_during_backoff_stops_the_retries()
    {
        var handler = new RecordingHandler();
        var clock = new Microsoft.Extensions.Time.Testing.FakeTimeProvider();
        using var client = new TavusClient(new HttpClient(handler), ApiKey, new TavusClientOptions { TimeProvider = clock });
        var answered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        handler.Then(_ =>
        {
            answered.TrySetResult();
            return new HttpResponseMessage(HttpStatusCode.ServiceUnavailable);
        });
        using var cts = new CancellationTokenSource();

        // The fake clock never advances, so the call waits in backoff until the token is cancelled.
        var call = client.GetConversationAsync("c1", cancellationToken: cts.Token);
        await answered.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await cts.CancelAsync();

        await FluentActions.Awaiting(() => call).Should().ThrowAsync<OperationCanceledException>();
        handler.Requests.Should().ContainSingle();
    }
}
