using System.Text;
using Tavus.Cvi.Interactions.Protocol;

namespace Tavus.Cvi.Interactions.Tests.Protocol;

// Random mutations of real messages: the decoders must never throw, and whatever they accept must encode again.
public class FuzzTests
{
    private static readonly string[] Seeds =
    [
        """{"message_type":"conversation","event_type":"conversation.utterance","conversation_id":"c123456","inference_id":"83294d9f","seq":42,"turn_idx":3,"timestamp":1746000000.123,"properties":{"role":"user","speech":"Tell me about your product"}}""",
        """{"message_type":"conversation","event_type":"conversation.utterance.streaming","conversation_id":"c1","inference_id":"i","seq":42,"turn_idx":3,"properties":{"role":"replica","speech":"Hello there, I","content_index":2,"final":false}}""",
        """{"message_type":"conversation","event_type":"conversation.stopped_speaking","conversation_id":"c1","inference_id":"i","seq":57,"turn_idx":4,"timestamp":1746000000.1,"properties":{"role":"pal","interrupted":false,"duration":3.42}}""",
        """{"message_type":"conversation","event_type":"conversation.tool_call","conversation_id":"c1","inference_id":"i","seq":42,"properties":{"tool_call_id":"t","name":"add_to_cart","arguments":"{\"item_name\": \"Bananas\", \"quantity\": 2}"}}""",
        """{"message_type":"conversation","event_type":"conversation.perception_tool_call","conversation_id":"c","seq":18,"properties":{"modality":"vision","name":"n","arguments":{"a":1},"frames":[{"data":"/9j/4AAQ","mime_type":"image/jpeg"}]}}""",
        """{"message_type":"system","event_type":"system.shutdown","conversation_id":"c","timestamp":"2025-07-11T06:45:47.472000Z","properties":{"replica_id":"r","shutdown_reason":"end_conversation_endpoint_hit"}}""",
        """{"message_type":"conversation","event_type":"conversation.replica.stopped_speaking","conversation_id":"c","properties":{"duration":null,"inference_id":"x"}}""",
        """{"message_type":"conversation","event_type":"conversation.echo","conversation_id":"c","properties":{"modality":"audio","audio":"AAAA","sample_rate":24000,"inference_id":"i","done":"true"}}""",
        """{"message_type":"conversation","event_type":"conversation.tool_result","conversation_id":"c","properties":{"tool_call_id":"t","output":{"x":[1,2]},"status":"success"}}""",
        """{"message_type":"conversation","event_type":"conversation.sensitivity","conversation_id":"c","properties":{"participant_pause_sensitivity":"high","participant_interrupt_sensitivity":"low"}}""",
        """{"message_type":"conversation","event_type":"conversation.realtime_api","properties":{"type":"session.update","session":{"instructions":"..."}}}""",
    ];

    private static readonly byte[] Interesting = "{}[]\",:0123456789.-eEtruefalsn \\u\t\n"u8.ToArray();

    [Fact]
    public void Thousands_of_mutations_never_throw()
    {
        var random = new Random(20260401);
        var decodedTyped = 0;
        for (var i = 0; i < 5000; i++)
        {
            var seed = Encoding.UTF8.GetBytes(Seeds[random.Next(Seeds.Length)]);
            var mutated = Mutate(seed, random, 1 + random.Next(4));

            var evt = CviJson.DecodeEvent(mutated);
            evt.Should().NotBeNull();
            if (evt is not InvalidMessageEvent)
            {
                decodedTyped++;
                var again = CviJson.DecodeEvent(CviJson.EncodeEvent(evt));
                again.GetType().Should().Be(evt.GetType(), "re-encoding a decoded event keeps its type ({0})", Encoding.UTF8.GetString(mutated));
            }
            else
            {
                ((InvalidMessageEvent)evt).Reason.Should().NotBeNullOrEmpty();
            }

            if (CviJson.TryDecodeInteraction(mutated, out var interaction, out var error))
            {
                interaction.Should().NotBeNull();
                error.Should().BeNull();
                CviJson.TryDecodeInteraction(CviJson.EncodeInteraction(interaction!), out var back, out var backError).Should().BeTrue(backError);
                back!.GetType().Should().Be(interaction!.GetType());
            }
            else
            {
                interaction.Should().BeNull();
                error.Should().NotBeNullOrEmpty();
            }
        }

        // The mutations must exercise both paths, or the test proves little.
        decodedTyped.Should().BeInRange(100, 4900);
    }

    private static byte[] Mutate(byte[] input, Random random, int count)
    {
        var bytes = new List<byte>(input);
        for (var m = 0; m < count && bytes.Count > 0; m++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(7))
            {
                case 0:
                    bytes[at] = (byte)random.Next(256);
                    break;
                case 1:
                    bytes[at] = Interesting[random.Next(Interesting.Length)];
                    break;
                case 2:
                    bytes.RemoveRange(at, Math.Min(bytes.Count - at, 1 + random.Next(8)));
                    break;
                case 3:
                    bytes.Insert(at, Interesting[random.Next(Interesting.Length)]);
                    break;
                case 4:
                    bytes.RemoveRange(at, bytes.Count - at);
                    break;
                case 5:
                    var length = Math.Min(bytes.Count - at, 1 + random.Next(16));
                    bytes.InsertRange(random.Next(bytes.Count), bytes.GetRange(at, length));
                    break;
                default:
                    // Swap a value for one of another type, keeping the structure valid more often.
                    var replacements = new[] { "1", "\"x\"", "null", "true", "[]", "{}", "1.5", "\"true\"" };
                    var colon = bytes.IndexOf((byte)':', at);
                    if (colon >= 0)
                    {
                        var end = colon + 1;
                        while (end < bytes.Count && bytes[end] is not ((byte)',' or (byte)'}'))
                        {
                            end++;
                        }

                        bytes.RemoveRange(colon + 1, end - colon - 1);
                        bytes.InsertRange(colon + 1, Encoding.UTF8.GetBytes(replacements[random.Next(replacements.Length)]));
                    }

                    break;
            }
        }

        return [.. bytes];
    }
}
