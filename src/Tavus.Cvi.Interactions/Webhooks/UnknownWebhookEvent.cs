namespace Tavus.Cvi.Interactions.Webhooks;

/// <summary>
/// A callback this SDK has no type for: a newer event type (such as <c>application.recording_copy_failed</c>) or a
/// non-conversation callback without <c>event_type</c> (replica training, video generation). Read
/// <see cref="TavusWebhookEvent.Raw"/>.
/// </summary>
public sealed record UnknownWebhookEvent : TavusWebhookEvent;
