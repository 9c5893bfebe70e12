using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace Tavus.Cvi.Interactions.Tests.Rest;

/// <summary>A request as the handler saw it: everything a test may assert on.</summary>
internal sealed record RecordedRequest(
    HttpMethod Method,
    Uri Uri,
    IReadOnlyDictionary<string, string> Headers,
    string? ContentType,
    string? Body);

/// <summary>An in-memory HTTP server: records each request exactly and answers from a script.</summary>
internal sealed class RecordingHandler : HttpMessageHandler
{
    private readonly ConcurrentQueue<Func<RecordedRequest, HttpResponseMessage>> _script = new();
    private readonly Func<RecordedRequest, HttpResponseMessage>? _fallback;

    public RecordingHandler(Func<RecordedRequest, HttpResponseMessage>? fallback = null) => _fallback = fallback;

    public List<RecordedRequest> Requests { get; } = [];

    public RecordingHandler Then(Func<RecordedRequest, HttpResponseMessage> respond)
    {
        _script.Enqueue(respond);
        return this;
    }

    public RecordingHandler ThenJson(HttpStatusCode status, string json, Action<HttpResponseMessage>? configure = null)
        => Then(_ =>
        {
            var response = Json(status, json);
            configure?.Invoke(response);
            return response;
        });

    public RecordingHandler ThenStatus(HttpStatusCode status) => Then(_ => new HttpResponseMessage(status));

    public RecordingHandler ThenThrow(Exception exception) => Then(_ => throw exception);

    public static HttpResponseMessage Json(HttpStatusCode status, string json)
        => new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in request.Headers)
        {
            headers[header.Key] = string.Join(", ", header.Value);
        }

        string? body = null;
        string? contentType = null;
        if (request.Content is not null)
        {
            body = await request.Content.ReadAsStringAsync(cancellationToken);
            contentType = request.Content.Headers.ContentType?.ToString();
        }

        var recorded = new RecordedRequest(request.Method, request.RequestUri!, headers, contentType, body);
        lock (Requests)
        {
            Requests.Add(recorded);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (_script.TryDequeue(out var respond))
        {
            return respond(recorded);
        }

        return _fallback?.Invoke(recorded) ?? throw new InvalidOperationException("No scripted response left for " + request.Method + " " + request.RequestUri);
    }
}
