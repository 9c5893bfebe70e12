using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Tavus.Cvi.Interactions.Diagnostics;
using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.Interactions.Daily;

/// <summary>The parts of a successful room lookup the transport uses (daily-protocol.md §3).</summary>
internal sealed record DailyLookupResult(
    Uri WssUri,
    string WorkerId,
    string SigAuthz,
    string? TokenUserName,
    string? TokenUserId,
    string? GeoGroup);

/// <summary>
/// The room lookup: <c>POST {lookup}/rooms/check/{domain}/{room}</c> with a form body (daily-protocol.md §3). Outcomes
/// become <see cref="CviConnectionException"/>s whose messages never contain the response body, which carries
/// <c>sigAuthz</c> and token claims.
/// </summary>
internal static class DailyRoomLookup
{
    private const int MaxResponseBytes = 1 << 20;

    public static async Task<DailyLookupResult> LookupAsync(
        HttpClient http,
        DailyRoomAddress address,
        DailyEndpoints endpoints,
        string sessionId,
        string? meetingToken,
        string aboutClientJson,
        TimeSpan timeout,
        TimeProvider timeProvider,
        ILogger logger,
        CancellationToken cancellationToken)
    {
        var fields = new List<KeyValuePair<string, string>>(3) { new("sessionId", sessionId) };
        if (!string.IsNullOrEmpty(meetingToken))
        {
            // daily-js omits the field when there is no token (§3).
            fields.Add(new("joinToken", meetingToken));
        }

        fields.Add(new("aboutClient", aboutClientJson));

        using var timeoutCts = new CancellationTokenSource(timeout, timeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutCts.Token);
        byte[] body;
        HttpStatusCode status;
        try
        {
            using var content = new FormUrlEncodedContent(fields);
            using var request = new HttpRequestMessage(HttpMethod.Post, address.LookupUri) { Content = content };
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            status = response.StatusCode;
            if (status == HttpStatusCode.NotFound)
            {
                Log.DailyRoomLookupFailed(logger, address.MeetingString, (int)status, CviConnectionFailure.RoomNotFound);
                throw new CviConnectionException(CviConnectionFailure.RoomNotFound,
                    $"The Daily room '{address.MeetingString}' does not exist.");
            }

            if (!response.IsSuccessStatusCode)
            {
                // 5xx and 429 are worth retrying; other statuses (including redirects, which are not followed so the
                // token never leaves the lookup host) are not.
                var failure = (int)status >= 500 || status == HttpStatusCode.TooManyRequests
                    ? CviConnectionFailure.Network
                    : CviConnectionFailure.Unknown;
                Log.DailyRoomLookupFailed(logger, address.MeetingString, (int)status, failure);
                throw new CviConnectionException(failure,
                    $"The Daily room lookup for '{address.MeetingString}' failed with HTTP {(int)status}.");
            }

            body = await ReadBoundedAsync(response.Content, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (timeoutCts.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            Log.DailyRoomLookupFailed(logger, address.MeetingString, 0, CviConnectionFailure.Network);
            throw new CviConnectionException(CviConnectionFailure.Network,
                $"The Daily room lookup for '{address.MeetingString}' timed out after {timeout.TotalSeconds:0.#} s.", ex);
        }
        catch (HttpRequestException ex)
        {
            Log.DailyRoomLookupFailed(logger, address.MeetingString, 0, CviConnectionFailure.Network);
            throw new CviConnectionException(CviConnectionFailure.Network,
                $"The Daily room lookup for '{address.MeetingString}' failed: the network request failed.", ex);
        }

        return Interpret(body, address, endpoints, logger);
    }

    internal static DailyLookupResult Interpret(byte[] body, DailyRoomAddress address, DailyEndpoints endpoints, ILogger logger)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException)
        {
            // The parser's message may quote the body: do not chain it.
            throw Unexpected(address, logger);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Unexpected(address, logger);
            }

            if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String)
            {
                var code = error.GetString();
                switch (code)
                {
                    case "nbf-room":
                        Log.DailyRoomLookupFailed(logger, address.MeetingString, 200, CviConnectionFailure.RoomNotFound);
                        throw new CviConnectionException(CviConnectionFailure.RoomNotFound,
                            $"The Daily room '{address.MeetingString}' is not available yet (nbf-room).");
                    case "exp-room":
                        Log.DailyRoomLookupFailed(logger, address.MeetingString, 200, CviConnectionFailure.RoomNotFound);
                        throw new CviConnectionException(CviConnectionFailure.RoomNotFound,
                            $"The Daily room '{address.MeetingString}' is no longer available (exp-room).");
                    default:
                        Log.DailyRoomLookupFailed(logger, address.MeetingString, 200, CviConnectionFailure.Unknown);
                        throw new CviConnectionException(CviConnectionFailure.Unknown,
                            $"The Daily room lookup for '{address.MeetingString}' failed: {SafeErrorCode(code)}.");
                }
            }

