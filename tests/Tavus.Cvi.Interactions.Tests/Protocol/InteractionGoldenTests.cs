using System.Text.Json;
using Tavus.Cvi.Interactions.Protocol;

namespace Tavus.Cvi.Interactions.Tests.Protocol;

// Every interaction example of tavus-protocol.md §A, written exactly, and read back (the emulator's side), plus the
// conflict variants the reader must accept.
public class InteractionGoldenTests
{
    private const string EchoTextDoc = """
        {
          "message_type": "conversation",
          "event_type": "conversation.echo",
          "conversation_id": "your-conversation-id",
          "properties": { "modality": "text", "text": "Hello from an external echo.", "done": true }
        }
        """;

    private const string EchoAudioDoc = """
        {
          "message_type": "conversation",
          "event_type": "conversation.echo",
          "conversation_id": "c123456",
          "properties": {
            "modality": "audio",
            "audio": "<base64>",
            "sample_rate": 24000,
            "inference_id": "inference-id-123",
            "done": false
          }
        }
        """;

    private const string RespondDoc = """
        { "message_type": "conversation", "event_type": "conversation.respond",
          "conversation_id": "your-conversation-id",
          "properties": { "text": "User message as if they had just finished speaking." } }
        """;

    private const string InterruptDoc = """
        { "message_type": "conversation", "event_type": "conversation.interrupt", "conversation_id": "c123456" }
        """;

    private const string OverwriteDoc = """
        { "message_type": "conversation", "event_type": "conversation.overwrite_llm_context",
          "conversation_id": "c123456", "properties": { "context": "New conversational context ..." } }
        """;

    private const string AppendDoc = """
        { "message_type": "conversation", "event_type": "conversation.append_llm_context",
          "conversation_id": "your-conversation-id",
          "properties": { "context": "Additional system context for this turn.", "job_status": "completed" } }
        """;

    private const string SensitivityDoc = """
        { "message_type": "conversation", "event_type": "conversation.sensitivity", "conversation_id": "c123456",
          "properties": { "participant_pause_sensitivity": "high" } }
        """;

    private const string ToolResultDoc = """
        { "message_type": "conversation", "event_type": "conversation.tool_result", "conversation_id": "<id>",
          "properties": { "tool_call_id": "<id from the tool_call event>",
                          "output": "It is 72 degrees and sunny in San Francisco.", "status": "success" } }
        """;

    private const string RealtimeDoc = """
        { "message_type": "conversation", "event_type": "conversation.realtime_api", "conversation_id": "c1",
          "properties": {"type":"session.update","session":{"instructions":"..."}} }
        """;

    [Fact]
    public void Echo_text_is_written_as_documented()
    {
        var echo = EchoInteraction.FromText("Hello from an external echo.") with { ConversationId = "your-conversation-id" };
        JsonAssert.Equivalent(CviJson.EncodeInteraction(echo), EchoTextDoc);
    }

    [Fact]
    public void Echo_text_is_written_in_documented_key_order_and_compactly()
    {
        var echo = EchoInteraction.FromText("Hi") with { ConversationId = "c1" };
        JsonAssert.Text(CviJson.EncodeInteraction(echo)).Should().Be(
            """{"message_type":"conversation","event_type":"conversation.echo","conversation_id":"c1","properties":{"modality":"text","text":"Hi","done":true}}""");
    }

    [Fact]
    public void Echo_audio_is_written_as_documented()
    {
        var echo = new EchoInteraction
        {
            ConversationId = "c123456",
            Modality = EchoModality.Audio,
            Audio = "<base64>",
            SampleRate = 24000,
            InferenceId = "inference-id-123",
            Done = false,
        };
        JsonAssert.Equivalent(CviJson.EncodeInteraction(echo), EchoAudioDoc);
    }

    [Fact]
    public void Echo_from_pcm_base64_encodes_the_samples()
    {
        byte[] pcm = [0x01, 0x00, 0xFF, 0x7F, 0x00, 0x80];
        var echo = EchoInteraction.FromPcm(pcm, 24000, "inf-1", done: false) with { ConversationId = "c1" };
        echo.Modality.Should().Be(EchoModality.Audio);
        echo.Audio.Should().Be(Convert.ToBase64String(pcm));
        echo.TryGetPcm(out var back).Should().BeTrue();
        back.Should().Equal(pcm);
        JsonAssert.Equivalent(CviJson.EncodeInteraction(echo), $$$"""
            {"message_type":"conversation","event_type":"conversation.echo","conversation_id":"c1",
             "properties":{"modality":"audio","audio":"{{{Convert.ToBase64String(pcm)}}}","sample_rate":24000,"inference_id":"inf-1","done":false}}
            """);
    }

