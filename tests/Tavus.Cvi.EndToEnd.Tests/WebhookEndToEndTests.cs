using System.Net;
using System.Text.Json.Nodes;
using QuickStart;
using Tavus.Cvi.Emulator;
using Tavus.Cvi.Interactions.Rest;
using Tavus.Cvi.Interactions.Webhooks;
using Tavus.Cvi.Interactions.Protocol;

namespace Tavus.Cvi.EndToEnd.Tests;

/// <summary>
/// The SDK's REST client and webhook parser against the emulator, over real loopback HTTP in both directions: two
/// independent implementations of tavus-protocol.md §D and §E that must agree.
/// </summary>
public sealed class WebhookEndToEndTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Webhooks_arrive_at_the_callback_url_typed_and_authenticated()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var emulator = await CviEmulator.StartAsync(cancellationToken: ct);
        await using var receiver = LocalWebhookReceiver.Start();
        using var tavus = new TavusClient(emulator.ApiKey, new TavusClientOptions { BaseUri = emulator.TavusApiBaseUri });

        var conversation = await tavus.CreateConversationAsync(new CreateConversationRequest
        {
            ConversationName = "webhook e2e",
            CallbackUrl = receiver.CallbackUrl,
        }, ct);
        receiver.BindTo(conversation.ConversationId);

        // The replica joins when the first participant does; join with a bare WebSocket client (not the SDK's transport).
        using var http = new HttpClient();
        await using var participant = await Tavus.Cvi.LoadTest.RawDailyClient.JoinAsync(http, emulator.BaseUri, conversation.ConversationId, ct);

        var joined = await receiver.WaitForAsync<ReplicaJoinedWebhookEvent>(ct).WaitAsync(Timeout, ct);
        joined.ConversationId.Should().Be(conversation.ConversationId);
        joined.MessageType.Should().Be("system");
        joined.FaceId.Should().NotBeNullOrEmpty().And.Be(conversation.FaceId);
        joined.WebhookUrl.Should().Be(receiver.CallbackUrl.AbsoluteUri);

        await tavus.EndConversationAsync(conversation.ConversationId, ct);

        var shutdown = await receiver.WaitForAsync<ShutdownWebhookEvent>(ct).WaitAsync(Timeout, ct);
        shutdown.ShutdownReason.Kind.Should().Be(ShutdownReasonKind.EndConversationEndpointHit);
        shutdown.Timestamp.Should().NotBeNull();
        var transcript = await receiver.WaitForAsync<TranscriptionReadyWebhookEvent>(ct).WaitAsync(Timeout, ct);
        transcript.Transcript.Should().NotBeEmpty();
        transcript.Transcript[0].Role.Should().Be(TranscriptEntry.SystemRole);
        receiver.Rejected.Should().Be(0);

        // What the parser typed is what the emulator sent.
        var deliveries = emulator.GetWebhookDeliveries(conversation.ConversationId);
        deliveries.Should().Contain(d => d.EventType == "system.shutdown" && d.StatusCode == 200);
        foreach (var delivery in deliveries)
        {
            var parsed = TavusWebhookParser.Parse(delivery.Body);
            parsed.IsValid.Should().BeTrue();
            parsed.Event!.EventType.Should().Be(delivery.EventType);
            parsed.Event.Should().NotBeOfType<UnknownWebhookEvent>();
        }
    }

    [Fact]
    public async Task A_callback_with_a_wrong_token_or_conversation_is_refused()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var receiver = LocalWebhookReceiver.Start();
        receiver.BindTo("c-expected");
        using var http = new HttpClient();
        var body = """{"event_type":"system.shutdown","message_type":"system","conversation_id":"c-expected","properties":{"shutdown_reason":"max_call_duration reached"}}""";

        var noToken = new UriBuilder(receiver.CallbackUrl) { Query = string.Empty }.Uri;
        var wrongToken = WebhookCallbackToken.AddToUrl(noToken, WebhookCallbackToken.Create());
        (await http.PostAsync(noToken, new StringContent(body), ct)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await http.PostAsync(wrongToken, new StringContent(body), ct)).StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await http.PostAsync(receiver.CallbackUrl, new StringContent(body.Replace("c-expected", "c-other", StringComparison.Ordinal)), ct))
            .StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        (await http.PostAsync(receiver.CallbackUrl, new StringContent("not json"), ct)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        receiver.Rejected.Should().Be(4);

        (await http.PostAsync(receiver.CallbackUrl, new StringContent(body), ct)).StatusCode.Should().Be(HttpStatusCode.OK);
        var shutdown = await receiver.WaitForAsync<ShutdownWebhookEvent>(ct).WaitAsync(Timeout, ct);
        shutdown.ShutdownReason.Kind.Should().Be(ShutdownReasonKind.MaxCallDuration);
    }

    [Fact]
    public async Task The_rest_client_and_the_emulator_agree_on_every_call()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var emulator = await CviEmulator.StartAsync(new CviEmulatorOptions { MaxConcurrentConversations = 2 }, ct);
        using var tavus = new TavusClient(emulator.ApiKey, new TavusClientOptions { BaseUri = emulator.TavusApiBaseUri });

        var first = await tavus.CreateConversationAsync(new CreateConversationRequest { FaceId = "r-face", PalId = "p-pal", ConversationName = "one" }, ct);
        var second = await tavus.CreateConversationAsync(new CreateConversationRequest { ConversationName = "two" }, ct);
        var testMode = await tavus.CreateConversationAsync(new CreateConversationRequest { TestMode = true }, ct);

        first.Status.Should().Be(ConversationStatus.Active);
        first.FaceId.Should().Be("r-face");
        first.PalId.Should().Be("p-pal");
        first.ConversationUrl.Should().Be(emulator.GetConversationUrl(first.ConversationId));
        first.CreatedAt.Should().NotBeNull();
        testMode.Status.Should().Be(ConversationStatus.Ended);

        // The concurrency limit, answered as Tavus does (§D.7).
        var limit = (await FluentActions.Awaiting(() => tavus.CreateConversationAsync(new CreateConversationRequest(), ct))
            .Should().ThrowAsync<TavusApiException>()).Which;
        limit.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        limit.ApiMessage.Should().Be("User has reached maximum concurrent conversations");

        var got = await tavus.GetConversationAsync(first.ConversationId, verbose: true, ct);
        got.ConversationName.Should().Be("one");
        got.Status.Should().Be(ConversationStatus.Active);

        var active = await tavus.ListConversationsAsync(new ListConversationsOptions { Status = ConversationStatus.Active }, ct);
        active.TotalCount.Should().Be(2);
        active.Data.Select(c => c.ConversationId).Should().BeEquivalentTo([first.ConversationId, second.ConversationId]);

        var all = new List<string>();
        await foreach (var c in tavus.ListAllConversationsAsync(pageSize: 1, cancellationToken: ct))
        {
            all.Add(c.ConversationId);
        }

        all.Should().BeEquivalentTo([first.ConversationId, second.ConversationId, testMode.ConversationId]);

        await tavus.EndConversationAsync(first.ConversationId, ct);
        var ended = await tavus.GetConversationAsync(first.ConversationId, verbose: true, ct);
        ended.Status.Should().Be(ConversationStatus.Ended);
        ended.ShutdownReason!.Value.Kind.Should().Be(ShutdownReasonKind.EndConversationEndpointHit);

        await tavus.DeleteConversationAsync(second.ConversationId, hard: true, ct);
        var gone = (await FluentActions.Awaiting(() => tavus.GetConversationAsync(second.ConversationId, cancellationToken: ct))
            .Should().ThrowAsync<TavusApiException>()).Which;
        gone.StatusCode.Should().Be(HttpStatusCode.NotFound);

        using var wrongKey = new TavusClient("not-the-key", new TavusClientOptions { BaseUri = emulator.TavusApiBaseUri });
        var unauthorized = (await FluentActions.Awaiting(() => wrongKey.ListConversationsAsync(cancellationToken: ct))
            .Should().ThrowAsync<TavusApiException>()).Which;
        unauthorized.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        unauthorized.ApiMessage.Should().Be("Invalid access token");
        unauthorized.Message.Should().NotContain("not-the-key");
    }
}
