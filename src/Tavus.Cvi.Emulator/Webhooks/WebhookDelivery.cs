namespace Tavus.Cvi.Emulator.Webhooks;

/// <summary>One webhook POST the emulator made to a conversation's <c>callback_url</c> (tavus-protocol.md §E).</summary>
/// <param name="ConversationId">The conversation.</param>
/// <param name="EventType">The webhook's <c>event_type</c>, such as <c>system.shutdown</c>.</param>
/// <param name="Url">Where it was POSTed.</param>
/// <param name="Body">The JSON body sent.</param>
/// <param name="StatusCode">The receiver's HTTP status, or <see langword="null"/> when the POST failed.</param>
/// <param name="Error">Why the POST failed, when it did.</param>
public sealed record WebhookDelivery(string ConversationId, string EventType, Uri Url, string Body, int? StatusCode, string? Error);
