using Tavus.Cvi.Emulator.Tests.Infrastructure;
using Tavus.Cvi.Interactions.Protocol;

namespace Tavus.Cvi.Emulator.Tests;

/// <summary>Webhooks POSTed for real to the conversation's <c>callback_url</c> (tavus-protocol.md §E).</summary>
public sealed class WebhookTests
{
    [Fact]
    public async Task Replica_joined_shutdown_and_transcription_ready_are_posted_in_order_with_the_documented_envelope()
    {
        await using WebhookReceiver receiver = await WebhookReceiver.StartAsync();
        await using var h = await EmulatorHarness.StartAsync();
        string callback = new Uri(receiver.BaseUri, "hooks/tavus?token=abc").ToString();
        JsonObject created = await h.CreateConversationAsync(new JsonObject { ["replica_id"] = "r77", ["callback_url"] = callback, ["conversational_context"] = "Sales call." });
        string id = created["conversation_id"]!.GetValue<string>();

        await using (RawSignalingClient client = await h.JoinAsync(id))
        {
            (string path, string contentType, JsonObject joined) = await receiver.NextAsync();
            path.Should().Be("/hooks/tavus?token=abc");
            contentType.Should().StartWith("application/json");
            joined["event_type"]!.GetValue<string>().Should().Be("system.replica_joined");
            joined["message_type"]!.GetValue<string>().Should().Be("system");
            joined["conversation_id"]!.GetValue<string>().Should().Be(id);
            joined["webhook_url"]!.GetValue<string>().Should().Be(callback);
            joined["properties"]!["replica_id"]!.GetValue<string>().Should().Be("r77");
            DateTimeOffset.Parse(joined["timestamp"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));

            await client.SendAppMessageAsync(new JsonObject
            {
                ["message_type"] = "conversation",
                ["event_type"] = "conversation.respond",
                ["conversation_id"] = id,
                ["properties"] = new JsonObject { ["text"] = "hello emulator" },
            });
            await client.WaitForAsync(f => f.EventType == "conversation.utterance" && f.MsgData.GetProperty("properties").GetProperty("role").GetString() == "replica");
        }

        // The emulator records a delivery once the receiver's response is back, which is after the receiver saw the
        // body: await the third record rather than read the list when the last body arrives.
        var allDelivered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Emulator.WebhookDelivered += (_, d) =>
        {
            if (h.Emulator.GetWebhookDeliveries(id).Count >= 3) allDelivered.TrySetResult();
        };

        (await h.Http.PostAsync($"v2/conversations/{id}/end", null)).EnsureSuccessStatusCode();
        JsonObject shutdown = (await receiver.NextAsync()).Body;
        shutdown["event_type"]!.GetValue<string>().Should().Be("system.shutdown");
        shutdown["properties"]!["shutdown_reason"]!.GetValue<string>().Should().Be("end_conversation_endpoint_hit");
        shutdown["properties"]!["replica_id"]!.GetValue<string>().Should().Be("r77");

        JsonObject transcript = (await receiver.NextAsync()).Body;
        transcript["event_type"]!.GetValue<string>().Should().Be("application.transcription_ready");
        transcript["message_type"]!.GetValue<string>().Should().Be("application");
        JsonArray lines = transcript["properties"]!["transcript"]!.AsArray();
        lines[0]!["role"]!.GetValue<string>().Should().Be("system");
        lines[0]!["content"]!.GetValue<string>().Should().Contain("Sales call.");
        lines.Select(l => l!["role"]!.GetValue<string>()).Should().Contain(["user", "assistant"]);
        lines.Should().Contain(l => l!["role"]!.GetValue<string>() == "user" && l["content"]!.GetValue<string>() == "hello emulator");

        await allDelivered.Task.WaitAsync(TimeSpan.FromSeconds(30));
        h.Emulator.GetWebhookDeliveries(id).Select(d => (d.EventType, d.StatusCode))
            .Should().Equal(("system.replica_joined", 200), ("system.shutdown", 200), ("application.transcription_ready", 200));
    }

    [Fact]
    public async Task An_unreachable_callback_is_recorded_as_a_failed_delivery()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var delivered = new TaskCompletionSource<Webhooks.WebhookDelivery>(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Emulator.WebhookDelivered += (_, d) => delivered.TrySetResult(d);
        // Port 9 (discard) on loopback: nothing listens, the connection is refused.
        string id = await h.CreateConversationIdAsync(new JsonObject { ["callback_url"] = "http://127.0.0.1:9/hook", ["test_mode"] = false });
        h.Emulator.EndConversation(id, ShutdownReason.ParticipantLeftTimeoutReached);
        Webhooks.WebhookDelivery d = await delivered.Task.WaitAsync(RawSignalingClient.DefaultTimeout);
        d.EventType.Should().Be("system.shutdown");
        d.StatusCode.Should().BeNull();
        d.Error.Should().NotBeNullOrEmpty();
    }
}
