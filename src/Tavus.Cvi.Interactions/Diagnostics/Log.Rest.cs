using Microsoft.Extensions.Logging;

namespace Tavus.Cvi.Interactions.Diagnostics;

// The REST client's log lines (event ids 3000-3399; 3400-3499 are kept for webhooks). Paths carry conversation
// ids, which are not secrets; the API key is only ever in the x-api-key header and never reaches a log line.
internal static partial class Log
{
    [LoggerMessage(EventId = 3000, EventName = "TavusRequestStarting", Level = LogLevel.Debug,
        Message = "Tavus {Method} {Path} (attempt {Attempt})")]
    public static partial void TavusRequestStarting(ILogger logger, string method, string path, int attempt);

    [LoggerMessage(EventId = 3001, EventName = "TavusRequestCompleted", Level = LogLevel.Debug,
        Message = "Tavus {Method} {Path} answered {StatusCode} in {ElapsedMilliseconds:0.0} ms")]
    public static partial void TavusRequestCompleted(ILogger logger, string method, string path, int statusCode, double elapsedMilliseconds);

    [LoggerMessage(EventId = 3002, EventName = "TavusRequestRetrying", Level = LogLevel.Warning,
        Message = "Tavus {Method} {Path} failed ({Reason}); retry {Retry} of {MaxRetries} in {DelayMilliseconds} ms")]
    public static partial void TavusRequestRetrying(ILogger logger, string method, string path, string reason, int retry, int maxRetries, double delayMilliseconds);

    [LoggerMessage(EventId = 3003, EventName = "TavusRequestFailed", Level = LogLevel.Warning,
        Message = "Tavus {Method} {Path} failed with {StatusCode}: {ApiMessage} (request id {RequestId})")]
    public static partial void TavusRequestFailed(ILogger logger, string method, string path, int statusCode, string? apiMessage, string? requestId);

    [LoggerMessage(EventId = 3004, EventName = "TavusRequestUnreachable", Level = LogLevel.Warning,
        Message = "Tavus {Method} {Path} could not be sent: {Reason}")]
    public static partial void TavusRequestUnreachable(ILogger logger, string method, string path, string reason);

    [LoggerMessage(EventId = 3005, EventName = "TavusRequestBody", Level = LogLevel.Trace,
        Message = "Tavus {Method} {Path} request body: {Body}")]
    public static partial void TavusRequestBody(ILogger logger, string method, string path, string body);

    [LoggerMessage(EventId = 3006, EventName = "TavusResponseBody", Level = LogLevel.Trace,
        Message = "Tavus {Method} {Path} response body: {Body}")]
    public static partial void TavusResponseBody(ILogger logger, string method, string path, string body);
}
