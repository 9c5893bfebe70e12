using System.Text;
using System.Text.Json;
using Tavus.Cvi.Interactions.Protocol;

namespace Tavus.Cvi.Interactions.Tests.Protocol;

public class EqualityTests
{
    private const string ToolCall = """
        {"message_type":"conversation","event_type":"conversation.tool_call","conversation_id":"c","inference_id":"i","seq":1,
         "x_region":"eu","properties":{"tool_call_id":"t","name":"n","arguments":{"a":[1,2]},"x_extra":{"k":true}}}
        """;

    [Fact]
    public void Two_decodes_of_the_same_message_are_equal()
    {
        var a = CviJson.DecodeEvent(Encoding.UTF8.GetBytes(ToolCall));
        var b = CviJson.DecodeEvent(Encoding.UTF8.GetBytes(ToolCall.Replace("\n", " ", StringComparison.Ordinal)));
        a.Should().BeOfType<ToolCallEvent>();
        a.Should().Be(b);
        a.GetHashCode().Should().Be(b.GetHashCode());
    }

    [Fact]
    public void Raw_json_members_compare_by_content()
    {
        var a = (ToolCallEvent)CviJson.DecodeEvent(Encoding.UTF8.GetBytes(ToolCall));
        using var other = JsonDocument.Parse("""{"a":[1,3]}""");
        (a with { Arguments = other.RootElement.Clone() }).Should().NotBe(a);
        (a with { ExtensionData = null }).Should().NotBe(a);
        (a with { AdditionalProperties = new Dictionary<string, JsonElement>() }).Should().NotBe(a);
        (a with { Seq = 2 }).Should().NotBe(a);
        (a with { Name = "m" }).Should().NotBe(a);
    }

    [Fact]
    public void Null_and_empty_kept_keys_are_equal() =>
        new UtteranceEvent { Speech = "x" }.Should().Be(new UtteranceEvent { Speech = "x", AdditionalProperties = new Dictionary<string, JsonElement>() });

    [Fact]
    public void Different_event_types_with_the_same_fields_differ()
    {
        new UserStartedSpeakingEvent { Seq = 1 }.Should().NotBe(new UserStoppedSpeakingEvent { Seq = 1 });
        new ReplicaInterruptedEvent().Should().NotBe(new ReplicaInterruptedEvent { EventType = CviEventTypes.LegacyReplicaInterrupted });
    }

    [Fact]
    public void Interactions_with_json_members_compare_by_content()
    {
        ToolResultInteraction.FromText("t", "out").Should().Be(ToolResultInteraction.FromText("t", "out"));
        ToolResultInteraction.FromText("t", "out").Should().NotBe(ToolResultInteraction.FromText("t", "other"));
        using var a = JsonDocument.Parse("""{"type":"x"}""");
        using var b = JsonDocument.Parse("""{ "type" : "x" }""");
        new RealtimeApiInteraction { Body = a.RootElement.Clone() }.Should().Be(new RealtimeApiInteraction { Body = b.RootElement.Clone() });
        new RespondInteraction { Text = "a", ConversationId = "c" }.Should().NotBe(new RespondInteraction { Text = "a", ConversationId = "d" });
    }
}
