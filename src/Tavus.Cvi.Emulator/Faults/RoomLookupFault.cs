namespace Tavus.Cvi.Emulator.Faults;

/// <summary>How the room lookup (<c>POST /rooms/check/{domain}/{room}</c>) misbehaves (daily-protocol.md §3).</summary>
public enum RoomLookupFault
{
    /// <summary>Answer normally.</summary>
    None = 0,

    /// <summary>HTTP 404, as for a room that does not exist.</summary>
    NotFound,

    /// <summary>HTTP 500 with an <c>error</c> body.</summary>
    ServerError,

    /// <summary>HTTP 200 with <c>{"error":"nbf-room"}</c>: the room is not available yet.</summary>
    NbfRoom,

    /// <summary>HTTP 200 with <c>{"error":"exp-room"}</c>: the room is no longer available.</summary>
    ExpRoom,

    /// <summary>Answer normally after <see cref="EmulatorFaults.RoomLookupDelay"/> (daily-js gives up after 15 s).</summary>
    Slow,
}
