using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Tavus.Cvi.Interactions.Rest;

/// <summary>Options of a <see cref="TavusClient"/>. The API key is not an option: it is passed to the constructor.</summary>
public sealed class TavusClientOptions
{
    /// <summary>The production Tavus API, <c>https://tavusapi.com/</c> (tavus-protocol.md §D.1).</summary>
    public static Uri DefaultBaseUri { get; } = new("https://tavusapi.com/");

    /// <summary>
    /// The base of the REST API; paths <c>v2/...</c> are resolved under it. Set it to an emulator's
    /// <c>TavusApiBaseUri</c> to work offline. The <see cref="HttpClient.BaseAddress"/> of a supplied client is not used.
    /// </summary>
    public Uri BaseUri { get; set; } = DefaultBaseUri;

    /// <summary>
    /// Whether create requests write the older <c>persona_id</c>/<c>replica_id</c> instead of the documented
    /// <c>pal_id</c>/<c>face_id</c> (tavus-protocol.md §0). Responses are read in both spellings either way.
    /// </summary>
    public bool UseLegacyIdentityFieldNames { get; set; }

    /// <summary>
    /// How many times a safe request (get, list, end, delete) is retried after a 5xx answer, a connection failure or an
    /// HTTP timeout. Creating a conversation is never retried: an ambiguous failure could have created it (§D.7).
    /// Default 3; 0 turns retries off.
    /// </summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>The delay before the first retry; each further retry doubles it, up to <see cref="MaxRetryDelay"/>. Default 1 s.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between two attempts, also the cap on a server's <c>Retry-After</c>. Default 10 s.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Where the client logs. Requests at Debug, retries at Warning, bodies only at Trace; the API key never.</summary>
    public ILoggerFactory LoggerFactory { get; set; } = NullLoggerFactory.Instance;

    /// <summary>The clock for retry backoff. Tests pass a fake one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
