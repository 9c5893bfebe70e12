using QuickStart;
using Tavus.Cvi.Interactions.Session;

namespace Tavus.Cvi.EndToEnd.Tests;

/// <summary>
/// The README's run command, as code: the QuickStart flow against the embedded emulator (REST, webhooks, the Daily
/// room over real loopback sockets, the scripted replica) must complete by itself and do each step it claims.
/// </summary>
public sealed class QuickStartEndToEndTests
{
    [Fact]
    public async Task The_quickstart_flow_completes_against_the_emulator()
    {
        var ct = TestContext.Current.CancellationToken;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        var output = new StringWriter();

        var result = await QuickStartFlow.RunAsync(output, new QuickStartSettings(), timeout.Token);

        var text = output.ToString();
        result.UsedEmulator.Should().BeTrue(text);
        result.ConversationId.Should().NotBeNullOrEmpty();

        // The webhooks arrived at the sample's callback URL, token-checked, in order.
        result.Webhooks.Should().StartWith(["system.replica_joined"], text);
        result.Webhooks.Should().Contain("system.shutdown");
        result.ShutdownReason.Should().Be("end_conversation_endpoint_hit");

        // The tool was called by the replica, answered by the session, and its output spoken.
        result.Events.Should().Contain("conversation.tool_call");
        result.ToolCallArguments.Should().Contain("location");
        result.ReplyUsingToolResult.Should().Contain("sunny and 21 degrees");

        // The echo was spoken, the long answer interrupted, and the end call announced in the room before it closed.
        result.Events.Should().Contain(["system.replica_joined", "conversation.utterance", "conversation.started_speaking", "conversation.stopped_speaking"]);
        result.ReplicaWasInterrupted.Should().BeTrue(text);
        result.EndReason.Should().Be(CviSessionEndReason.Shutdown);

        // What the README shows is what the sample prints.
        text.Should().Contain("TAVUS_API_KEY is not set: using the embedded emulator at http://127.0.0.1:");
        text.Should().Contain("<= webhook system.replica_joined");
        text.Should().Contain("-> tool get_weather(San Francisco) answered: \"sunny and 21 degrees in San Francisco\"");
        text.Should().Contain("<- conversation.utterance [pal] \"This line is spoken exactly as written.\"");
        text.Should().Contain("<- conversation.stopped_speaking [pal] interrupted");
        text.Should().Contain("<= webhook system.shutdown (end_conversation_endpoint_hit, kind EndConversationEndpointHit)");
        text.Should().Contain("<- system.shutdown (end_conversation_endpoint_hit)");
        text.Should().Contain("   session ended: Shutdown");
        text.Should().MatchRegex(@"Done in \d+\.\d s: \d+ events from the room, \d+ webhooks\.");
    }
}
