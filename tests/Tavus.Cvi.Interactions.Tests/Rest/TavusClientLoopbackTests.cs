using System.Net;
using System.Net.Sockets;
using System.Text;
using Tavus.Cvi.Interactions.Rest;

namespace Tavus.Cvi.Interactions.Tests.Rest;

/// <summary>The client over real HTTP on 127.0.0.1: what actually goes on the wire, and real connection failures.</summary>
public sealed class TavusClientLoopbackTests
{
    private const string ApiKey = "tvs_loopback_key";

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }

    [Fact]
    public async Task Create_over_real_http_sends_the_key_header_and_json()
    {
        var port = FreePort();
        using var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{port}/api/");
        listener.Start();
        using var client = new TavusClient(ApiKey, new TavusClientOptions { BaseUri = new Uri($"http://127.0.0.1:{port}/api/") });

        var call = client.CreateConversationAsync(new CreateConversationRequest { FaceId = "r1", TestMode = true }, TestContext.Current.CancellationToken);
        var context = await listener.GetContextAsync().WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        string body;
        using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
        {
            body = await reader.ReadToEndAsync(TestContext.Current.CancellationToken);
        }

        context.Request.HttpMethod.Should().Be("POST");
        context.Request.Url!.AbsolutePath.Should().Be("/api/v2/conversations");
        context.Request.Headers["x-api-key"].Should().Be(ApiKey);
        context.Request.ContentType.Should().Be("application/json; charset=utf-8");
        context.Request.UserAgent.Should().StartWith("Tavus.Cvi.Interactions/");
        body.Should().Be("""{"face_id":"r1","test_mode":true}""");

        var reply = Encoding.UTF8.GetBytes("""{"conversation_id":"c9","conversation_url":"http://127.0.0.1/tavus/c9","status":"ended"}""");
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        await context.Response.OutputStream.WriteAsync(reply, TestContext.Current.CancellationToken);
        context.Response.Close();

        var conversation = await call.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        conversation.ConversationId.Should().Be("c9");
        conversation.Status.Should().Be(ConversationStatus.Ended);
    }

    [Fact]
    public async Task A_refused_connection_is_retried_for_get_but_not_for_create()
    {
        var port = FreePort(); // nothing listens there any more
        var clock = new RecordingTimeProvider();
        using var client = new TavusClient(ApiKey, new TavusClientOptions
        {
            BaseUri = new Uri($"http://127.0.0.1:{port}/"),
            TimeProvider = clock,
            MaxRetries = 2,
        });

        var getError = await FluentActions.Awaiting(() => client.GetConversationAsync("c1", cancellationToken: TestContext.Current.CancellationToken))
            .Should().ThrowAsync<HttpRequestException>();
        getError.Which.Message.Should().NotContain(ApiKey);
        clock.Delays.Should().Equal(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2));

        clock.Delays.Clear();
        await FluentActions.Awaiting(() => client.CreateConversationAsync(new CreateConversationRequest(), TestContext.Current.CancellationToken))
            .Should().ThrowAsync<HttpRequestException>();
        clock.Delays.Should().BeEmpty();
    }
}
