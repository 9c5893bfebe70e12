using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tavus.Cvi.Interactions.Daily;
using Tavus.Cvi.WebRtc.Peer;

namespace Tavus.Cvi.Interactions.WebRtc;

/// <summary>
/// Peer-to-peer Daily rooms over the managed WebRTC stack of <c>Tavus.Cvi.WebRtc</c>: each connection is an
/// <see cref="RtcPeerConnection"/> with the negotiated <c>app-messages</c> data channel (daily-protocol.md §7).
/// Use it as <c>new DailyTransportOptions { PeerToPeer = new WebRtcPeerConnectionFactory() }</c>.
/// </summary>
/// <remarks>Thread-safe: it holds only settings, and every <see cref="Create"/> makes an independent connection.</remarks>
public sealed class WebRtcPeerConnectionFactory : IDailyPeerConnectionFactory
{
    private readonly RtcConfiguration _configuration;
    private readonly ILogger _logger;

    /// <summary>Creates the factory.</summary>
    /// <param name="configuration">
    /// The settings of every peer connection (bind address, STUN servers, certificate, logging). When null, defaults
    /// with <paramref name="loggerFactory"/>. Its <c>TimeProvider</c> drives ICE, DTLS and SCTP timers, so it should be
    /// a real clock.
    /// </param>
    /// <param name="loggerFactory">
    /// Where this adapter logs (connection states; SDP at Trace with the ICE password redacted). When null, the
    /// configuration's logger factory, else none.
    /// </param>
    public WebRtcPeerConnectionFactory(RtcConfiguration? configuration = null, ILoggerFactory? loggerFactory = null)
    {
        _configuration = configuration ?? new RtcConfiguration { LoggerFactory = loggerFactory };
        _logger = (loggerFactory ?? _configuration.LoggerFactory ?? NullLoggerFactory.Instance)
            .CreateLogger("Tavus.Cvi.Interactions.WebRtc");
    }

    /// <inheritdoc />
    public IDailyPeerConnection Create(string remoteParticipantId)
    {
        ArgumentNullException.ThrowIfNull(remoteParticipantId);
        return new WebRtcPeerConnection(new RtcPeerConnection(_configuration), remoteParticipantId, _logger);
    }
}
