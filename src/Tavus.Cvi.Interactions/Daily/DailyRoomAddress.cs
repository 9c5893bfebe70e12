using System.Globalization;

namespace Tavus.Cvi.Interactions.Daily;

/// <summary>
/// A validated Daily room address: the domain and room, the room-lookup URI, and the meeting token that was carried in
/// the room URL's <c>t=</c> parameter (stripped from the address, never logged).
/// </summary>
/// <remarks>
/// The rule (daily-protocol.md §2): the meeting token goes only to Daily's lookup host (or to an explicitly configured
/// emulator), so the room URL is checked strictly: <c>https</c> only, no user-info, no port, a host that is exactly
/// <c>{domain}.daily.co</c> (not <c>daily.co.evil</c>, not <c>evildaily.co</c>) and exactly one path segment.
/// </remarks>
internal sealed class DailyRoomAddress
{
    private DailyRoomAddress(string domain, string room, Uri lookupUri, string? urlToken)
    {
        Domain = domain;
        Room = room;
        LookupUri = lookupUri;
        UrlToken = urlToken;
    }

    /// <summary>The Daily domain (first DNS label of the room host; <c>tavus</c> for Tavus).</summary>
    public string Domain { get; }

    /// <summary>The room name.</summary>
    public string Room { get; }

    /// <summary>The meeting string <c>{domain}/{room}</c> (daily-protocol.md §2): safe to log.</summary>
    public string MeetingString => Domain + "/" + Room;

    /// <summary>Where the room lookup is posted.</summary>
    public Uri LookupUri { get; }

    /// <summary>The meeting token from the URL's <c>t</c> query parameter, if any. A secret.</summary>
    public string? UrlToken { get; }

    /// <summary>Validates <paramref name="roomUrl"/> against <paramref name="endpoints"/>.</summary>
    /// <exception cref="ArgumentException">The URL is not an acceptable room URL. The message never repeats the URL.</exception>
    public static DailyRoomAddress Parse(string roomUrl, DailyEndpoints endpoints)
    {
        ArgumentNullException.ThrowIfNull(roomUrl);
        ArgumentNullException.ThrowIfNull(endpoints);
        if (!Uri.TryCreate(roomUrl.Trim(), UriKind.Absolute, out var uri))
        {
            throw Invalid("it is not an absolute URL");
        }

        if (uri.UserInfo.Length > 0)
        {
            throw Invalid("it contains user information");
        }

        string domain;
        string room;
        var segments = SplitPath(uri.AbsolutePath);
        if (endpoints.RoomAuthority is null)
        {
            if (uri.Scheme != Uri.UriSchemeHttps)
            {
                throw Invalid("Daily room URLs must use https");
            }

            if (!uri.IsDefaultPort)
            {
                throw Invalid("Daily room URLs must not name a port");
            }

            const string suffix = ".daily.co";
            var host = uri.IdnHost.ToLowerInvariant();
            if (!host.EndsWith(suffix, StringComparison.Ordinal))
            {
                throw Invalid("the host is not under daily.co");
            }

            domain = host[..^suffix.Length];
            if (!IsDnsLabel(domain))
            {
                throw Invalid("the host must be {domain}.daily.co");
            }

            if (segments.Count != 1)
            {
                throw Invalid("the path must be exactly /{room}");
            }

            room = segments[0];
        }
        else
        {
            if (uri.Scheme != Uri.UriSchemeHttps && !(endpoints.AllowInsecureTransport && uri.Scheme == Uri.UriSchemeHttp))
            {
                throw Invalid("the scheme is not allowed by the configured endpoints");
            }

            if (!string.Equals(uri.Authority, endpoints.RoomAuthority, StringComparison.OrdinalIgnoreCase))
            {
                throw Invalid("the host is not the configured room authority");
            }

            if (segments.Count != 2)
            {
                throw Invalid("the path must be exactly /{domain}/{room}");
            }

            domain = segments[0].ToLowerInvariant();
            if (!IsDnsLabel(domain))
            {
                throw Invalid("the domain segment is not a valid name");
            }

            room = segments[1];
        }

        if (!IsRoomName(room))
        {
            throw Invalid("the room name is empty or contains characters Daily does not use");
        }

        var lookupBase = ValidateLookupBase(endpoints);
        var lookupUri = new Uri(lookupBase, "rooms/check/" + Uri.EscapeDataString(domain) + "/" + Uri.EscapeDataString(room));
        return new DailyRoomAddress(domain, room, lookupUri, ReadTokenParameter(uri.Query));
    }

