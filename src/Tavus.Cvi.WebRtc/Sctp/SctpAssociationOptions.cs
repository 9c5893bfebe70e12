using Microsoft.Extensions.Logging;

namespace Tavus.Cvi.WebRtc.Sctp;

/// <summary>Settings of an <see cref="SctpAssociation"/>. Defaults follow RFC 8831 and the native WebRTC stacks.</summary>
public sealed class SctpAssociationOptions
{
    /// <summary>Local SCTP port (<c>a=sctp-port</c>); 5000 in WebRTC.</summary>
    public ushort LocalPort { get; init; } = 5000;

    /// <summary>Remote SCTP port (<c>a=sctp-port</c> of the peer); 5000 in WebRTC.</summary>
    public ushort RemotePort { get; init; } = 5000;

    /// <summary>
    /// Largest SCTP packet handed to DTLS, in bytes. 1163 is what BouncyCastle's DTLS allows inside a 1200-byte
    /// datagram (see <c>webrtc-datachannel.md</c>).
    /// </summary>
    public int Mtu { get; init; } = 1163;

    /// <summary>Largest message accepted for sending and reassembled on receipt (<c>a=max-message-size</c>).</summary>
    public int MaxMessageSize { get; init; } = 256 * 1024;

    /// <summary>Receive buffer advertised as a_rwnd (RFC 9260 §6.2). Chromium advertises 5 MiB.</summary>
    public int ReceiveWindow { get; init; } = 5 * 1024 * 1024;

    /// <summary>Outbound streams requested in INIT (OS) and inbound streams accepted (MIS).</summary>
    public ushort MaxStreams { get; init; } = 65535;

    /// <summary>Initial retransmission timeout (RTO.Initial, RFC 9260 §16 says 1 s).</summary>
    public TimeSpan RtoInitial { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Lower bound of the retransmission timeout. RFC 9260 says 1 s; WebRTC stacks use far less.</summary>
    public TimeSpan RtoMin { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Upper bound of the retransmission timeout (RTO.Max).</summary>
    public TimeSpan RtoMax { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Consecutive unanswered retransmissions after which the association aborts (Association.Max.Retrans).</summary>
    public int MaxRetransmissions { get; init; } = 10;

    /// <summary>INIT / COOKIE-ECHO retransmissions before giving up (Max.Init.Retransmits).</summary>
    public int MaxInitRetransmissions { get; init; } = 8;

    /// <summary>Delay before a SACK is sent when no second packet arrives (RFC 9260 §6.2: at most 500 ms, 200 ms usual).</summary>
    public TimeSpan DelayedAckTimeout { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Idle time between HEARTBEATs (HB.interval, RFC 9260 §8.3). <see cref="TimeSpan.Zero"/> disables them.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Validity of the state cookie (Valid.Cookie.Life, RFC 9260 §16).</summary>
    public TimeSpan CookieLifetime { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Source of the verification tag, initial TSN and cookie key. Inject a seeded <see cref="System.Random"/> for
    /// deterministic tests; the default uses <see cref="Random.Shared"/>.
    /// </summary>
    public Random? Random { get; init; }

    /// <summary>Logger factory; none by default.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}
