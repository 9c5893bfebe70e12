using System.Text;

namespace Tavus.Cvi.Interactions.Benchmarks.Codec;

// One realistic message per event and interaction type (shapes from tavus-protocol.md §A and §B).
internal static class Samples
{
    public static readonly IReadOnlyDictionary<string, string> Events = new Dictionary<string, string>
    {
        ["utterance"] = """{"message_type":"conversation","event_type":"conversation.utterance","conversation_id":"c123456","inference_id":"83294d9f-6a2b-4c1e-9f3a-0d2b7c9e1a44","seq":42,"turn_idx":3,"timestamp":1746000000.123,"properties":{"role":"user","speech":"Tell me about your product and how it compares to the others."}}""",
        ["utterance.streaming"] = """{"message_type":"conversation","event_type":"conversation.utterance.streaming","conversation_id":"c123456","inference_id":"83294d9f-6a2b-4c1e-9f3a-0d2b7c9e1a44","seq":43,"turn_idx":3,"timestamp":1746000000.456,"properties":{"role":"replica","speech":"Hello there, I","content_index":2,"final":false}}""",
        ["started_speaking"] = """{"message_type":"conversation","event_type":"conversation.started_speaking","conversation_id":"c1","inference_id":"83294d9f-6a2b-4c1e-9f3a-0d2b7c9e1a44","seq":56,"turn_idx":4,"timestamp":1746000000.1,"properties":{"role":"pal"}}""",
        ["stopped_speaking"] = """{"message_type":"conversation","event_type":"conversation.stopped_speaking","conversation_id":"c1","inference_id":"83294d9f-6a2b-4c1e-9f3a-0d2b7c9e1a44","seq":57,"turn_idx":4,"timestamp":1746000000.1,"properties":{"role":"pal","interrupted":false,"duration":3.42}}""",
        ["replica.started"] = """{"message_type":"conversation","event_type":"conversation.replica.started_speaking","conversation_id":"c1","inference_id":"83294d9f-6a2b-4c1e-9f3a-0d2b7c9e1a44","seq":58,"turn_idx":4}""",
        ["replica.stopped"] = """{"message_type":"conversation","event_type":"conversation.replica.stopped_speaking","conversation_id":"c1","inference_id":"83294d9f-6a2b-4c1e-9f3a-0d2b7c9e1a44","seq":59,"turn_idx":4,"properties":{"duration":3.42,"interrupted":true}}""",
        ["user.started"] = """{"message_type":"conversation","event_type":"conversation.user.started_speaking","conversation_id":"c1","inference_id":"5b1e0c3a-2f4d-4e8b-a1c9-7d6e5f4a3b2c","seq":60,"turn_idx":5,"timestamp":1746000001.5}""",
        ["user.stopped"] = """{"message_type":"conversation","event_type":"conversation.user.stopped_speaking","conversation_id":"c1","inference_id":"5b1e0c3a-2f4d-4e8b-a1c9-7d6e5f4a3b2c","seq":61,"turn_idx":5,"timestamp":1746000002.5}""",
        ["replica_interrupted"] = """{"message_type":"conversation","event_type":"conversation.replica_interrupted","conversation_id":"c1","inference_id":"83294d9f-6a2b-4c1e-9f3a-0d2b7c9e1a44"}""",
        ["tool_call"] = """{"message_type":"conversation","event_type":"conversation.tool_call","conversation_id":"c123456","inference_id":"83294d9f-6a2b-4c1e-9f3a-0d2b7c9e1a44","seq":42,"turn_idx":3,"properties":{"tool_call_id":"call_8f2a","name":"add_to_cart","arguments":"{\"item_name\": \"Bananas\", \"quantity\": 2}"}}""",
        ["perception_tool"] = """{"message_type":"conversation","event_type":"conversation.perception_tool_call","conversation_id":"c58b46f8646d943f","seq":18,"turn_idx":2,"properties":{"modality":"vision","name":"detect_id_card","tool_call_id":"tc-9","arguments":{"card_type":"passport"},"frames":[{"data":"/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/","mime_type":"image/jpeg"}]}}""",
        ["perception_analysis"] = """{"message_type":"conversation","event_type":"conversation.perception_analysis","conversation_id":"c1","properties":{"analysis":"The user appeared engaged throughout, wearing a blue shirt, in a bright office."}}""",
        ["replica_joined"] = """{"message_type":"system","event_type":"system.replica_joined","conversation_id":"c123","timestamp":1752216347.472,"properties":{"replica_id":"r79e1c033f"}}""",
        ["shutdown"] = """{"message_type":"system","event_type":"system.shutdown","conversation_id":"c123","timestamp":1752216347.472,"properties":{"replica_id":"r79e1c033f","shutdown_reason":"participant_left_timeout reached"}}""",
    };

    public static readonly IReadOnlyDictionary<string, string> Interactions = new Dictionary<string, string>
    {
        ["echo.text"] = """{"message_type":"conversation","event_type":"conversation.echo","conversation_id":"c123456","properties":{"modality":"text","text":"Hello from an external echo.","done":true}}""",
        ["echo.audio100ms"] = $$$"""{"message_type":"conversation","event_type":"conversation.echo","conversation_id":"c123456","properties":{"modality":"audio","audio":"{{{Convert.ToBase64String(Pcm100Ms())}}}","sample_rate":24000,"inference_id":"inference-id-123","done":false}}""",
        ["respond"] = """{"message_type":"conversation","event_type":"conversation.respond","conversation_id":"c123456","properties":{"text":"User message as if they had just finished speaking."}}""",
        ["interrupt"] = """{"message_type":"conversation","event_type":"conversation.interrupt","conversation_id":"c123456"}""",
        ["overwrite_context"] = """{"message_type":"conversation","event_type":"conversation.overwrite_llm_context","conversation_id":"c123456","properties":{"context":"The user is shopping for groceries and prefers organic produce."}}""",
        ["append_context"] = """{"message_type":"conversation","event_type":"conversation.append_llm_context","conversation_id":"c123456","properties":{"context":"Additional system context for this turn.","job_status":"completed"}}""",
        ["sensitivity"] = """{"message_type":"conversation","event_type":"conversation.sensitivity","conversation_id":"c123456","properties":{"participant_pause_sensitivity":"high"}}""",
        ["tool_result"] = """{"message_type":"conversation","event_type":"conversation.tool_result","conversation_id":"c123456","properties":{"tool_call_id":"call_8f2a","output":"It is 72 degrees and sunny in San Francisco.","status":"success"}}""",
        ["realtime_api"] = """{"message_type":"conversation","event_type":"conversation.realtime_api","conversation_id":"c123456","properties":{"type":"session.update","session":{"instructions":"Be brief."}}}""",
    };

    // 100 ms of 24 kHz 16-bit mono PCM (4 800 bytes), the chunk Pipecat sends (§A.1): a quiet sine, deterministic.
    private static byte[] Pcm100Ms()
    {
        var pcm = new byte[4800];
        for (var i = 0; i < pcm.Length / 2; i++)
        {
            var sample = (short)(3000 * Math.Sin(i * 2 * Math.PI * 440 / 24000));
            pcm[2 * i] = (byte)sample;
            pcm[(2 * i) + 1] = (byte)(sample >> 8);
        }

        return pcm;
    }

    public static byte[] Utf8(string json) => Encoding.UTF8.GetBytes(json);
}
