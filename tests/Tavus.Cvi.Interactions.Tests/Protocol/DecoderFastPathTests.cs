using System.Globalization;
using System.Text;
using System.Text.Json;
using Tavus.Cvi.Interactions.Protocol;

namespace Tavus.Cvi.Interactions.Tests.Protocol;

// The decoders take shortcuts for speed (one pass, timestamps read digit by digit, ASCII strings widened directly,
// raw JSON values and echo audio kept as UTF-8 until asked for, known values cached). Each shortcut must give exactly
// what the general path gives; these tests compare them with an independent computation or the general path.
public class DecoderFastPathTests
{
    [Theory]
    [InlineData("0")]
    [InlineData("0.0000001")]
    [InlineData("1746000001.5")]
    [InlineData("1746000000.123")]
    [InlineData("1752216347.4720001")]
    [InlineData("253402300798.9999999")]
    [InlineData("253402300799")]
    [InlineData("1746000000.12345675")]
    [InlineData("1746000000.12345685")]
    [InlineData("1.746e9")]
    [InlineData("-1.5")]
    [InlineData("1746000000.0")]
    public void Timestamps_read_the_same_tick_as_exact_decimal_arithmetic(string seconds)
    {
        Timestamp(seconds).Should().Be(Expected(seconds));
    }

    [Fact]
    public void Random_plain_timestamps_read_the_same_tick_as_exact_decimal_arithmetic()
    {
        var random = new Random(20261124);
        for (var i = 0; i < 2000; i++)
        {
            var whole = random.NextInt64(0, 253_402_300_799L);
            var digits = random.Next(0, 10);
            var text = whole.ToString(CultureInfo.InvariantCulture);
            if (digits > 0)
            {
                text += "." + string.Concat(Enumerable.Range(0, digits).Select(_ => (char)('0' + random.Next(10))));
            }

            Timestamp(text).Should().Be(Expected(text), text);
        }
    }

    [Theory]
    [InlineData("253402300799.5")]
    [InlineData("99999999999999")]
    public void Timestamps_past_the_range_of_DateTimeOffset_are_invalid(string seconds)
    {
        var evt = CviJson.DecodeEvent(Encoding.UTF8.GetBytes($$$"""{"event_type":"conversation.user.started_speaking","timestamp":{{{seconds}}}}"""));
        evt.Should().BeOfType<InvalidMessageEvent>().Which.Reason.Should().Contain("'timestamp'");
    }

    [Theory]
    [InlineData("""{"properties":{"role":"user","speech":"hi"},"seq":3,"event_type":"conversation.utterance"}""")]
    [InlineData("""{"message_type":"conversation","conversation_id":"c","properties":{"role":"user","speech":"hi"},"event_type":"conversation.utterance","seq":3}""")]
    [InlineData("""{"seq":3,"conversation_id":"c","event_type":"conversation.utterance","properties":{"role":"user","speech":"hi"}}""")]
    public void Event_type_anywhere_among_the_keys_gives_the_same_event(string json)
    {
        var e = JsonAssert.Decode<UtteranceEvent>(json);
        e.Speech.Should().Be("hi");
        e.Role.Should().Be(ParticipantRole.User);
        e.Seq.Should().Be(3);
    }

    [Fact]
    public void A_wrong_field_before_event_type_is_reported_like_one_after_it()
    {
        var before = (InvalidMessageEvent)CviJson.DecodeEvent(JsonAssert.Utf8("""{"seq":"x","event_type":"conversation.tool_call"}"""));
        var after = (InvalidMessageEvent)CviJson.DecodeEvent(JsonAssert.Utf8("""{"event_type":"conversation.tool_call","seq":"x"}"""));
        before.Kind.Should().Be(InvalidMessageKind.InvalidField);
        before.EventType.Should().Be("conversation.tool_call");
        before.Reason.Should().Be(after.Reason);

        var noType = (InvalidMessageEvent)CviJson.DecodeEvent(JsonAssert.Utf8("""{"seq":"x"}"""));
        noType.Kind.Should().Be(InvalidMessageKind.MissingEventType);

        var brokenLater = (InvalidMessageEvent)CviJson.DecodeEvent(JsonAssert.Utf8("""{"seq":"x","a":"""));
        brokenLater.Kind.Should().Be(InvalidMessageKind.NotJson);
    }

    [Fact]
    public void Interactions_read_event_type_anywhere_and_report_a_missing_one_first()
    {
        var respond = JsonAssert.DecodeInteraction<RespondInteraction>("""{"properties":{"text":"hi"},"conversation_id":"c","event_type":"conversation.respond"}""");
        respond.Text.Should().Be("hi");
        respond.ConversationId.Should().Be("c");

        CviJson.TryDecodeInteraction(JsonAssert.Utf8("""{"conversation_id":5}"""), out _, out var error).Should().BeFalse();
        error.Should().Contain("event_type");
        CviJson.TryDecodeInteraction(JsonAssert.Utf8("""{"conversation_id":5,"event_type":"conversation.respond"}"""), out _, out error).Should().BeFalse();
        error.Should().Contain("'conversation_id'");

        var unknown = JsonAssert.DecodeInteraction<UnknownInteraction>("""{"conversation_id":"c","event_type":"conversation.future","properties":{"x":1}}""");
        unknown.EventType.Should().Be("conversation.future");
        unknown.ConversationId.Should().Be("c");
    }

