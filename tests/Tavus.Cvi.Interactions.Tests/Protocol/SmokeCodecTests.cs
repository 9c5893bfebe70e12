using System.Text;
using Tavus.Cvi.Interactions.Protocol;

namespace Tavus.Cvi.Interactions.Tests.Protocol;

public class SmokeCodecTests
{
    [Fact]
    public void Decodes_an_utterance()
    {
        var json = """{ "message_type": "conversation", "event_type": "conversation.utterance", "conversation_id": "c123456", "inference_id": "83294d9f", "seq": 42, "turn_idx": 3, "timestamp": 1746000000.123, "properties": { "role": "user", "speech": "Tell me about your product" } }""";
        var evt = CviJson.DecodeEvent(Encoding.UTF8.GetBytes(json));
        var u = evt.Should().BeOfType<UtteranceEvent>().Subject;
        u.Role.Should().Be(ParticipantRole.User);
        u.Speech.Should().Be("Tell me about your product");
        u.Seq.Should().Be(42);
        u.TurnIndex.Should().Be(3);
        u.Timestamp.Should().Be(DateTimeOffset.FromUnixTimeMilliseconds(1746000000123));
        Encoding.UTF8.GetString(CviJson.EncodeEvent(u)).Should().Contain("\"timestamp\":1746000000.123");
    }

    [Fact]
    public void Encodes_interrupt_without_properties()
    {
        var bytes = CviJson.EncodeInteraction(new InterruptInteraction { ConversationId = "c1" });
        Encoding.UTF8.GetString(bytes).Should().Be("""{"message_type":"conversation","event_type":"conversation.interrupt","conversation_id":"c1"}""");
    }
}
