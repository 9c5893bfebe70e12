using System.Net;
using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.Interactions.Rest;

/// <summary>
/// The Tavus REST API answered with an error status, or with a success body this SDK could not read
/// (tavus-protocol.md §D.7). Carries what is needed to act on it or report it; never the API key.
/// </summary>
public sealed class TavusApiException : CviException
{
    /// <summary>Creates the exception.</summary>
    public TavusApiException() { }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong; never contains a secret.</param>
    public TavusApiException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong; never contains a secret.</param>
    /// <param name="innerException">The cause.</param>
    public TavusApiException(string message, Exception innerException) : base(message, innerException) { }

    /// <summary>Creates the exception with its diagnostic fields.</summary>
    /// <param name="message">What went wrong; never contains a secret.</param>
    /// <param name="statusCode">The HTTP status of the response.</param>
    /// <param name="error">The <c>error</c> field of the body, if any.</param>
    /// <param name="apiMessage">The <c>message</c> field of the body, if any.</param>
    /// <param name="responseBody">The body as it came, if any.</param>
    /// <param name="requestId">The request id header of the response, if any.</param>
    /// <param name="innerException">The cause, if any.</param>
    public TavusApiException(
        string message,
        HttpStatusCode statusCode,
        string? error,
        string? apiMessage,
        string? responseBody,
        string? requestId,
        Exception? innerException = null)
        : base(message, innerException!)
    {
        StatusCode = statusCode;
        Error = error;
        ApiMessage = apiMessage;
        ResponseBody = responseBody;
        RequestId = requestId;
    }

    /// <summary>The HTTP status of the response, such as 400 for "User has reached maximum concurrent conversations".</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The <c>error</c> field of the error body, if it had one.</summary>
    public string? Error { get; }

    /// <summary>The <c>message</c> field of the error body, if it had one (for example "Invalid access token").</summary>
    public string? ApiMessage { get; }

    /// <summary>The response body as it came (truncated to 64 KiB), or <see langword="null"/> if empty.</summary>
    public string? ResponseBody { get; }

    /// <summary>The request id the server put in a response header (<c>x-request-id</c> and similar), if any.</summary>
    public string? RequestId { get; }
}