    [Theory]
    [InlineData("""{"item":"Bananas","quantity":2}""")]
    [InlineData("\"{\\\"item\\\": \\\"Bananas\\\", \\\"quantity\\\": 2}\"")]
    [InlineData("[1, {\"a\": null}]")]
    [InlineData("null")]
    public void Tool_call_arguments_kept_as_text_read_as_the_parsed_value(string arguments)
    {
        var json = $$$"""{"message_type":"conversation","event_type":"conversation.tool_call","properties":{"tool_call_id":"t1","name":"add","arguments":{{{arguments}}}}}""";
        var decoded = JsonAssert.Decode<ToolCallEvent>(json);
        using var expected = JsonDocument.Parse(arguments);

        JsonElement.DeepEquals(decoded.Arguments, expected.RootElement).Should().BeTrue();
        decoded.Arguments.GetRawText().Should().Be(arguments);
        decoded.ArgumentsJson.Should().Be(expected.RootElement.ValueKind switch
        {
            JsonValueKind.Null => "{}",
            JsonValueKind.String => expected.RootElement.GetString(),
            _ => arguments,
        });
        decoded.Should().Be(new ToolCallEvent { ToolCallId = "t1", Name = "add", Arguments = expected.RootElement.Clone() });
    }

    [Fact]
    public void Arguments_are_parsed_once_even_when_first_read_from_many_threads()
    {
        var decoded = JsonAssert.Decode<PerceptionToolCallEvent>(
            """{"event_type":"conversation.perception_tool_call","properties":{"name":"detect","arguments":{"card_type":"passport"}}}""");
        var elements = new JsonElement[8];
        using var start = new Barrier(elements.Length);
        Parallel.For(0, elements.Length, new ParallelOptions { MaxDegreeOfParallelism = elements.Length }, i =>
        {
            start.SignalAndWait(TimeSpan.FromSeconds(30));
            elements[i] = decoded.Arguments;
        });

        elements.Should().AllSatisfy(e => e.GetProperty("card_type").GetString().Should().Be("passport"));
        elements.Select(e => e.GetRawText()).Distinct().Should().ContainSingle();

        // The same element every time: the parse was published once.
        var first = decoded.Arguments;
        decoded.Arguments.Should().Be(first);

        using var replacement = JsonDocument.Parse("""{"card_type":"id"}""");
        var replaced = decoded with { Arguments = replacement.RootElement };
        replaced.Arguments.GetProperty("card_type").GetString().Should().Be("id");
        decoded.Arguments.GetProperty("card_type").GetString().Should().Be("passport");
    }

    [Fact]
    public void Tool_result_output_and_realtime_body_kept_as_text_read_as_the_parsed_value()
    {
        var result = JsonAssert.DecodeInteraction<ToolResultInteraction>(
            """{"event_type":"conversation.tool_result","properties":{"tool_call_id":"t1","output":{"temperature":72},"status":"success"}}""");
        result.Output.GetProperty("temperature").GetInt32().Should().Be(72);
        result.OutputText.Should().Be("""{"temperature":72}""");
        result.Status.Should().Be(ToolResultStatus.Success);

        var realtime = JsonAssert.DecodeInteraction<RealtimeApiInteraction>(
            """{"event_type":"conversation.realtime_api","properties":{"type":"session.update","session":{"instructions":"Be brief."}}}""");
        realtime.Body.GetProperty("session").GetProperty("instructions").GetString().Should().Be("Be brief.");
        JsonAssert.Equivalent(CviJson.EncodeInteraction(realtime), """{"message_type":"conversation","event_type":"conversation.realtime_api","properties":{"type":"session.update","session":{"instructions":"Be brief."}}}""");
    }

    [Fact]
    public void Echo_audio_kept_as_utf8_reads_back_as_the_same_string_and_pcm()
    {
        var pcm = new byte[4800];
        new Random(7).NextBytes(pcm);
        var expected = EchoInteraction.FromPcm(pcm, 24_000, "inf-1", done: false) with { ConversationId = "c1" };
        var decoded = JsonAssert.DecodeInteraction<EchoInteraction>(Encoding.UTF8.GetString(CviJson.EncodeInteraction(expected)));

        // TryGetPcm first: it reads the kept bytes without making the string.
        decoded.TryGetPcm(out var samples).Should().BeTrue();
        samples.Should().Equal(pcm);
        decoded.Should().Be(expected);
        decoded.Audio.Should().Be(expected.Audio);
        decoded.GetHashCode().Should().Be(expected.GetHashCode());
        (decoded with { Audio = "AAAA" }).Audio.Should().Be("AAAA");
        (decoded with { Text = "x" }).Audio.Should().Be(expected.Audio);
    }

