namespace Tavus.Cvi.Interactions.Webhooks;

/// <summary><c>application.transcription_ready</c> (tavus-protocol.md §E): the conversation's transcript.</summary>
public sealed record TranscriptionReadyWebhookEvent : TavusWebhookEvent
{
    /// <summary>The transcript (<c>properties.transcript</c>) in order, the system prompt included.</summary>
    public IReadOnlyList<TranscriptEntry> Transcript { get; init; } = [];
}
