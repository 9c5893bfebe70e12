using System.Text.Json;
using CsCheck;
using Tavus.Cvi.Interactions.Protocol;

namespace Tavus.Cvi.Interactions.Tests.Protocol;

// Property tests: any event or interaction the SDK can build reads back equal after encoding, and encoding the
// result gives the same bytes again. Equality is record equality, except members holding raw JSON
// (JsonElement, kept-key dictionaries), which are compared with JsonElement.DeepEquals.
public class RoundTripPropertyTests
{
    private const int Iterations = 2000;

    // Quotes, backslashes, control characters, non-ASCII and a surrogate pair: everything escaping must get right.
    private static readonly Gen<string> Text =
        Gen.OneOf<string>(Gen.String["abc XYZ 019\"\\\n\t\u0001é日/<>&'"], Gen.Const("🎉 emoji"), Gen.Const(""));

    private static readonly Gen<string?> OptionalText = Text.Null(0.3);

    private static readonly Gen<bool?> OptionalBool = Gen.Bool.Nullable(0.3);

    private static readonly Gen<int?> OptionalInt = Gen.Int.Nullable(0.3);

    private static readonly Gen<double?> OptionalDouble = Gen.Double.Where(double.IsFinite).Nullable(0.3);

    private static readonly Gen<DateTimeOffset?> OptionalTimestamp =
        Gen.Long[DateTimeOffset.MinValue.UtcTicks, DateTimeOffset.MaxValue.UtcTicks]
            .Select(ticks => new DateTimeOffset(ticks, TimeSpan.Zero))
            .Nullable(0.3);

    private static readonly Gen<ParticipantRole?> Role =
        Gen.OneOf(ParticipantRole.User, ParticipantRole.Replica, ParticipantRole.Pal, new ParticipantRole("observer")).Nullable(0.2);

    private static readonly Gen<JsonElement> JsonValue = Gen.OneOf(
        Gen.Int.Select(i => Element(i.ToString(System.Globalization.CultureInfo.InvariantCulture))),
        Text.Select(s => JsonSerializer.SerializeToElement(s, TestJsonContext.Default.String)),
        Gen.Const(Element("""{"a":[1,2,{"b":null}],"c":"d"}""")),
        Gen.Const(Element("true")),
        Gen.Const(Element("null")));

    private static readonly Gen<IReadOnlyDictionary<string, JsonElement>?> Extra =
        Gen.Int[0, 3].SelectMany(count => JsonValue.Array[count].Select(values =>
        {
            if (values.Length == 0)
            {
                return (IReadOnlyDictionary<string, JsonElement>?)null;
            }

            var dictionary = new Dictionary<string, JsonElement>();
            for (var i = 0; i < values.Length; i++)
            {
                dictionary["x_" + i] = values[i];
            }

            return dictionary;
        }));

    private static readonly Gen<JsonElement> Arguments = Gen.OneOf(
        Gen.Const(default(JsonElement)),
        Gen.Const(Element("\"{\\\"item_name\\\": \\\"Bananas\\\", \\\"quantity\\\": 2}\"")),
        Gen.Const(Element("""{"item_name":"Apples","quantity":3}""")));

    private static readonly Gen<CviEvent> Envelope = Gen.Select(OptionalText, OptionalText, Gen.Long.Nullable(0.3), OptionalInt, OptionalTimestamp, Extra, Extra,
        (conversationId, inferenceId, seq, turn, timestamp, extension, additional) => (CviEvent)new UserStartedSpeakingEvent
        {
            ConversationId = conversationId,
            InferenceId = inferenceId,
            Seq = seq,
            TurnIndex = turn,
            Timestamp = timestamp,
            ExtensionData = extension,
            AdditionalProperties = additional,
        });

