namespace Tavus.Cvi.Interactions.Daily;

/// <summary>Options of the Daily transport: how the SDK joins a Daily room itself.</summary>
public sealed class DailyTransportOptions
{
    /// <summary>The meeting token for private rooms. Sent only to the room-lookup endpoint; never logged.</summary>
    public string? MeetingToken { get; set; }

    /// <summary>The display name of the local participant.</summary>
    public string? DisplayName { get; set; }

    /// <summary>The <see cref="HttpClient"/> for the room lookup; one is created (and disposed) when null.</summary>
    public HttpClient? HttpClient { get; set; }

    /// <summary>Where credentials may be sent. Defaults to Daily; set <see cref="DailyEndpoints.ForEmulator"/> for a local emulator.</summary>
    public DailyEndpoints Endpoints { get; set; } = DailyEndpoints.Daily;
}
