using Tavus.Cvi.Interactions.Protocol;

namespace Tavus.Cvi.Interactions.Webhooks;

/// <summary><c>system.shutdown</c> (tavus-protocol.md §E): the conversation ended, for <see cref="ShutdownReason"/>.</summary>
public sealed record ShutdownWebhookEvent : TavusWebhookEvent
{
    /// <summary>Why it ended (<c>properties.shutdown_reason</c>); empty if Tavus did not say.</summary>
    public ShutdownReason ShutdownReason { get; init; }
}