    private static readonly Gen<CviEvent> Body = Gen.OneOf<CviEvent>(
        Gen.Select(Role, OptionalText, OptionalText, OptionalText, OptionalText, OptionalBool,
            (role, speech, visual, audio, userVisual, interrupted) => new UtteranceEvent
            {
                Role = role, Speech = speech, VisualContext = visual, UserAudioAnalysis = audio, UserVisualAnalysis = userVisual, Interrupted = interrupted,
            }),
        Gen.Select(Role, OptionalText, OptionalInt, OptionalBool, OptionalBool,
            (role, speech, index, final, interrupted) => new StreamingUtteranceEvent
            {
                Role = role, Speech = speech, ContentIndex = index, IsFinal = final, IsInterrupted = interrupted,
            }),
        Role.Select(role => new StartedSpeakingEvent { Role = role }),
        Gen.Select(Role, OptionalBool, OptionalDouble, (role, interrupted, duration) => new StoppedSpeakingEvent { Role = role, Interrupted = interrupted, Duration = duration }),
        Gen.Const<CviEvent>(() => new ReplicaStartedSpeakingEvent()),
        Gen.Select(OptionalBool, OptionalDouble, (interrupted, duration) => new ReplicaStoppedSpeakingEvent { Interrupted = interrupted, Duration = duration }),
        Gen.Const<CviEvent>(() => new UserStartedSpeakingEvent()),
        Gen.Const<CviEvent>(() => new UserStoppedSpeakingEvent()),
        Gen.Const<CviEvent>(() => new ReplicaInterruptedEvent()),
        Gen.Const<CviEvent>(() => new ReplicaInterruptedEvent { EventType = CviEventTypes.LegacyReplicaInterrupted }),
        Gen.Select(OptionalText, OptionalText, Arguments, (id, name, args) => new ToolCallEvent { ToolCallId = id, Name = name, Arguments = args }),
        Gen.Select(OptionalText, OptionalText, Arguments, Gen.OneOf(PerceptionModality.Audio, PerceptionModality.Vision).Nullable(0.2), Text.Null(0.2).Array[0, 2].Null(0.5),
            (id, name, args, modality, frames) => new PerceptionToolCallEvent
            {
                ToolCallId = id,
                Name = name,
                Arguments = args,
                Modality = modality,
                Frames = frames?.Select(data => new PerceptionFrame { Data = data, MimeType = "image/jpeg" }).ToArray(),
            }),
        OptionalText.Select(analysis => new PerceptionAnalysisEvent { Analysis = analysis }),
        Gen.Select(OptionalText, OptionalText, Gen.Bool, (replica, face, pal) => new ReplicaJoinedEvent
        {
            ReplicaId = replica, FaceId = face, EventType = pal ? CviEventTypes.PalJoined : CviEventTypes.ReplicaJoined,
        }),
        Gen.Select(OptionalText, OptionalText, (reason, replica) => new ShutdownEvent { Reason = reason is null ? null : new ShutdownReason(reason), ReplicaId = replica }));

    private static readonly Gen<CviEvent> Events = Gen.Select(Body, Envelope, (body, envelope) => body with
    {
        ConversationId = envelope.ConversationId,
        InferenceId = envelope.InferenceId,
        Seq = envelope.Seq,
        TurnIndex = envelope.TurnIndex,
        Timestamp = envelope.Timestamp,
        ExtensionData = envelope.ExtensionData,
        AdditionalProperties = envelope.AdditionalProperties,
    });

    private static readonly Gen<CviInteraction> InteractionBodies = Gen.OneOf<CviInteraction>(
        Gen.Select(Gen.OneOf(EchoModality.Text, EchoModality.Audio), OptionalText, Gen.Byte.Array[0, 64].Null(0.3), OptionalInt, OptionalText, OptionalBool,
            (modality, text, pcm, rate, inference, done) => new EchoInteraction
            {
                Modality = modality, Text = text, Audio = pcm is null ? null : Convert.ToBase64String(pcm), SampleRate = rate, InferenceId = inference, Done = done,
            }),
        OptionalText.Select(text => new RespondInteraction { Text = text }),
        Gen.Const<CviInteraction>(() => new InterruptInteraction()),
        OptionalText.Select(context => new OverwriteContextInteraction { Context = context }),
        Gen.Select(OptionalText, OptionalText, (context, status) => new AppendContextInteraction { Context = context, JobStatus = status }),
        Gen.Select(
            Gen.OneOf(Sensitivity.Low, Sensitivity.Medium, Sensitivity.High, Sensitivity.SuperLow, Sensitivity.VeryLow, Sensitivity.Auto).Nullable(0.4),
            Gen.OneOf(Sensitivity.Low, Sensitivity.Medium, Sensitivity.High, new Sensitivity("custom")).Nullable(0.4),
            (pause, interrupt) => new SensitivityInteraction { PauseSensitivity = pause, InterruptSensitivity = interrupt }),
        Gen.Select(OptionalText, JsonValue, Gen.OneOf(ToolResultStatus.Success, ToolResultStatus.Error).Nullable(0.3),
            (id, output, status) => new ToolResultInteraction { ToolCallId = id, Output = output, Status = status }));

    private static readonly Gen<CviInteraction> Interactions = Gen.Select(InteractionBodies, OptionalText, Extra,
        (body, conversationId, extra) => body with { ConversationId = conversationId, AdditionalProperties = extra });

