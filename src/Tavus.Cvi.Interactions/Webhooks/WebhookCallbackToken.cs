using System.Security.Cryptography;
using System.Text;

namespace Tavus.Cvi.Interactions.Webhooks;

/// <summary>
/// Per-conversation secrets for callback URLs. Tavus does not sign webhooks (tavus-protocol.md §E), so the way to know
/// a callback came from Tavus about your conversation is a token only Tavus and you know, in the URL you gave it.
/// </summary>
/// <example>
/// <code>
/// var token = WebhookCallbackToken.Create();
/// var callbackUrl = WebhookCallbackToken.AddToUrl(new Uri("https://example.com/tavus/webhook"), token);
/// // store token; on a callback: WebhookCallbackToken.Matches(request.Query["token"], storedToken)
/// </code>
/// </example>
public static class WebhookCallbackToken
{
    /// <summary>The query-string parameter the token goes in, <c>token</c>.</summary>
    public const string DefaultParameterName = "token";

    /// <summary>Creates a random token: 32 bytes from the system CSPRNG, base64url without padding.</summary>
    /// <returns>A 43-character URL-safe token.</returns>
    public static string Create()
    {
        Span<byte> bytes = stackalloc byte[32];
        RandomNumberGenerator.Fill(bytes);
        return Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    /// <summary>Adds the token to a callback URL's query string, keeping any query it already has.</summary>
    /// <param name="callbackUrl">The absolute URL of your webhook endpoint.</param>
    /// <param name="token">The token.</param>
    /// <param name="parameterName">The query parameter name.</param>
    /// <returns>The URL to pass as <c>callback_url</c>.</returns>
    public static Uri AddToUrl(Uri callbackUrl, string token, string parameterName = DefaultParameterName)
    {
        ArgumentNullException.ThrowIfNull(callbackUrl);
        ArgumentException.ThrowIfNullOrEmpty(token);
        ArgumentException.ThrowIfNullOrEmpty(parameterName);
        if (!callbackUrl.IsAbsoluteUri)
        {
            throw new ArgumentException("The callback URL must be absolute.", nameof(callbackUrl));
        }

        var builder = new UriBuilder(callbackUrl);
        var pair = Uri.EscapeDataString(parameterName) + "=" + Uri.EscapeDataString(token);
        var query = builder.Query.TrimStart('?');
        builder.Query = query.Length == 0 ? pair : query + "&" + pair;
        return builder.Uri;
    }

    /// <summary>Whether a presented token equals the expected one, compared in constant time.</summary>
    /// <param name="presented">The token from the request, or <see langword="null"/> if it had none.</param>
    /// <param name="expected">The token stored for the conversation.</param>
    /// <returns><see langword="true"/> only for an exact match.</returns>
    public static bool Matches(string? presented, string? expected)
    {
        if (string.IsNullOrEmpty(presented) || string.IsNullOrEmpty(expected))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(expected));
    }
}
