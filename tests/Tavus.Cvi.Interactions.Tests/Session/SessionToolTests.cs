using System.Text.Json;
using System.Text.Json.Serialization;
using Tavus.Cvi.Interactions.Protocol;
using Tavus.Cvi.Interactions.Session;

namespace Tavus.Cvi.Interactions.Tests.Session;

public sealed record WeatherArgs(string City, int? Days);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(WeatherArgs))]
internal sealed partial class SessionTestJsonContext : JsonSerializerContext;

public class SessionToolTests
{
    [Fact]
    public async Task Registered_tool_is_called_with_typed_arguments_and_answered_with_a_tool_result()
    {
        var calls = new Collector<ToolCallEvent>();
        await using var h = await SessionHarness.StartAsync(beforeStart: s => s.ToolCallReceived += (_, e) => calls.Add(e.Event));
        ToolCallContext? seen = null;
        h.Session.RegisterTool("get_weather", SessionTestJsonContext.Default.WeatherArgs, (args, ctx, _) =>
        {
            seen = ctx;
            return ValueTask.FromResult<ToolResult>($"Sunny in {args.City} for {args.Days} days.");
        });

        await h.SendFromReplicaAsync(Events.ToolCall("get_weather", """{"city":"Paris","days":3}""", "call-7"));

        (await h.NextSentAsync()).Should().Be("""{"message_type":"conversation","event_type":"conversation.tool_result","conversation_id":"c123","properties":{"tool_call_id":"call-7","output":"Sunny in Paris for 3 days.","status":"success"}}""");
        seen!.ToolCallId.Should().Be("call-7");
        seen.InferenceId.Should().Be("inf-9");
        seen.Session.Should().BeSameAs(h.Session);
        await calls.WaitForCountAsync(1);
        calls.Items[0].Name.Should().Be("get_weather", "a handled call is still raised as ToolCallReceived");
    }

    [Fact]
    public async Task Raw_tool_gets_the_unwrapped_json_and_may_return_an_object()
    {
        await using var h = await SessionHarness.StartAsync();
        h.Session.RegisterTool("add_to_cart", (args, _, _) =>
        {
            args.ValueKind.Should().Be(JsonValueKind.Object);
            var item = args.GetProperty("item_name").GetString();
            using var doc = JsonDocument.Parse($$"""{"added":"{{item}}","count":{{args.GetProperty("quantity").GetInt32()}}}""");
            return ValueTask.FromResult(ToolResult.Success(doc.RootElement));
        });

        await h.SendFromReplicaAsync(Events.ToolCall("add_to_cart", """{"item_name": "Bananas", "quantity": 2}"""));

        (await h.NextSentJsonAsync()).GetProperty("properties").GetRawText()
            .Should().Be("""{"tool_call_id":"call-1","output":{"added":"Bananas","count":2},"status":"success"}""");
    }

    [Fact]
    public async Task Handler_exception_is_answered_with_status_error_without_its_message()
    {
        await using var h = await SessionHarness.StartAsync();
        h.Session.RegisterTool("charge_card", SessionTestJsonContext.Default.WeatherArgs, (_, _, _) =>
            throw new InvalidOperationException("connection string Password=hunter2 rejected"));

        await h.SendFromReplicaAsync(Events.ToolCall("charge_card", """{"city":"x"}""", "call-err"));

        var sent = await h.NextSentAsync();
        sent.Should().Be("""{"message_type":"conversation","event_type":"conversation.tool_result","conversation_id":"c123","properties":{"tool_call_id":"call-err","output":"The tool 'charge_card' failed.","status":"error"}}""");
        sent.Should().NotContain("hunter2");
    }

    [Fact]
    public async Task Invalid_arguments_are_answered_with_status_error()
    {
        await using var h = await SessionHarness.StartAsync();
        bool called = false;
        h.Session.RegisterTool("get_weather", SessionTestJsonContext.Default.WeatherArgs, (_, _, _) =>
        {
            called = true;
            return ValueTask.FromResult<ToolResult>("unreachable");
        });

        await h.SendFromReplicaAsync(Events.ToolCall("get_weather", """{"city": 12""", "call-bad"));

        var result = (await h.NextSentJsonAsync()).GetProperty("properties");
        result.GetProperty("status").GetString().Should().Be("error");
        result.GetProperty("tool_call_id").GetString().Should().Be("call-bad");
        called.Should().BeFalse();
    }

    [Fact]
    public async Task Legacy_reply_styles_echo_or_append_the_result()
    {
        await using var h = await SessionHarness.StartAsync();
        h.Session.RegisterTool("speak", (_, _, _) => ValueTask.FromResult<ToolResult>("Added bananas."), new ToolOptions { ReplyStyle = ToolReplyStyle.Echo });
        h.Session.RegisterTool("learn", (_, _, _) => ValueTask.FromResult<ToolResult>("Cart: bananas x2."), new ToolOptions { ReplyStyle = ToolReplyStyle.AppendContext });

        await h.SendFromReplicaAsync(Events.ToolCall("speak", "{}", toolCallId: null));
        (await h.NextSentAsync()).Should().Be("""{"message_type":"conversation","event_type":"conversation.echo","conversation_id":"c123","properties":{"modality":"text","text":"Added bananas.","done":true}}""");

        await h.SendFromReplicaAsync(Events.ToolCall("learn", "{}", toolCallId: null));
        (await h.NextSentAsync()).Should().Be("""{"message_type":"conversation","event_type":"conversation.append_llm_context","conversation_id":"c123","properties":{"context":"Cart: bananas x2.","job_status":"completed"}}""");
    }

