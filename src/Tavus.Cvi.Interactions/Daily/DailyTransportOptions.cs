
namespace Tavus.Cvi.Interactions.Daily;

/// <summary>Options of the Daily transport: how the SDK joins a Daily room itself.</summary>
public sealed class DailyTransportOptions
{
    /// <summary>
    /// The meeting token for private rooms. Sent only to the room-lookup endpoint; never logged. When the room URL also
    /// carries a <c>t=</c> parameter, this value wins.
    /// </summary>
    public string? MeetingToken { get; set; }

    /// <summary>The display name of the local participant; the meeting token's <c>user_name</c> when null.</summary>
    public string? DisplayName { get; set; }

    /// <summary>
    /// The <see cref="HttpClient"/> for the room lookup; one is created (and disposed) when null. The created client
    /// does not follow redirects, so the meeting token never leaves the lookup host; a client passed here should not
    /// either.
    /// </summary>
    public HttpClient? HttpClient { get; set; }

    /// <summary>Where credentials may be sent. Defaults to Daily; set <see cref="DailyEndpoints.ForEmulator"/> for a local emulator.</summary>
    public DailyEndpoints Endpoints { get; set; } = DailyEndpoints.Daily;

    /// <summary>
    /// How the transport identifies itself to Daily (<c>aboutClient</c>). Defaults to <see cref="DailyClientInfo.Default"/>.
    /// Overriding it is possible but risky: see <see cref="DailyClientInfo"/>.
    /// </summary>
    public DailyClientInfo ClientInfo { get; set; } = DailyClientInfo.Default;

    /// <summary>
    /// The largest app message, in UTF-16 code units of its JSON text as daily-js counts it (daily-protocol.md §6).
    /// Default 4096. Larger messages fail with <c>CviMessageTooLargeException</c> before anything is sent.
    /// </summary>
    public int MaxMessageSize { get; set; } = 4096;

    /// <summary>
    /// How long each step of a join may take: the room lookup, opening the WebSocket, the <c>sig-ack</c> and the SFU
    /// join reply. Default 15 s, as daily-js (daily-protocol.md §3, §4.1, §5).
    /// </summary>
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How many times the initial join is attempted when the network fails. Default 3, as daily-js (§4.1).</summary>
    public int JoinAttempts { get; set; } = 3;

    /// <summary>
    /// How long the transport keeps trying to re-establish a lost connection before it closes with
    /// <c>TransportCloseReason.ConnectionLost</c> and fails queued messages. Default 30 s.
    /// </summary>
    public TimeSpan ReconnectDeadline { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The delay before the first reconnect attempt; it doubles on each further attempt. Default 500 ms (§4.10).</summary>
    public TimeSpan ReconnectInitialDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The largest delay between reconnect attempts. Default 5 s.</summary>
    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How many messages may wait, in order, while the transport reconnects. A send beyond this bound fails at once.
    /// Default 256.
    /// </summary>
    public int MaxQueuedMessages { get; set; } = 256;

    /// <summary>The largest inbound signaling frame accepted; larger frames are discarded and logged. Default 1 MiB.</summary>
    public int MaxInboundFrameBytes { get; set; } = 1 << 20;

    /// <summary>
    /// The peer connections for peer-to-peer rooms (daily-protocol.md §7), or null. Null (the default): the transport
    /// asks for SFU (<c>sfuRequired:true</c>) and a room that still answers <c>topology:"peer"</c> fails the join with
    /// <c>CviConnectionFailure.Unsupported</c>. Set: it lets Daily choose (<c>sfuRequired:false</c>) and, in a
    /// peer-to-peer room, carries app messages over the <c>app-messages</c> data channel of a connection this factory
    /// creates for each participant. The <c>Tavus.Cvi.Interactions.WebRtc</c> package provides
    /// <c>WebRtcPeerConnectionFactory</c>.
    /// </summary>
    public IDailyPeerConnectionFactory? PeerToPeer { get; set; }
}
