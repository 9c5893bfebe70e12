namespace Tavus.Cvi.Interactions.Webhooks;

/// <summary><c>application.perception_analysis</c> (tavus-protocol.md §E): the end-of-call visual analysis.</summary>
public sealed record PerceptionAnalysisWebhookEvent : TavusWebhookEvent
{
    /// <summary>The analysis text (<c>properties.analysis</c>).</summary>
    public string? Analysis { get; init; }
}
