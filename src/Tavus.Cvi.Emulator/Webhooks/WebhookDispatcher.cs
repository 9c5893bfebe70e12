using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Tavus.Cvi.Emulator.Conversations;
using Tavus.Cvi.Emulator.Diagnostics;
using Tavus.Cvi.Emulator.Rest;

namespace Tavus.Cvi.Emulator.Webhooks;

/// <summary>
/// POSTs conversation webhooks to <c>callback_url</c> (tavus-protocol.md §E), one conversation's in order, and
/// records each delivery. Tavus documents no signature or retry policy, so there is one attempt and no signature.
/// </summary>
internal sealed class WebhookDispatcher : IAsyncDisposable
{
    private readonly EmulatorState _state;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly ILogger _logger;
    private readonly ConcurrentQueue<WebhookDelivery> _deliveries = new();
    private readonly ConcurrentDictionary<string, Task> _chains = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();

    public WebhookDispatcher(EmulatorState state, HttpClient? http, ILogger logger)
    {
        _state = state;
        _ownsHttp = http is null;
        _http = http ?? new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        _logger = logger;
    }

    /// <summary>Raised after each delivery attempt (on a thread-pool thread).</summary>
    public event EventHandler<WebhookDelivery>? Delivered;

    public IReadOnlyList<WebhookDelivery> Deliveries(string? conversationId) =>
        _deliveries.Where(d => conversationId is null || d.ConversationId == conversationId).ToArray();

    /// <summary>Records the event on the conversation (for <c>?verbose=true</c>) and POSTs it if there is a callback URL.</summary>
    public void Send(EmulatedConversation conversation, string eventType, string messageType, JsonObject properties)
    {
        string timestamp = TavusRestApi.Iso(_state.Time.GetUtcNow());
        conversation.AddEvent(new JsonObject
        {
            ["event_type"] = eventType,
            ["message_type"] = messageType,
            ["timestamp"] = timestamp,
            ["properties"] = properties.DeepClone(),
        });
        if (conversation.CallbackUrl is null || !Uri.TryCreate(conversation.CallbackUrl, UriKind.Absolute, out Uri? url))
        {
            return;
        }

        var body = new JsonObject
        {
            ["properties"] = properties,
            ["conversation_id"] = conversation.Id,
            ["webhook_url"] = conversation.CallbackUrl,
            ["event_type"] = eventType,
            ["message_type"] = messageType,
            ["timestamp"] = timestamp,
        };
        string json = body.ToJsonString();

        // Chain per conversation so replica_joined, shutdown and transcription_ready arrive in the order they happened.
        _chains.AddOrUpdate(
            conversation.Id,
            _ => PostAsync(conversation.Id, eventType, url, json),
            (_, previous) => previous.ContinueWith(_ => PostAsync(conversation.Id, eventType, url, json), TaskScheduler.Default).Unwrap());
    }

    private async Task PostAsync(string conversationId, string eventType, Uri url, string json)
    {
        WebhookDelivery delivery;
        try
        {
            using var content = new StringContent(json, Encoding.UTF8);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using HttpResponseMessage response = await _http.PostAsync(url, content, _stopping.Token).ConfigureAwait(false);
            delivery = new WebhookDelivery(conversationId, eventType, url, json, (int)response.StatusCode, null);
            Log.WebhookDelivered(_logger, conversationId, eventType, (int)response.StatusCode);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or OperationCanceledException)
        {
            delivery = new WebhookDelivery(conversationId, eventType, url, json, null, ex.GetType().Name + ": " + ex.Message);
            Log.WebhookFailed(_logger, conversationId, eventType, ex.GetType().Name);
        }

        _deliveries.Enqueue(delivery);
        Delivered?.Invoke(this, delivery);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Task.WhenAll(_chains.Values).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        _stopping.Dispose();
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }
}
