using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Rest;

/// <summary>
/// The <c>properties</c> object of a create-conversation request (tavus-protocol.md §D.2): timeouts, recording,
/// captions, language and transport settings. Unset members are not sent, so Tavus applies its defaults.
/// </summary>
public sealed record ConversationProperties
{
    /// <summary>The longest the call may last, in seconds (<c>max_call_duration</c>; Tavus default 3600, capped by the plan).</summary>
    [JsonPropertyName("max_call_duration")]
    public int? MaxCallDuration { get; init; }

    /// <summary>
    /// Seconds after the last participant leaves before the conversation ends (<c>participant_left_timeout</c>;
    /// Tavus default 0).
    /// </summary>
    [JsonPropertyName("participant_left_timeout")]
    public int? ParticipantLeftTimeout { get; init; }

    /// <summary>
    /// Seconds from creation before the conversation ends if nobody joins (<c>participant_absent_timeout</c>;
    /// Tavus default 300).
    /// </summary>
    [JsonPropertyName("participant_absent_timeout")]
    public int? ParticipantAbsentTimeout { get; init; }

    /// <summary>Whether to record the call (<c>enable_recording</c>); needs recording storage configured.</summary>
    [JsonPropertyName("enable_recording")]
    public bool? EnableRecording { get; init; }

    /// <summary>Whether the room shows closed captions (<c>enable_closed_captions</c>).</summary>
    [JsonPropertyName("enable_closed_captions")]
    public bool? EnableClosedCaptions { get; init; }

    /// <summary>Whether the replica's background becomes green, RGB [0,255,155] (<c>apply_greenscreen</c>).</summary>
    [JsonPropertyName("apply_greenscreen")]
    public bool? ApplyGreenscreen { get; init; }

    /// <summary>The language, as a full name such as <c>english</c>, or <c>multilingual</c> (<c>language</c>).</summary>
    [JsonPropertyName("language")]
    public string? Language { get; init; }

    /// <summary>The languages of the conversation (<c>languages</c>; newest docs, replacing <see cref="Language"/>).</summary>
    [JsonPropertyName("languages")]
    public IReadOnlyList<string>? Languages { get; init; }

    /// <summary>The S3 bucket for recordings (<c>recording_s3_bucket_name</c>; the legacy flat recording configuration).</summary>
    [JsonPropertyName("recording_s3_bucket_name")]
    public string? RecordingS3BucketName { get; init; }

    /// <summary>The region of the recording bucket (<c>recording_s3_bucket_region</c>).</summary>
    [JsonPropertyName("recording_s3_bucket_region")]
    public string? RecordingS3BucketRegion { get; init; }

    /// <summary>The AWS role Tavus assumes to write recordings (<c>aws_assume_role_arn</c>).</summary>
    [JsonPropertyName("aws_assume_role_arn")]
    public string? AwsAssumeRoleArn { get; init; }

    /// <summary>
    /// The federated S3/GCS/Azure recording configuration (<c>recording_storage</c>), passed through as JSON because
    /// its shape depends on the provider.
    /// </summary>
    [JsonPropertyName("recording_storage")]
    public JsonElement? RecordingStorage { get; init; }

    /// <summary>The LiveKit server URL, for a PAL whose transport is LiveKit (<c>livekit_ws_url</c>).</summary>
    [JsonPropertyName("livekit_ws_url")]
    public string? LiveKitWsUrl { get; init; }

    /// <summary>The LiveKit room token (<c>livekit_room_token</c>). A secret: never logged by the SDK.</summary>
    [JsonPropertyName("livekit_room_token")]
    public string? LiveKitRoomToken { get; init; }

    /// <summary>Fields this SDK does not model, sent and received as they are (Tavus adds fields often).</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
