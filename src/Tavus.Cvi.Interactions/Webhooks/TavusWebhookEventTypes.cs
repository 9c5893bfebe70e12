namespace Tavus.Cvi.Interactions.Webhooks;

/// <summary>The <c>event_type</c> values of conversation webhooks (tavus-protocol.md §E).</summary>
public static class TavusWebhookEventTypes
{
    /// <summary>The replica joined the room.</summary>
    public const string ReplicaJoined = "system.replica_joined";

    /// <summary>The PAL's face joined the room; the 2026 duplicate of <see cref="ReplicaJoined"/>.</summary>
    public const string PalJoined = "system.pal_joined";

    /// <summary>The conversation ended; carries the reason.</summary>
    public const string Shutdown = "system.shutdown";

    /// <summary>The transcript is ready.</summary>
    public const string TranscriptionReady = "application.transcription_ready";

    /// <summary>The recording is ready.</summary>
    public const string RecordingReady = "application.recording_ready";

    /// <summary>Copying the recording to storage failed (shape undocumented).</summary>
    public const string RecordingCopyFailed = "application.recording_copy_failed";

    /// <summary>The end-of-call visual analysis is ready.</summary>
    public const string PerceptionAnalysis = "application.perception_analysis";

    /// <summary>A post-call action ran (shape undocumented).</summary>
    public const string PostCallActionExecuted = "application.post_call_action_executed";

    /// <summary>Perception was unavailable (shape undocumented).</summary>
    public const string PerceptionUnavailable = "application.perception_unavailable";
}