            var succeeded = root.TryGetProperty("privacy", out _) ||
                            (root.TryGetProperty("needToRequest", out var ntr) && ntr.ValueKind is JsonValueKind.True or JsonValueKind.False);
            if (!succeeded)
            {
                throw Unexpected(address, logger);
            }

            var sigAuthz = root.TryGetProperty("sigAuthz", out var sig) && sig.ValueKind == JsonValueKind.String ? sig.GetString() : null;
            if (string.IsNullOrEmpty(sigAuthz))
            {
                // needToRequest:true without sigAuthz: a missing, invalid, expired or not-yet-valid token (§3). Knocking
                // (§4.7) is not supported.
                Log.DailyRoomLookupFailed(logger, address.MeetingString, 200, CviConnectionFailure.NotAdmitted);
                throw new CviConnectionException(CviConnectionFailure.NotAdmitted,
                    $"Not admitted to the Daily room '{address.MeetingString}': the meeting token is missing, invalid, expired or not yet valid.");
            }

            if (!root.TryGetProperty("worker", out var worker) || worker.ValueKind != JsonValueKind.Object ||
                !TryGetString(worker, "wssUri", out var wss) || !TryGetString(worker, "workerId", out var workerId) ||
                !Uri.TryCreate(wss, UriKind.Absolute, out var wssUri))
            {
                throw Unexpected(address, logger);
            }

            if (!DailyRoomAddress.IsAllowedSignalingUri(wssUri, endpoints))
            {
                // sigAuthz must only ever go to Daily's workers or an explicitly configured host (§2).
                Log.DailySignalingHostRejected(logger, address.MeetingString, wssUri.Host);
                throw new CviConnectionException(CviConnectionFailure.Unknown,
                    $"The Daily room lookup for '{address.MeetingString}' named a signaling host that is not allowed: {wssUri.Host}.");
            }

            string? userName = null;
            string? userId = null;
            if (root.TryGetProperty("joinProps", out var joinProps) && joinProps.ValueKind == JsonValueKind.Object)
            {
                if (joinProps.TryGetProperty("error", out _))
                {
                    // The token was ignored; the join continues with the room's defaults (§3).
                    Log.DailyMeetingTokenIgnored(logger, address.MeetingString);
                }

                TryGetString(joinProps, "u", out userName);
                TryGetString(joinProps, "ud", out userId);
            }

            TryGetString(root, "geoGroup", out var geoGroup);
            var result = new DailyLookupResult(wssUri, workerId!, sigAuthz, userName, userId, geoGroup);
            Log.DailyRoomLookupSucceeded(logger, address.MeetingString, workerId!, geoGroup);
            return result;
        }
    }

    private static bool TryGetString(JsonElement element, string name, out string? value)
    {
        if (element.TryGetProperty(name, out var property) && property.ValueKind == JsonValueKind.String)
        {
            value = property.GetString();
            return !string.IsNullOrEmpty(value);
        }

        value = null;
        return false;
    }

    private static CviConnectionException Unexpected(DailyRoomAddress address, ILogger logger)
    {
        Log.DailyRoomLookupFailed(logger, address.MeetingString, 200, CviConnectionFailure.Unknown);
        return new CviConnectionException(CviConnectionFailure.Unknown,
            $"The Daily room lookup for '{address.MeetingString}' returned a response this client does not understand.");
    }

    // Daily's error codes are short identifiers ("nbf-room"); anything else is not repeated, in case it carries data.
    private static string SafeErrorCode(string? code)
    {
        if (string.IsNullOrEmpty(code) || code.Length > 64)
        {
            return "the server reported an error";
        }

        foreach (var c in code)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ' '))
            {
                return "the server reported an error";
            }
        }

        return "the server reported '" + code + "'";
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            var chunk = new byte[16 * 1024];
            while (true)
            {
                var read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return buffer.ToArray();
                }

                if (buffer.Length + read > MaxResponseBytes)
                {
                    throw new CviConnectionException(CviConnectionFailure.Unknown, "The Daily room lookup response is too large.");
                }

                buffer.Write(chunk, 0, read);
            }
        }
    }
}
