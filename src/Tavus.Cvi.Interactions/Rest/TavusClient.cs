using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.Logging;
using Tavus.Cvi.Interactions.Diagnostics;

namespace Tavus.Cvi.Interactions.Rest;

/// <summary>
/// A client of the Tavus conversations REST API (tavus-protocol.md §D): create, get, list, end and delete
/// conversations. Thread-safe; create one per API key and reuse it.
/// </summary>
/// <remarks>
/// <para>With an <c>IHttpClientFactory</c> (package Microsoft.Extensions.Http), register it as a typed client:</para>
/// <code>
/// services.AddHttpClient("Tavus")
///     .AddTypedClient((http, sp) => new TavusClient(http, configuration["Tavus:ApiKey"]!));
/// </code>
/// <para>
/// The API key travels only in the <c>x-api-key</c> header, and never appears in a log line or an exception message.
/// Keep it server-side. Get, list, end and delete are retried on 5xx answers and connection failures with backoff
/// (<see cref="TavusClientOptions.MaxRetries"/>); create is never retried, since a failure after the request left
/// could already have created a conversation (§D.7).
/// </para>
/// </remarks>
public sealed class TavusClient : IDisposable
{
    private const int MaxBodyInException = 64 * 1024;
    private static readonly string[] RequestIdHeaders = ["x-request-id", "request-id", "x-amzn-requestid", "x-amz-cf-id", "cf-ray"];
    private static readonly string[] SecretFields = ["meeting_token", "livekit_room_token"];
    private static readonly ProductInfoHeaderValue UserAgent = new("Tavus.Cvi.Interactions",
        typeof(TavusClient).Assembly.GetName().Version?.ToString(3) ?? "0");

    private readonly HttpClient _http;
    private readonly bool _ownsHttpClient;
    private readonly string _apiKey;
    private readonly Uri _baseUri;
    private readonly TavusClientOptions _options;
    private readonly ILogger _logger;

    /// <summary>Creates a client that owns its own <see cref="HttpClient"/>.</summary>
    /// <param name="apiKey">The Tavus API key.</param>
    /// <param name="options">Options; the defaults talk to <c>https://tavusapi.com</c>.</param>
    public TavusClient(string apiKey, TavusClientOptions? options = null)
        : this(CreateOwnHttpClient(), apiKey, options, ownsHttpClient: true)
    {
    }

    /// <summary>Creates a client over a supplied <see cref="HttpClient"/>, for example one from <c>IHttpClientFactory</c>.</summary>
    /// <param name="httpClient">The HTTP client; not disposed by this client.</param>
    /// <param name="apiKey">The Tavus API key.</param>
    /// <param name="options">Options; the defaults talk to <c>https://tavusapi.com</c>.</param>
    public TavusClient(HttpClient httpClient, string apiKey, TavusClientOptions? options = null)
        : this(httpClient, apiKey, options, ownsHttpClient: false)
    {
    }