    /// <summary>
    /// Whether credentials (<c>sigAuthz</c>) may be sent to this signaling URI (daily-protocol.md §2): <c>wss</c> (or
    /// <c>ws</c> for a loopback emulator), no user-info, a host under an allowed suffix or one of the exact hosts.
    /// </summary>
    public static bool IsAllowedSignalingUri(Uri uri, DailyEndpoints endpoints)
    {
        ArgumentNullException.ThrowIfNull(uri);
        ArgumentNullException.ThrowIfNull(endpoints);
        if (!uri.IsAbsoluteUri || uri.UserInfo.Length > 0)
        {
            return false;
        }

        if (uri.Scheme != Uri.UriSchemeWss && !(endpoints.AllowInsecureTransport && uri.Scheme == Uri.UriSchemeWs))
        {
            return false;
        }

        var host = uri.IdnHost;
        foreach (var exact in endpoints.SignalingHosts)
        {
            if (string.Equals(host, exact, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        foreach (var suffix in endpoints.SignalingHostSuffixes)
        {
            // A suffix must start with a dot so "evildaily.co" never matches ".daily.co", and the host must have a
            // label before it.
            if (suffix.Length > 1 && suffix[0] == '.' && host.Length > suffix.Length &&
                host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The alternate form of a Daily worker URI: <c>.wss.daily.co</c> replaced by <c>-wss.daily.co</c>
    /// (daily-protocol.md §4.1). A loopback emulator, which cannot vary its host, puts the same marker at the end of
    /// the path instead (<c>…/{worker}.wss</c> → <c>…/{worker}-wss</c>, docs/emulator.md). <see langword="null"/> when
    /// the URI has no alternate form.
    /// </summary>
    public static Uri? AlternateWorkerUri(Uri wssUri)
    {
        ArgumentNullException.ThrowIfNull(wssUri);
        const string primary = ".wss.daily.co";
        const string alternate = "-wss.daily.co";
        var host = wssUri.Host;
        if (host.EndsWith(primary, StringComparison.OrdinalIgnoreCase) && host.Length > primary.Length)
        {
            return new UriBuilder(wssUri) { Host = host[..^primary.Length] + alternate }.Uri;
        }

        if (wssUri.IsLoopback && wssUri.AbsolutePath.EndsWith(".wss", StringComparison.Ordinal))
        {
            return new UriBuilder(wssUri) { Path = wssUri.AbsolutePath[..^4] + "-wss" }.Uri;
        }

        return null;
    }

    private static Uri ValidateLookupBase(DailyEndpoints endpoints)
    {
        var lookupBase = endpoints.RoomLookupBase;
        if (lookupBase is null || !lookupBase.IsAbsoluteUri || lookupBase.UserInfo.Length > 0 ||
            (lookupBase.Scheme != Uri.UriSchemeHttps &&
             !(endpoints.AllowInsecureTransport && lookupBase.Scheme == Uri.UriSchemeHttp)))
        {
            throw new ArgumentException("The configured room-lookup base must be an absolute https URI without user information.", nameof(endpoints));
        }

        // Uri combination drops the last segment of a base without a trailing slash.
        return lookupBase.AbsoluteUri.EndsWith('/') ? lookupBase : new Uri(lookupBase.AbsoluteUri + "/");
    }

    private static List<string> SplitPath(string absolutePath)
    {
        var path = absolutePath;
        if (path.EndsWith('/'))
        {
            // One trailing slash is what browsers add; it is not an extra segment.
            path = path[..^1];
        }

        var segments = new List<string>();
        foreach (var raw in path.Split('/'))
        {
            segments.Add(Uri.UnescapeDataString(raw));
        }

        // The path starts with '/', so the first element is always empty.
        segments.RemoveAt(0);
        return segments;
    }

    private static bool IsDnsLabel(string label)
    {
        if (label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-')
        {
            return false;
        }

        foreach (var c in label)
        {
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsRoomName(string room)
    {
        // Daily room names are limited to letters, digits, '-' and '_' (docs.daily.co, rooms); '.' is tolerated but
        // never as a whole segment, so "." and ".." cannot walk the lookup path.
        if (room.Length is 0 or > 128 || room is "." or "..")
        {
            return false;
        }

        foreach (var c in room)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return false;
            }
        }

        return true;
    }

    private static string? ReadTokenParameter(string query)
    {
        if (query.Length <= 1)
        {
            return null;
        }

        string? token = null;
        foreach (var pair in query[1..].Split('&'))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? pair : pair[..eq];
            if (name == "t" && eq >= 0)
            {
                var value = Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
                token = value.Length == 0 ? null : value;
            }
        }

        return token;
    }

#pragma warning disable CA2208 // The parameter is the public constructor's roomUrl, which this helper validates.
    private static ArgumentException Invalid(string why) =>
        new(string.Create(CultureInfo.InvariantCulture, $"The room URL is not a valid Daily room URL: {why}."), "roomUrl");
#pragma warning restore CA2208
}