    [Fact]
    public void Echo_from_pcm_validates_its_arguments()
    {
        FluentActions.Invoking(() => EchoInteraction.FromPcm(new byte[3], 24000, "i", true)).Should().Throw<ArgumentException>();
        FluentActions.Invoking(() => EchoInteraction.FromPcm(new byte[2], 0, "i", true)).Should().Throw<ArgumentOutOfRangeException>();
        FluentActions.Invoking(() => EchoInteraction.FromPcm(new byte[2], 24000, "", true)).Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Echo_without_modality_infers_it_when_written()
    {
        JsonAssert.Text(CviJson.EncodeInteraction(new EchoInteraction { Audio = "AAA=" })).Should().Contain("\"modality\":\"audio\"");
        JsonAssert.Text(CviJson.EncodeInteraction(new EchoInteraction { Text = "x" })).Should().Contain("\"modality\":\"text\"");
    }

    [Fact]
    public void Respond_is_written_as_documented() =>
        JsonAssert.Equivalent(
            CviJson.EncodeInteraction(new RespondInteraction { ConversationId = "your-conversation-id", Text = "User message as if they had just finished speaking." }),
            RespondDoc);

    [Fact]
    public void Interrupt_has_no_properties_key() =>
        JsonAssert.Text(CviJson.EncodeInteraction(new InterruptInteraction { ConversationId = "c123456" })).Should().Be(
            """{"message_type":"conversation","event_type":"conversation.interrupt","conversation_id":"c123456"}""");

    [Fact]
    public void Overwrite_context_is_written_with_the_llm_name() =>
        JsonAssert.Equivalent(
            CviJson.EncodeInteraction(new OverwriteContextInteraction { ConversationId = "c123456", Context = "New conversational context ..." }),
            OverwriteDoc);

    [Fact]
    public void Append_context_is_written_with_job_status() =>
        JsonAssert.Equivalent(
            CviJson.EncodeInteraction(new AppendContextInteraction
            {
                ConversationId = "your-conversation-id",
                Context = "Additional system context for this turn.",
                JobStatus = AppendContextInteraction.JobStatusCompleted,
            }),
            AppendDoc);

    [Fact]
    public void Legacy_context_names_are_written_only_when_asked()
    {
        var legacy = new CviJsonWriteOptions { UseLegacyContextEventNames = true };
        JsonAssert.Text(CviJson.EncodeInteraction(new OverwriteContextInteraction { Context = "x" }, legacy))
            .Should().Contain("\"event_type\":\"conversation.overwrite_context\"");
        JsonAssert.Text(CviJson.EncodeInteraction(new AppendContextInteraction { Context = "x" }, legacy))
            .Should().Contain("\"event_type\":\"conversation.append_context\"");
        JsonAssert.Text(CviJson.EncodeInteraction(new RespondInteraction { Text = "x" }, legacy))
            .Should().Contain("\"event_type\":\"conversation.respond\"");
    }

    [Fact]
    public void Sensitivity_helpers_write_exactly_one_key()
    {
        JsonAssert.Equivalent(
            CviJson.EncodeInteraction(SensitivityInteraction.ForPause(Sensitivity.High) with { ConversationId = "c123456" }),
            SensitivityDoc);
        JsonAssert.Text(CviJson.EncodeInteraction(SensitivityInteraction.ForInterrupt(Sensitivity.VeryLow)))
            .Should().Contain("\"properties\":{\"participant_interrupt_sensitivity\":\"verylow\"}");
    }

    [Fact]
    public void Tool_result_with_text_is_written_as_documented() =>
        JsonAssert.Equivalent(
            CviJson.EncodeInteraction(ToolResultInteraction.FromText("<id from the tool_call event>", "It is 72 degrees and sunny in San Francisco.") with { ConversationId = "<id>" }),
            ToolResultDoc);

    [Fact]
    public void Tool_result_with_an_object_writes_the_object()
    {
        using var doc = JsonDocument.Parse("""{"temperature":72,"sky":"sunny"}""");
        var result = ToolResultInteraction.FromJson("t1", doc.RootElement, ToolResultStatus.Error);
        JsonAssert.Equivalent(CviJson.EncodeInteraction(result), """
            {"message_type":"conversation","event_type":"conversation.tool_result",
             "properties":{"tool_call_id":"t1","output":{"temperature":72,"sky":"sunny"},"status":"error"}}
            """);
        result.OutputText.Should().Be("""{"temperature":72,"sky":"sunny"}""");
    }

    [Fact]
    public void Tool_result_from_an_object_uses_the_given_metadata()
    {
        var result = ToolResultInteraction.FromObject("t1", new Dictionary<string, int> { ["n"] = 2 }, TestJsonContext.Default.DictionaryStringInt32);
        JsonAssert.Text(CviJson.EncodeInteraction(result)).Should().Contain("\"output\":{\"n\":2}");
    }

    [Fact]
    public void Realtime_api_body_is_the_properties_object()
    {
        using var doc = JsonDocument.Parse("""{"type":"session.update","session":{"instructions":"..."}}""");
        JsonAssert.Equivalent(
            CviJson.EncodeInteraction(new RealtimeApiInteraction { ConversationId = "c1", Body = doc.RootElement.Clone() }),
            RealtimeDoc);
    }

    [Fact]
    public void Realtime_api_body_that_is_not_an_object_is_rejected()
    {
        using var doc = JsonDocument.Parse("[1]");
        FluentActions.Invoking(() => CviJson.EncodeInteraction(new RealtimeApiInteraction { Body = doc.RootElement.Clone() }))
            .Should().Throw<ArgumentException>();
    }

    [Fact]
    public void Non_ascii_is_not_escaped_so_the_length_matches_daily_js()
    {
        var bytes = CviJson.EncodeInteraction(new RespondInteraction { Text = "héllo <b>&'+ 日本 🎉" });
        var text = JsonAssert.Text(bytes);
        text.Should().Contain("héllo <b>&'+ 日本 🎉");
        text.Length.Should().Be(System.Text.Encoding.UTF8.GetCharCount(bytes));
        CviJson.GetUtf16Length(bytes).Should().Be(text.Length);
    }

    [Fact]
    public void Escaping_matches_json_stringify()
    {
        // Expected text produced by node: JSON.stringify({t:"a\u001f\b\t\n\f\r\"\\\ud800x\u2028é🎉<>&\u007f"}),
        // except the lone surrogate: Utf8JsonWriter replaces it with U+FFFD (JSON.stringify writes \ud800).
        var bytes = CviJson.EncodeInteraction(new RespondInteraction { Text = "a\u001f\b\t\n\f\r\"\\\ud800x\u2028é🎉<>&\u007f" });
        JsonAssert.Text(bytes).Should().Be(
            "{\"message_type\":\"conversation\",\"event_type\":\"conversation.respond\",\"properties\":{\"t" + "ext\":\"a\\u001f\\b\\t\\n\\f\\r\\\"\\\\\ufffdx\u2028é🎉<>&\u007f\"}}");
    }

    [Fact]
    public void Buffer_writer_overload_writes_the_same_bytes()
    {
        var echo = EchoInteraction.FromText("same") with { ConversationId = "c" };
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        CviJson.EncodeInteraction(echo, buffer);
        buffer.WrittenSpan.ToArray().Should().Equal(CviJson.EncodeInteraction(echo));
    }

    // ---- Reading (the emulator's side) ----

    [Fact]
    public void Documented_examples_read_back_to_the_right_types_and_values()
    {
        var text = JsonAssert.DecodeInteraction<EchoInteraction>(EchoTextDoc);
        text.Should().Be(new EchoInteraction { ConversationId = "your-conversation-id", Modality = EchoModality.Text, Text = "Hello from an external echo.", Done = true });

        var audio = JsonAssert.DecodeInteraction<EchoInteraction>(EchoAudioDoc);
        audio.Should().Be(new EchoInteraction
        {
            ConversationId = "c123456",
            Modality = EchoModality.Audio,
            Audio = "<base64>",
            SampleRate = 24000,
            InferenceId = "inference-id-123",
            Done = false,
        });

        JsonAssert.DecodeInteraction<RespondInteraction>(RespondDoc).Text.Should().Be("User message as if they had just finished speaking.");
        JsonAssert.DecodeInteraction<InterruptInteraction>(InterruptDoc).ConversationId.Should().Be("c123456");
        JsonAssert.DecodeInteraction<OverwriteContextInteraction>(OverwriteDoc).Context.Should().Be("New conversational context ...");
        JsonAssert.DecodeInteraction<AppendContextInteraction>(AppendDoc).Should().Be(new AppendContextInteraction
        {
            ConversationId = "your-conversation-id",
            Context = "Additional system context for this turn.",
            JobStatus = "completed",
        });
        var sensitivity = JsonAssert.DecodeInteraction<SensitivityInteraction>(SensitivityDoc);
        sensitivity.PauseSensitivity.Should().Be(Sensitivity.High);
        sensitivity.InterruptSensitivity.Should().BeNull();

        var result = JsonAssert.DecodeInteraction<ToolResultInteraction>(ToolResultDoc);
        result.ToolCallId.Should().Be("<id from the tool_call event>");
        result.OutputText.Should().Be("It is 72 degrees and sunny in San Francisco.");
        result.Status.Should().Be(ToolResultStatus.Success);

        var realtime = JsonAssert.DecodeInteraction<RealtimeApiInteraction>(RealtimeDoc);
        realtime.Body.GetProperty("type").GetString().Should().Be("session.update");
    }

    [Theory]
    [InlineData("\"true\"", true)]
    [InlineData("\"false\"", false)]
    [InlineData("true", true)]
    [InlineData("false", false)]
    public void Echo_done_is_read_from_a_boolean_or_a_string(string done, bool expected) =>
        JsonAssert.DecodeInteraction<EchoInteraction>(
            $$$"""{"message_type":"conversation","event_type":"conversation.echo","properties":{"modality":"text","text":"x","done":{{{done}}}}}""")
            .Done.Should().Be(expected);

    [Fact]
    public void Echo_modality_speech_reads_as_text() =>
        JsonAssert.DecodeInteraction<EchoInteraction>(
            """{"event_type":"conversation.echo","properties":{"modality":"speech","text":"x"}}""")
            .Modality.Should().Be(EchoModality.Text);

    [Fact]
    public void Overwrite_context_reads_properties_text_and_the_legacy_name()
    {
        var playground = JsonAssert.DecodeInteraction<OverwriteContextInteraction>(
            """{"message_type":"conversation","event_type":"conversation.overwrite_llm_context","properties":{"text":"ctx"}}""");
        playground.Context.Should().Be("ctx");

        var legacy = JsonAssert.DecodeInteraction<OverwriteContextInteraction>(
            """{"message_type":"conversation","event_type":"conversation.overwrite_context","properties":{"context":"ctx"}}""");
        legacy.Context.Should().Be("ctx");
    }

    [Fact]
    public void Append_context_reads_the_legacy_name() =>
        JsonAssert.DecodeInteraction<AppendContextInteraction>(
            """{"message_type":"conversation","event_type":"conversation.append_context","properties":{"context":"more"}}""")
            .Context.Should().Be("more");

    [Fact]
    public void Sensitivity_reads_both_keys_and_cvi_ui_values()
    {
        var both = JsonAssert.DecodeInteraction<SensitivityInteraction>(
            """{"event_type":"conversation.sensitivity","properties":{"participant_pause_sensitivity":"superlow","participant_interrupt_sensitivity":"auto"}}""");
        both.PauseSensitivity.Should().Be(Sensitivity.SuperLow);
        both.InterruptSensitivity.Should().Be(Sensitivity.Auto);
    }

    [Fact]
    public void Unknown_interaction_keeps_its_raw_json()
    {
        const string json = """{"message_type":"conversation","event_type":"conversation.set_voice","conversation_id":"c9","properties":{"voice":"x"}}""";
        var unknown = JsonAssert.DecodeInteraction<UnknownInteraction>(json);
        unknown.EventType.Should().Be("conversation.set_voice");
        unknown.ConversationId.Should().Be("c9");
        unknown.RawJson.Should().Be(json);
        JsonAssert.Text(CviJson.EncodeInteraction(unknown)).Should().Be(json);
    }

    [Fact]
    public void Unknown_properties_are_kept_and_written_back()
    {
        const string json = """{"message_type":"conversation","event_type":"conversation.respond","properties":{"text":"x","priority":3}}""";
        var respond = JsonAssert.DecodeInteraction<RespondInteraction>(json);
        respond.AdditionalProperties.Should().ContainKey("priority");
        JsonAssert.Equivalent(CviJson.EncodeInteraction(respond), json);
    }

    [Theory]
    [InlineData("", "JSON")]
    [InlineData("[]", "not a JSON object")]
    [InlineData("{\"message_type\":\"conversation\"}", "event_type")]
    [InlineData("{\"event_type\":42}", "event_type")]
    [InlineData("{\"event_type\":\"conversation.echo\",\"properties\":{\"sample_rate\":\"fast\"}}", "properties.sample_rate")]
    [InlineData("{\"event_type\":\"conversation.echo\",\"properties\":{\"done\":\"maybe\"}}", "properties.done")]
    [InlineData("{\"event_type\":\"conversation.respond\",\"properties\":{\"text\":1}}", "properties.text")]
    [InlineData("{\"event_type\":\"conversation.respond\",\"properties\":[]}", "properties")]
    [InlineData("{\"event_type\":\"conversation.respond\"", "not valid JSON")]
    public void Invalid_interactions_report_why(string json, string expectedInError)
    {
        CviJson.TryDecodeInteraction(JsonAssert.Utf8(json), out var interaction, out var error).Should().BeFalse();
        interaction.Should().BeNull();
        error.Should().Contain(expectedInError);
    }
}