    private TavusClient(HttpClient httpClient, string apiKey, TavusClientOptions? options, bool ownsHttpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        try
        {
            ValidateApiKey(apiKey);
        }
        catch
        {
            if (ownsHttpClient)
            {
                httpClient.Dispose();
            }

            throw;
        }

        options ??= new TavusClientOptions();
        ArgumentNullException.ThrowIfNull(options.BaseUri, "options.BaseUri");
        if (!options.BaseUri.IsAbsoluteUri)
        {
            throw new ArgumentException("The base URI must be absolute.", nameof(options));
        }

        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxRetries, "options.MaxRetries");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.RetryDelay, TimeSpan.Zero, "options.RetryDelay");
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxRetryDelay, TimeSpan.Zero, "options.MaxRetryDelay");

        _http = httpClient;
        _ownsHttpClient = ownsHttpClient;
        _apiKey = apiKey;
        _options = options;
        _baseUri = options.BaseUri.AbsoluteUri.EndsWith('/') ? options.BaseUri : new Uri(options.BaseUri.AbsoluteUri + "/");
        _logger = (options.LoggerFactory ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance)
            .CreateLogger("Tavus.Cvi.Interactions.Rest.TavusClient");
    }

    /// <summary>The base of the REST API this client talks to.</summary>
    public Uri BaseUri => _baseUri;

    /// <summary>Creates a conversation: <c>POST /v2/conversations</c> (§D.2). Never retried.</summary>
    /// <param name="request">What to create; every member is optional.</param>
    /// <param name="cancellationToken">Cancels the request.</param>
    /// <returns>The new conversation, with its <see cref="Conversation.ConversationUrl"/> to join.</returns>
    /// <exception cref="TavusApiException">Tavus answered with an error.</exception>
    /// <exception cref="HttpRequestException">Tavus could not be reached.</exception>
    public async Task<Conversation> CreateConversationAsync(CreateConversationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var body = JsonSerializer.SerializeToNode(request, TavusRestJsonContext.Default.CreateConversationRequest)!.AsObject();
        if (_options.UseLegacyIdentityFieldNames)
        {
            Rename(body, "pal_id", "persona_id");
            Rename(body, "face_id", "replica_id");
        }

        var utf8 = JsonSerializer.SerializeToUtf8Bytes(body, TavusRestJsonContext.Default.JsonObject);
        var result = await SendAsync(HttpMethod.Post, "v2/conversations", utf8, retryable: false,
            TavusRestJsonContext.Default.Conversation, cancellationToken).ConfigureAwait(false);
        return result ?? throw UnreadableBody(HttpMethod.Post, "v2/conversations", HttpStatusCode.OK, null);
    }

    /// <summary>Gets a conversation: <c>GET /v2/conversations/{id}</c> (§D.3).</summary>
    /// <param name="conversationId">The conversation id.</param>
    /// <param name="verbose">
    /// Whether to ask for <c>?verbose=true</c>, which adds the shutdown reason and the event records (kept in
    /// <see cref="Conversation.AdditionalProperties"/>, since Tavus does not document their structure).
    /// </param>
    /// <param name="cancellationToken">Cancels the request and its retries.</param>
    /// <returns>The conversation.</returns>
    /// <exception cref="TavusApiException">Tavus answered with an error, such as 404.</exception>
    public async Task<Conversation> GetConversationAsync(string conversationId, bool verbose = false, CancellationToken cancellationToken = default)
    {
        var path = ConversationPath(conversationId) + (verbose ? "?verbose=true" : string.Empty);
        var result = await SendAsync(HttpMethod.Get, path, null, retryable: true,
            TavusRestJsonContext.Default.Conversation, cancellationToken).ConfigureAwait(false);
        return result ?? throw UnreadableBody(HttpMethod.Get, path, HttpStatusCode.OK, null);
    }

    /// <summary>Lists one page of conversations: <c>GET /v2/conversations</c> (§D.4).</summary>
    /// <param name="options">The page, its size and a status filter; Tavus defaults when unset.</param>
    /// <param name="cancellationToken">Cancels the request and its retries.</param>
    /// <returns>The page, with the total count over all pages.</returns>
    public async Task<ConversationPage> ListConversationsAsync(ListConversationsOptions? options = null, CancellationToken cancellationToken = default)
    {
        var path = ListPath(options);
        var result = await SendAsync(HttpMethod.Get, path, null, retryable: true,
            TavusRestJsonContext.Default.ConversationPage, cancellationToken).ConfigureAwait(false);
        return result ?? throw UnreadableBody(HttpMethod.Get, path, HttpStatusCode.OK, null);
    }

    /// <summary>
    /// Enumerates every conversation, fetching pages of <paramref name="pageSize"/> as the enumeration needs them.
    /// Stops at an empty or short page, or when <c>total_count</c> conversations have been returned.
    /// </summary>
    /// <param name="status">Only conversations with this status, or all when <see langword="null"/>.</param>
    /// <param name="pageSize">How many conversations each request asks for.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The conversations, page after page.</returns>
    public async IAsyncEnumerable<Conversation> ListAllConversationsAsync(
        ConversationStatus? status = null,
        int pageSize = 100,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(pageSize, 1);
        var returned = 0;
        for (var page = 1; ; page++)
        {
            var result = await ListConversationsAsync(
                new ListConversationsOptions { Limit = pageSize, Page = page, Status = status }, cancellationToken).ConfigureAwait(false);
            foreach (var conversation in result.Data)
            {
                yield return conversation;
            }

            returned += result.Data.Count;
            if (result.Data.Count == 0 || result.Data.Count < pageSize || (result.TotalCount is { } total && returned >= total))
            {
                yield break;
            }
        }
    }

    /// <summary>
    /// Ends a conversation: <c>POST /v2/conversations/{id}/end</c> (§D.5). Frees the concurrency slot and makes Tavus
    /// send <c>system.shutdown</c> with <c>end_conversation_endpoint_hit</c>. Safe to retry, so it is.
    /// </summary>
    /// <param name="conversationId">The conversation id.</param>
    /// <param name="cancellationToken">Cancels the request and its retries.</param>
    /// <returns>A task that completes when Tavus has accepted the end.</returns>
    public Task EndConversationAsync(string conversationId, CancellationToken cancellationToken = default)
        => SendWithoutResultAsync(HttpMethod.Post, ConversationPath(conversationId) + "/end", cancellationToken);

    /// <summary>Deletes a conversation: <c>DELETE /v2/conversations/{id}</c> (§D.6).</summary>
    /// <param name="conversationId">The conversation id.</param>
    /// <param name="hard">Whether to delete it irrevocably with its assets (<c>?hard=true</c>).</param>
    /// <param name="cancellationToken">Cancels the request and its retries.</param>
    /// <returns>A task that completes when Tavus has deleted it (204).</returns>
    public Task DeleteConversationAsync(string conversationId, bool hard = false, CancellationToken cancellationToken = default)
        => SendWithoutResultAsync(HttpMethod.Delete, ConversationPath(conversationId) + (hard ? "?hard=true" : string.Empty), cancellationToken);

    /// <summary>Disposes the <see cref="HttpClient"/> if this client created it.</summary>
    public void Dispose()
    {
        if (_ownsHttpClient)
        {
            _http.Dispose();
        }
    }

    private async Task SendWithoutResultAsync(HttpMethod method, string path, CancellationToken cancellationToken)
        => await SendAsync<JsonObject>(method, path, null, retryable: true, typeInfo: null, cancellationToken).ConfigureAwait(false);

    private async Task<T?> SendAsync<T>(
        HttpMethod method,
        string path,
        byte[]? body,
        bool retryable,
        JsonTypeInfo<T>? typeInfo,
        CancellationToken cancellationToken)
        where T : class
    {
        var logPath = "/" + path;
        var maxRetries = retryable ? _options.MaxRetries : 0;
        if (body is not null && _logger.IsEnabled(LogLevel.Trace))
        {
            var redacted = Redact(Encoding.UTF8.GetString(body));
            Log.TavusRequestBody(_logger, method.Method, logPath, redacted);
        }

        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Log.TavusRequestStarting(_logger, method.Method, logPath, attempt);
            var started = Stopwatch.GetTimestamp();
            HttpResponseMessage response;
            using (var request = CreateRequest(method, path, body))
            {
                try
                {
                    response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (IsTransportFailure(ex, cancellationToken))
                {
                    var reason = ex is TaskCanceledException ? "HTTP timeout" : ex.GetType().Name + ": " + ex.Message;
                    if (attempt > maxRetries)
                    {
                        Log.TavusRequestUnreachable(_logger, method.Method, logPath, reason);
                        throw;
                    }

                    await BackoffAsync(method, logPath, reason, attempt, maxRetries, retryAfter: null, cancellationToken).ConfigureAwait(false);
                    continue;
                }
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                Log.TavusRequestCompleted(_logger, method.Method, logPath, status, elapsed);
                if (response.IsSuccessStatusCode)
                {
                    var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                    if (_logger.IsEnabled(LogLevel.Trace) && bytes.Length > 0)
                    {
                        var redacted = Redact(Encoding.UTF8.GetString(bytes));
                        Log.TavusResponseBody(_logger, method.Method, logPath, redacted);
                    }

                    if (typeInfo is null)
                    {
                        return null;
                    }

                    try
                    {
                        return bytes.Length == 0
                            ? throw new JsonException("The response body is empty.")
                            : JsonSerializer.Deserialize(bytes, typeInfo);
                    }
                    catch (JsonException ex)
                    {
                        throw UnreadableBody(method, logPath, response.StatusCode, Encoding.UTF8.GetString(bytes), RequestIdOf(response), ex);
                    }
                }

                var errorBody = await ReadErrorBodyAsync(response, cancellationToken).ConfigureAwait(false);
                if (IsRetryableStatus(response.StatusCode) && attempt <= maxRetries)
                {
                    await BackoffAsync(method, logPath, $"{status} {response.ReasonPhrase}", attempt, maxRetries,
                        RetryAfterOf(response), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                throw ApiError(method, logPath, response, errorBody);
            }
        }
    }

    private HttpRequestMessage CreateRequest(HttpMethod method, string path, byte[]? body)
    {
        var request = new HttpRequestMessage(method, new Uri(_baseUri, path));
        request.Headers.TryAddWithoutValidation("x-api-key", _apiKey);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        request.Headers.UserAgent.Add(UserAgent);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        return request;
    }

    private async Task BackoffAsync(HttpMethod method, string logPath, string reason, int attempt, int maxRetries,
        TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        // Exponential backoff from RetryDelay, capped; a server's Retry-After wins when it asks for longer, up to the cap.
        var exponential = _options.RetryDelay * Math.Pow(2, attempt - 1);
        var delay = retryAfter is { } asked && asked > exponential ? asked : exponential;
        if (delay > _options.MaxRetryDelay)
        {
            delay = _options.MaxRetryDelay;
        }

        Log.TavusRequestRetrying(_logger, method.Method, logPath, reason, attempt, maxRetries, delay.TotalMilliseconds);
        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _options.TimeProvider ?? TimeProvider.System, cancellationToken).ConfigureAwait(false);
        }
    }

    private static bool IsTransportFailure(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        HttpRequestException => true,
        // HttpClient reports its own timeout as a TaskCanceledException while the caller's token is not cancelled.
        TaskCanceledException => !cancellationToken.IsCancellationRequested,
        IOException => true,
        _ => false,
    };

    // 5xx means the server failed; 501 and 505 say it never will succeed, so they are not retried (§D.7: 5xx only).
    private static bool IsRetryableStatus(HttpStatusCode status)
        => (int)status >= 500 && status != HttpStatusCode.NotImplemented && status != HttpStatusCode.HttpVersionNotSupported;

    private static TimeSpan? RetryAfterOf(HttpResponseMessage response)
        => response.Headers.RetryAfter?.Delta is { } delta && delta >= TimeSpan.Zero ? delta : null;

    private static string? RequestIdOf(HttpResponseMessage response)
    {
        foreach (var name in RequestIdHeaders)
        {
            if (response.Headers.TryGetValues(name, out var values))
            {
                return values.FirstOrDefault();
            }
        }

        return null;
    }

    private static async Task<string?> ReadErrorBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return text.Length > MaxBodyInException ? text[..MaxBodyInException] : text;
    }

    private TavusApiException ApiError(HttpMethod method, string logPath, HttpResponseMessage response, string? body)
    {
        var (error, message) = ParseErrorBody(body);
        var requestId = RequestIdOf(response);
        var status = (int)response.StatusCode;
        Log.TavusRequestFailed(_logger, method.Method, logPath, status, message ?? error, requestId);
        var detail = message ?? error;
        var text = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"Tavus {method.Method} {StripQuery(logPath)} failed with {status} ({response.ReasonPhrase})");
        if (detail is not null)
        {
            text.Append(": ").Append(detail);
        }

        if (requestId is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $" (request id {requestId})");
        }

        return new TavusApiException(text.ToString(), response.StatusCode, error, message, body, requestId);
    }

    private static TavusApiException UnreadableBody(HttpMethod method, string path, HttpStatusCode status, string? body,
        string? requestId = null, Exception? inner = null)
        => new(
            $"Tavus {method.Method} {StripQuery(path)} answered {(int)status} with a body this SDK could not read.",
            status,
            error: null,
            apiMessage: null,
            body is { Length: > MaxBodyInException } ? body[..MaxBodyInException] : body,
            requestId,
            inner);

    /// <summary>Reads <c>error</c>/<c>message</c> from the error body (§D.7); tolerant of any other shape.</summary>
    internal static (string? Error, string? Message) ParseErrorBody(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return (null, null);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, null);
            }

            return (TextOf(document.RootElement, "error"), TextOf(document.RootElement, "message"));
        }
        catch (JsonException)
        {
            return (null, null);
        }

        static string? TextOf(JsonElement root, string name)
        {
            if (!root.TryGetProperty(name, out var value))
            {
                return null;
            }

            return value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                // Some gateways nest it: {"error": {"message": "..."}}.
                JsonValueKind.Object when value.TryGetProperty("message", out var inner) && inner.ValueKind == JsonValueKind.String => inner.GetString(),
                JsonValueKind.Null or JsonValueKind.Undefined => null,
                _ => value.GetRawText(),
            };
        }
    }

    /// <summary>Replaces secret fields of a JSON body before it reaches a Trace log line.</summary>
    internal static string Redact(string body)
    {
        if (!SecretFields.Any(field => body.Contains(field, StringComparison.Ordinal)))
        {
            return body;
        }

        try
        {
            var node = JsonNode.Parse(body);
            RedactNode(node);
            return node?.ToJsonString() ?? body;
        }
        catch (JsonException)
        {
            return "(unparseable body withheld: it may contain a secret)";
        }

        static void RedactNode(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var name in obj.Select(pair => pair.Key).ToList())
                    {
                        if (SecretFields.Contains(name, StringComparer.Ordinal))
                        {
                            obj[name] = "***";
                        }
                        else
                        {
                            RedactNode(obj[name]);
                        }
                    }

                    break;
                case JsonArray array:
                    foreach (var item in array)
                    {
                        RedactNode(item);
                    }

                    break;
            }
        }
    }

    private static string ConversationPath(string conversationId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(conversationId);
        return "v2/conversations/" + Uri.EscapeDataString(conversationId);
    }

    private static string ListPath(ListConversationsOptions? options)
    {
        if (options is null)
        {
            return "v2/conversations";
        }

        var query = new List<string>(3);
        if (options.Limit is { } limit)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1, "options.Limit");
            query.Add("limit=" + limit.ToString(CultureInfo.InvariantCulture));
        }

        if (options.Page is { } page)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(page, 1, "options.Page");
            query.Add("page=" + page.ToString(CultureInfo.InvariantCulture));
        }

        if (options.Status is { } status)
        {
            query.Add("status=" + Uri.EscapeDataString(status.Value));
        }

        return query.Count == 0 ? "v2/conversations" : "v2/conversations?" + string.Join('&', query);
    }

    private static string StripQuery(string path)
    {
        var index = path.IndexOf('?', StringComparison.Ordinal);
        return index < 0 ? path : path[..index];
    }

    private static void Rename(JsonObject body, string from, string to)
    {
        if (body.Remove(from, out var value) && !body.ContainsKey(to))
        {
            body[to] = value;
        }
    }

    private static void ValidateApiKey(string apiKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        // A control character would split the header; the message must not echo the key.
        if (apiKey.Any(char.IsControl))
        {
            throw new ArgumentException("The API key contains a control character.", nameof(apiKey));
        }
    }

    private static HttpClient CreateOwnHttpClient()
        => new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }, disposeHandler: true);
}