    [Theory]
    [InlineData("AAEC\\/wA=", "AAEC/wA=")]
    [InlineData("AAEC/wA=", "AAEC/wA=")]
    [InlineData("\\u0041AEC/wA=", "AAEC/wA=")]
    [InlineData("ÄÖ", "ÄÖ")]
    [InlineData("AAEC /wA=", "AAEC /wA=")]
    public void Echo_audio_escaped_or_not_ascii_reads_as_the_json_string(string wire, string audio)
    {
        var decoded = JsonAssert.DecodeInteraction<EchoInteraction>(
            $$$"""{"event_type":"conversation.echo","properties":{"modality":"audio","audio":"{{{wire}}}","done":true}}""");
        decoded.Audio.Should().Be(audio);
        var pcmOk = decoded.TryGetPcm(out var pcm);
        var buffer = new byte[audio.Length];
        var expectedOk = Convert.TryFromBase64String(audio, buffer, out var written);
        pcmOk.Should().Be(expectedOk);
        if (expectedOk)
        {
            pcm.Should().Equal(buffer.AsSpan(0, written).ToArray());
        }
    }

    [Fact]
    public void Ascii_and_non_ascii_strings_read_the_same_as_the_reader_gives_them()
    {
        string[] values = ["plain ascii", "", "ünïcödé ✓ 日本", "escaped \\n\\t \\u00e9", "emoji 😀"];
        foreach (var value in values)
        {
            var json = $$$"""{"event_type":"conversation.utterance","properties":{"speech":"{{{value}}}"}}""";
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes($"\"{value}\""));
            reader.Read();
            JsonAssert.Decode<UtteranceEvent>(json).Speech.Should().Be(reader.GetString());
        }
    }

    [Fact]
    public void Perception_frames_keep_unknown_keys_and_null_entries()
    {
        var e = JsonAssert.Decode<PerceptionToolCallEvent>(
            """{"event_type":"conversation.perception_tool_call","properties":{"frames":[{"data":"AAAA","mime_type":"image/jpeg","width":640},null,{}]}}""");
        e.Frames.Should().HaveCount(3);
        e.Frames![0].Data.Should().Be("AAAA");
        e.Frames[0].MimeType.Should().Be("image/jpeg");
        e.Frames[0].ExtensionData!["width"].GetInt32().Should().Be(640);
        e.Frames[1].Should().BeNull();
        e.Frames[2].Should().Be(new PerceptionFrame());
    }

    [Fact]
    public void Documented_shutdown_reasons_decode_to_the_known_instances_and_others_are_kept()
    {
        foreach (var known in new[] { ShutdownReason.ParticipantLeftTimeoutReached, ShutdownReason.EndConversationEndpointHit, ShutdownReason.MaxCallDurationReached })
        {
            var e = JsonAssert.Decode<ShutdownEvent>($$$"""{"event_type":"system.shutdown","properties":{"shutdown_reason":"{{{known.Value}}}"}}""");
            e.Reason.Should().Be(known);
            ReferenceEquals(e.Reason!.Value.Value, known.Value).Should().BeTrue("a documented value is not allocated again");
        }

        var other = JsonAssert.Decode<ShutdownEvent>("""{"event_type":"system.shutdown","properties":{"shutdown_reason":"internal error occurred at step 4"}}""");
        other.Reason!.Value.Value.Should().Be("internal error occurred at step 4");
        other.Reason.Value.Kind.Should().Be(ShutdownReasonKind.InternalError);
        JsonAssert.Decode<ShutdownEvent>("""{"event_type":"system.shutdown","properties":{}}""").Reason.Should().BeNull();
        JsonAssert.Decode<ShutdownEvent>("""{"event_type":"system.shutdown","properties":{"shutdown_reason":null}}""").Reason.Should().BeNull();
    }

    private static DateTimeOffset? Timestamp(string seconds) =>
        JsonAssert.Decode<UserStartedSpeakingEvent>($$$"""{"event_type":"conversation.user.started_speaking","timestamp":{{{seconds}}}}""").Timestamp;

    // Exact decimal arithmetic, rounding half to even at the tick: the reference the fast path must agree with.
    private static DateTimeOffset Expected(string seconds)
    {
        var value = decimal.Parse(seconds, NumberStyles.Float, CultureInfo.InvariantCulture);
        var ticks = (long)decimal.Round(value * 10_000_000m, MidpointRounding.ToEven);
        return new DateTimeOffset(DateTimeOffset.UnixEpoch.UtcTicks + ticks, TimeSpan.Zero);
    }
}
