using System.Net;
using System.Net.Sockets;
using Tavus.Cvi.Interactions.Webhooks;

namespace QuickStart;

/// <summary>
/// A tiny webhook endpoint on 127.0.0.1 for the conversation's <c>callback_url</c>. It accepts only callbacks carrying
/// the conversation's token (Tavus does not sign webhooks, tavus-protocol.md §E) and hands the typed events over.
/// </summary>
public sealed class LocalWebhookReceiver : IAsyncDisposable
{
    private readonly HttpListener _listener;
    private readonly string _token;
    private readonly List<TavusWebhookEvent> _received = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _loop;
    private string? _conversationId;

    private LocalWebhookReceiver(HttpListener listener, Uri callbackUrl, string token)
    {
        _listener = listener;
        _token = token;
        CallbackUrl = callbackUrl;
        _loop = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The URL to pass as <c>callback_url</c>, token included.</summary>
    public Uri CallbackUrl { get; }

    /// <summary>How many callbacks were refused (wrong token, wrong conversation or not a webhook).</summary>
    public int Rejected { get; private set; }

    /// <summary>Starts listening on a free loopback port.</summary>
    public static LocalWebhookReceiver Start()
    {
        // HttpListener cannot bind port 0; take a free port from the OS and retry on the rare race.
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
                continue;
            }

            var token = WebhookCallbackToken.Create();
            var url = WebhookCallbackToken.AddToUrl(new Uri($"http://127.0.0.1:{port}/tavus/webhook"), token);
            return new LocalWebhookReceiver(listener, url, token);
        }
    }

    /// <summary>Binds the token to the conversation it was issued for, once the create call has returned.</summary>
    public void BindTo(string conversationId) => _conversationId = conversationId;

    /// <summary>The accepted webhooks so far, in arrival order.</summary>
    public IReadOnlyList<TavusWebhookEvent> Received
    {
        get
        {
            lock (_received)
            {
                return [.. _received];
            }
        }
    }

    /// <summary>Waits until a webhook of a type has been accepted (returns at once if one already was).</summary>
    public async Task<T> WaitForAsync<T>(CancellationToken cancellationToken) where T : TavusWebhookEvent
    {
        while (true)
        {
            Task changed;
            lock (_received)
            {
                if (_received.OfType<T>().FirstOrDefault() is { } match)
                {
                    return match;
                }

                changed = _changed.Task;
            }

            await changed.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Raised for each accepted webhook, on the receiver's thread.</summary>
    public event EventHandler<TavusWebhookEvent>? WebhookReceived;

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (ObjectDisposedException)
        {
        }
        catch (HttpListenerException)
        {
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var status = await HandleAsync(context.Request).ConfigureAwait(false);
            context.Response.StatusCode = status;
            context.Response.Close();
        }
    }

    private async Task<int> HandleAsync(HttpListenerRequest request)
    {
        if (request.HttpMethod != "POST" || request.Url?.AbsolutePath != "/tavus/webhook")
        {
            return 404;
        }

        // The token first, before the body is read.
        if (!WebhookCallbackToken.Matches(request.QueryString[WebhookCallbackToken.DefaultParameterName], _token))
        {
            Rejected++;
            return 401;
        }

        var result = await TavusWebhookParser.ParseAsync(request.InputStream).ConfigureAwait(false);
        if (!result.IsValid)
        {
            Rejected++;
            return 400;
        }

        if (_conversationId is { } expected && !string.Equals(result.Event.ConversationId, expected, StringComparison.Ordinal))
        {
            Rejected++;
            return 401;
        }

        WebhookReceived?.Invoke(this, result.Event);
        lock (_received)
        {
            _received.Add(result.Event);
            _changed.TrySetResult();
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        return 200;
    }

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
