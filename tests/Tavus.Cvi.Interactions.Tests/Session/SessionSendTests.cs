using System.Text.Json;
using Tavus.Cvi.Interactions.Protocol;
using Tavus.Cvi.Interactions.Session;
using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.Interactions.Tests.Session;

public class SessionSendTests
{
    [Fact]
    public async Task Each_method_puts_the_exact_documented_json_on_the_wire()
    {
        await using var h = await SessionHarness.StartAsync();
        var s = h.Session;

        await s.EchoAsync("Hello there.");
        (await h.NextSentAsync()).Should().Be("""{"message_type":"conversation","event_type":"conversation.echo","conversation_id":"c123","properties":{"modality":"text","text":"Hello there.","done":true}}""");

        await s.EchoAsync("Part one", inferenceId: "inf-1", done: false);
        (await h.NextSentAsync()).Should().Be("""{"message_type":"conversation","event_type":"conversation.echo","conversation_id":"c123","properties":{"modality":"text","text":"Part one","inference_id":"inf-1","done":false}}""");

        await s.RespondAsync("What is on the menu?");
        (await h.NextSentAsync()).Should().Be("""{"message_type":"conversation","event_type":"conversation.respond","conversation_id":"c123","properties":{"text":"What is on the menu?"}}""");

        await s.InterruptAsync();
        (await h.NextSentAsync()).Should().Be("""{"message_type":"conversation","event_type":"conversation.interrupt","conversation_id":"c123"}""");

        await s.OverwriteContextAsync("You are a barista.");
        (await h.NextSentAsync()).Should().Be("""{"message_type":"conversation","event_type":"conversation.overwrite_llm_context","conversation_id":"c123","properties":{"context":"You are a barista."}}""");

        await s.AppendContextAsync("The user likes oat milk.");
        (await h.NextSentAsync()).Should().Be("""{"message_type":"conversation","event_type":"conversation.append_llm_context","conversation_id":"c123","properties":{"context":"The user likes oat milk."}}""");

        await s.AppendContextAsync("Order 42 shipped.", AppendContextInteraction.JobStatusCompleted);
        (await h.NextSentAsync()).Should().Be("""{"message_type":"conversation","event_type":"conversation.append_llm_context","conversation_id":"c123","properties":{"context":"Order 42 shipped.","job_status":"completed"}}""");

        await s.SetPauseSensitivityAsync(Sensitivity.High);
        (await h.NextSentAsync()).Should().Be("""{"message_type":"conversation","event_type":"conversation.sensitivity","conversation_id":"c123","properties":{"participant_pause_sensitivity":"high"}}""");

        await s.SetInterruptSensitivityAsync(Sensitivity.Low);
        (await h.NextSentAsync()).Should().Be("""{"message_type":"conversation","event_type":"conversation.sensitivity","conversation_id":"c123","properties":{"participant_interrupt_sensitivity":"low"}}""");

        await s.SetSensitivityAsync(Sensitivity.Medium, Sensitivity.High);
        (await h.NextSentAsync()).Should().Be("""{"message_type":"conversation","event_type":"conversation.sensitivity","conversation_id":"c123","properties":{"participant_pause_sensitivity":"medium","participant_interrupt_sensitivity":"high"}}""");

        await s.SendToolResultAsync("call-1", "It is 72 degrees and sunny.");
        (await h.NextSentAsync()).Should().Be("""{"message_type":"conversation","event_type":"conversation.tool_result","conversation_id":"c123","properties":{"tool_call_id":"call-1","output":"It is 72 degrees and sunny.","status":"success"}}""");

        using var doc = JsonDocument.Parse("""{"temp":72,"sky":"sunny"}""");
        await s.SendToolResultAsync("call-2", doc.RootElement, ToolResultStatus.Error);
        (await h.NextSentAsync()).Should().Be("""{"message_type":"conversation","event_type":"conversation.tool_result","conversation_id":"c123","properties":{"tool_call_id":"call-2","output":{"temp":72,"sky":"sunny"},"status":"error"}}""");

        await s.SendAsync(new RespondInteraction { Text = "x", ConversationId = "other" });
        (await h.NextSentAsync()).Should().Contain("\"conversation_id\":\"other\"", "an explicit conversation id is kept");
    }

    [Fact]
    public async Task Legacy_context_names_are_written_when_asked()
    {
        await using var h = await SessionHarness.StartAsync(o => o.UseLegacyContextEventNames = true);
        await h.Session.OverwriteContextAsync("a");
        (await h.NextSentJsonAsync()).GetProperty("event_type").GetString().Should().Be("conversation.overwrite_context");
        await h.Session.AppendContextAsync("b");
        (await h.NextSentJsonAsync()).GetProperty("event_type").GetString().Should().Be("conversation.append_context");
    }

    [Fact]
    public async Task Oversized_message_throws_before_anything_is_sent_and_the_session_keeps_working()
    {
        await using var h = await SessionHarness.StartAsync(maxMessageSize: 200);
        var text = new string('é', 150); // 150 UTF-16 code units (300 UTF-8 bytes) plus the envelope: over 200

        var act = () => h.Session.EchoAsync(text);
        var ex = (await act.Should().ThrowAsync<CviMessageTooLargeException>()).Which;
        ex.MaxSize.Should().Be(200);
        ex.Size.Should().Be(JsonEncodedLength(text));
        ex.Message.Should().Contain("conversation.echo");
        h.SentByClient().Should().BeEmpty();

        await h.Session.RespondAsync("still fine");
        (await h.NextSentAsync()).Should().Contain("still fine");
    }

    private static int JsonEncodedLength(string text) =>
        System.Text.Encoding.UTF8.GetCharCount(CviJson.EncodeInteraction(EchoInteraction.FromText(text) with { ConversationId = SessionHarness.ConversationId }));

    [Fact]
    public async Task Sending_after_the_session_ended_fails_with_a_connection_error()
    {
        await using var h = await SessionHarness.StartAsync();
        await h.Session.LeaveAsync();
        var act = () => h.Session.RespondAsync("hello?");
        (await act.Should().ThrowAsync<CviConnectionException>()).Which.Failure.Should().Be(CviConnectionFailure.Closed);
    }

    [Fact]
    public async Task Concurrent_sends_are_all_delivered_whole()
    {
        await using var h = await SessionHarness.StartAsync();
        await Task.WhenAll(Enumerable.Range(0, 50).Select(i => h.Session.RespondAsync($"message {i}")));
        var sent = h.SentByClient();
        sent.Should().HaveCount(50);
        sent.Select(m => JsonDocument.Parse(m).RootElement.GetProperty("properties").GetProperty("text").GetString())
            .Should().BeEquivalentTo(Enumerable.Range(0, 50).Select(i => $"message {i}"));
    }
}