    [Fact]
    public async Task Unregistered_and_unregistered_again_tools_only_raise_the_event()
    {
        var calls = new Collector<ToolCallEvent>();
        await using var h = await SessionHarness.StartAsync(beforeStart: s => s.ToolCallReceived += (_, e) => calls.Add(e.Event));
        var registration = h.Session.RegisterTool("gone", (_, _, _) => ValueTask.FromResult<ToolResult>("no"));
        registration.Dispose();

        await h.SendFromReplicaAsync(Events.ToolCall("gone", "{}", "c-1"));
        await h.SendFromReplicaAsync(Events.ToolCall("never_registered", "{}", "c-2"));
        await calls.WaitForCountAsync(2);
        await h.Session.RespondAsync("marker");

        (await h.NextSentAsync()).Should().Contain("marker", "no tool result was sent before it");
        h.SentByClient().Should().ContainSingle();
    }

    [Fact]
    public async Task A_repeated_call_is_answered_once()
    {
        await using var h = await SessionHarness.StartAsync();
        int count = 0;
        h.Session.RegisterTool("once", (_, _, _) => ValueTask.FromResult<ToolResult>($"call {Interlocked.Increment(ref count)}"));

        await h.SendFromReplicaAsync(Events.ToolCall("once", "{}", "same-id"));
        await h.SendFromReplicaAsync(Events.ToolCall("once", "{}", "same-id"));
        (await h.NextSentAsync()).Should().Contain("call 1");
        await h.Session.RespondAsync("marker");
        (await h.NextSentAsync()).Should().Contain("marker");
        count.Should().Be(1);
    }

    [Fact]
    public async Task A_slow_tool_times_out_on_the_session_clock_with_status_error()
    {
        await using var h = await SessionHarness.StartAsync();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Session.RegisterTool("slow", async (_, _, ct) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
            return "never";
        }, new ToolOptions { Timeout = TimeSpan.FromSeconds(5) });

        await h.SendFromReplicaAsync(Events.ToolCall("slow", "{}", "call-slow"));
        await started.Task.Within();
        h.Time.Advance(TimeSpan.FromSeconds(5));

        var result = (await h.NextSentJsonAsync()).GetProperty("properties");
        result.GetProperty("status").GetString().Should().Be("error");
        result.GetProperty("output").GetString().Should().Be("The tool 'slow' timed out.");
    }

    [Fact]
    public async Task Duplicate_registration_is_refused()
    {
        await using var h = await SessionHarness.StartAsync();
        h.Session.RegisterTool("t", (_, _, _) => ValueTask.FromResult<ToolResult>("a"));
        var act = () => h.Session.RegisterTool("t", (_, _, _) => ValueTask.FromResult<ToolResult>("b"));
        act.Should().Throw<ArgumentException>();
    }
}

public class SessionPerceptionToolTests
{
    [Fact]
    public async Task A_registered_perception_tool_runs_and_is_answered_only_when_the_call_has_an_id()
    {
        await using var h = await SessionHarness.StartAsync();
        var seen = new Collector<string>();
        h.Session.RegisterTool("notify_sarcasm_detected", (args, call, _) =>
        {
            call.IsPerception.Should().BeTrue();
            seen.Add(args.GetProperty("reason").GetString()!);
            return ValueTask.FromResult<ToolResult>("noted");
        });

        // Audio perception tools send their arguments as a JSON string, vision ones as an object (§B.6).
        await h.SendFromReplicaAsync("""{"message_type":"conversation","event_type":"conversation.perception_tool_call","conversation_id":"c123","seq":17,"properties":{"modality":"audio","name":"notify_sarcasm_detected","arguments":"{\"reason\":\"fire and forget\"}"}}""");
        await h.SendFromReplicaAsync("""{"message_type":"conversation","event_type":"conversation.perception_tool_call","conversation_id":"c123","seq":18,"properties":{"modality":"vision","tool_call_id":"p-2","name":"notify_sarcasm_detected","arguments":{"reason":"answer me"}}}""");

        (await h.NextSentAsync()).Should().Be("""{"message_type":"conversation","event_type":"conversation.tool_result","conversation_id":"c123","properties":{"tool_call_id":"p-2","output":"noted","status":"success"}}""");
        await seen.WaitForCountAsync(2);
        seen.Items.Should().BeEquivalentTo("fire and forget", "answer me");
        h.SentByClient().Should().ContainSingle();
    }
}
