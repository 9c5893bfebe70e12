namespace Tavus.Cvi.Interactions.Daily;

/// <summary>
/// Where the Daily transport may send credentials. By default only Daily's own hosts: the meeting token goes only to
/// the room-lookup host and <c>sigAuthz</c> only to signaling workers under <c>.daily.co</c>. A local emulator is
/// allowed only when configured explicitly with <see cref="ForEmulator"/> (daily-protocol.md §2).
/// </summary>
public sealed record DailyEndpoints
{
    /// <summary>Daily's production endpoints.</summary>
    public static DailyEndpoints Daily { get; } = new();

    /// <summary>The base of the room lookup: <c>POST {RoomLookupBase}rooms/check/{domain}/{room}</c>.</summary>
    public Uri RoomLookupBase { get; init; } = new("https://gs.daily.co/");

    /// <summary>
    /// The authority (<c>host:port</c>) of room URLs served by an emulator, whose path is <c>/{domain}/{room}</c>;
    /// <see langword="null"/> for Daily, whose room URLs are <c>https://{domain}.daily.co/{room}</c>.
    /// </summary>
    public string? RoomAuthority { get; init; }

    /// <summary>Host suffixes a signaling worker URI may have (Daily: <c>.daily.co</c>).</summary>
    public IReadOnlyList<string> SignalingHostSuffixes { get; init; } = [".daily.co"];

    /// <summary>Exact signaling hosts allowed besides the suffixes (an emulator's loopback address).</summary>
    public IReadOnlyList<string> SignalingHosts { get; init; } = [];

    /// <summary>Whether plain <c>http:</c>/<c>ws:</c> is allowed. Only for an emulator on loopback.</summary>
    public bool AllowInsecureTransport { get; init; }

    /// <summary>Endpoints of a local emulator whose Daily side is served at <paramref name="baseUri"/>.</summary>
    /// <param name="baseUri">The emulator's base URI, such as <c>http://127.0.0.1:5123/</c>.</param>
    public static DailyEndpoints ForEmulator(Uri baseUri)
    {
        ArgumentNullException.ThrowIfNull(baseUri);
        return new DailyEndpoints
        {
            RoomLookupBase = baseUri,
            RoomAuthority = baseUri.Authority,
            SignalingHostSuffixes = [],
            SignalingHosts = [baseUri.Host],
            AllowInsecureTransport = baseUri.IsLoopback,
        };
    }
}