    [Fact]
    public void Events_read_back_equal_and_encode_to_the_same_bytes() =>
        Events.Sample(
            evt =>
            {
                var bytes = CviJson.EncodeEvent(evt);
                var back = CviJson.DecodeEvent(bytes);
                AssertEventsEqual(evt, back);
                back.Should().Be(evt, "records compare raw JSON members by content");
                back.GetHashCode().Should().Be(evt.GetHashCode());
                CviJson.EncodeEvent(back).Should().Equal(bytes);
            },
            iter: Iterations);

    [Fact]
    public void Interactions_read_back_equal_and_encode_to_the_same_bytes() =>
        Interactions.Sample(
            interaction =>
            {
                var bytes = CviJson.EncodeInteraction(interaction);
                CviJson.TryDecodeInteraction(bytes, out var back, out var error).Should().BeTrue(error);
                AssertInteractionsEqual(interaction, back!);
                back.Should().Be(interaction, "records compare raw JSON members by content");
                back!.GetHashCode().Should().Be(interaction.GetHashCode());
                CviJson.EncodeInteraction(back).Should().Equal(bytes);
            },
            iter: Iterations);

    [Fact]
    public void Interactions_with_legacy_names_read_back_as_the_same_types() =>
        Interactions.Sample(
            interaction =>
            {
                var bytes = CviJson.EncodeInteraction(interaction, new CviJsonWriteOptions { UseLegacyContextEventNames = true });
                CviJson.TryDecodeInteraction(bytes, out var back, out var error).Should().BeTrue(error);
                AssertInteractionsEqual(interaction, back!);
            },
            iter: 500);

    [Fact]
    public void Every_written_message_is_valid_json_whose_utf16_length_is_reported()
    {
        Events.Sample(
            evt =>
            {
                var bytes = CviJson.EncodeEvent(evt);
                using var document = JsonDocument.Parse(bytes);
                CviJson.GetUtf16Length(bytes).Should().Be(System.Text.Encoding.UTF8.GetString(bytes).Length);
            },
            iter: 500);
    }

    private static void AssertEventsEqual(CviEvent expected, CviEvent actual)
    {
        actual.Should().BeOfType(expected.GetType(), (actual as InvalidMessageEvent)?.Reason);
        AssertDictionariesEqual(expected.ExtensionData, actual.ExtensionData);
        AssertDictionariesEqual(expected.AdditionalProperties, actual.AdditionalProperties);
        var (e, a) = (Plain(expected), Plain(actual));
        switch (expected)
        {
            case ToolCallEvent tool:
                JsonAssert.DeepEquals(tool.Arguments, ((ToolCallEvent)actual).Arguments).Should().BeTrue();
                break;
            case PerceptionToolCallEvent perception:
                var other = (PerceptionToolCallEvent)actual;
                JsonAssert.DeepEquals(perception.Arguments, other.Arguments).Should().BeTrue();
                if (perception.Frames is null)
                {
                    other.Frames.Should().BeNull();
                }
                else
                {
                    other.Frames.Should().Equal(perception.Frames);
                }

                break;
        }

        a.Should().Be(e);
    }

    // The record without its raw-JSON members, for plain record equality.
    private static CviEvent Plain(CviEvent evt)
    {
        var plain = evt with { ExtensionData = null, AdditionalProperties = null };
        return plain switch
        {
            ToolCallEvent t => t with { Arguments = default },
            PerceptionToolCallEvent p => p with { Arguments = default, Frames = null },
            _ => plain,
        };
    }

    private static void AssertInteractionsEqual(CviInteraction expected, CviInteraction actual)
    {
        actual.Should().BeOfType(expected.GetType());
        AssertDictionariesEqual(expected.AdditionalProperties, actual.AdditionalProperties);
        if (expected is ToolResultInteraction result)
        {
            JsonAssert.DeepEquals(result.Output, ((ToolResultInteraction)actual).Output).Should().BeTrue();
            (((ToolResultInteraction)actual) with { AdditionalProperties = null, Output = default })
                .Should().Be(result with { AdditionalProperties = null, Output = default });
            return;
        }

        (actual with { AdditionalProperties = null }).Should().Be(expected with { AdditionalProperties = null });
    }

    private static void AssertDictionariesEqual(IReadOnlyDictionary<string, JsonElement>? expected, IReadOnlyDictionary<string, JsonElement>? actual)
    {
        if (expected is null || expected.Count == 0)
        {
            (actual is null || actual.Count == 0).Should().BeTrue();
            return;
        }

        actual.Should().NotBeNull();
        actual!.Keys.Should().Equal(expected.Keys);
        foreach (var (key, value) in expected)
        {
            JsonElement.DeepEquals(value, actual[key]).Should().BeTrue(key);
        }
    }

    private static JsonElement Element(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
