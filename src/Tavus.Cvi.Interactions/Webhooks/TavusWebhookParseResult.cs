using System.Diagnostics.CodeAnalysis;

namespace Tavus.Cvi.Interactions.Webhooks;

/// <summary>The outcome of <see cref="TavusWebhookParser"/>: an event, or why the body is not a webhook.</summary>
public sealed class TavusWebhookParseResult
{
    private TavusWebhookParseResult(TavusWebhookEvent? webhookEvent, string? error)
    {
        Event = webhookEvent;
        Error = error;
    }

    /// <summary>Whether the body was a webhook; then <see cref="Event"/> is set, otherwise <see cref="Error"/>.</summary>
    [MemberNotNullWhen(true, nameof(Event))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsValid => Event is not null;

    /// <summary>The parsed event, or <see langword="null"/> when the body was not valid.</summary>
    public TavusWebhookEvent? Event { get; }

    /// <summary>Why the body was rejected (safe to log: it never quotes the body), or <see langword="null"/>.</summary>
    public string? Error { get; }

    /// <inheritdoc/>
    public override string ToString() => IsValid ? Event.EventType : "invalid: " + Error;

    internal static TavusWebhookParseResult Valid(TavusWebhookEvent webhookEvent) => new(webhookEvent, null);

    internal static TavusWebhookParseResult Invalid(string error) => new(null, error);
}
