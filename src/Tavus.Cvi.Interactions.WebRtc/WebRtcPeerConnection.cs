using System.Text;
using Microsoft.Extensions.Logging;
using Tavus.Cvi.Interactions.Daily;
using Tavus.Cvi.Interactions.WebRtc.Diagnostics;
using Tavus.Cvi.WebRtc.Peer;

namespace Tavus.Cvi.Interactions.WebRtc;

/// <summary>
/// An <see cref="IDailyPeerConnection"/> over one <see cref="RtcPeerConnection"/> and its negotiated
/// <c>app-messages</c> channel (daily-protocol.md §7).
/// </summary>
internal sealed class WebRtcPeerConnection : IDailyPeerConnection
{
    /// <summary>The label of the app-message channel (§7).</summary>
    public const string ChannelLabel = "app-messages";

    private readonly RtcPeerConnection _connection;
    private readonly RtcDataChannel _channel;
    private readonly string _remoteId;
    private readonly ILogger _logger;

    public WebRtcPeerConnection(RtcPeerConnection connection, string remoteId, ILogger logger)
    {
        _connection = connection;
        _remoteId = remoteId;
        _logger = logger;

        // §7: the negotiated channel app-messages, id 0, default reliable/ordered, created before the offer on every
        // connection (both sides create it; nothing is announced in band, so no DCEP open).
        _channel = connection.CreateDataChannel(ChannelLabel, new RtcDataChannelOptions { Negotiated = true, Id = 0 });
        _channel.Opened += (_, _) => ChannelOpened?.Invoke(this, EventArgs.Empty);
        _channel.Closed += (_, _) => ChannelClosed?.Invoke(this, EventArgs.Empty);
        _channel.MessageReceived += OnMessage;
        connection.ConnectionStateChanged += OnStateChanged;
    }

    /// <inheritdoc />
    public event EventHandler? ChannelOpened;

    /// <inheritdoc />
    public event EventHandler<DailyPeerMessageEventArgs>? MessageReceived;

    /// <inheritdoc />
    public event EventHandler? ChannelClosed;

    /// <inheritdoc />
    public event EventHandler<DailyPeerConnectionFailedEventArgs>? ConnectionFailed;

    /// <summary>The underlying connection's state (tests and diagnostics).</summary>
    public RtcPeerConnectionState State => _connection.ConnectionState;

    /// <inheritdoc />
    public async Task<string> CreateOfferAsync(CancellationToken cancellationToken = default)
    {
        var offer = await _connection.CreateOfferAsync(cancellationToken).ConfigureAwait(false);
        LogSdp("sent", "offer", offer.Sdp);
        return offer.Sdp;
    }

    /// <inheritdoc />
    public async Task<string> CreateAnswerAsync(CancellationToken cancellationToken = default)
    {
        var answer = await _connection.CreateAnswerAsync(cancellationToken).ConfigureAwait(false);
        LogSdp("sent", "answer", answer.Sdp);
        return answer.Sdp;
    }

    /// <inheritdoc />
    public Task SetRemoteDescriptionAsync(DailySdpType type, string sdp, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(sdp);
        var rtcType = type switch
        {
            DailySdpType.Offer => RtcSdpType.Offer,
            DailySdpType.Answer => RtcSdpType.Answer,
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, "An SDP type is an offer or an answer."),
        };
        LogSdp("received", type == DailySdpType.Offer ? "offer" : "answer", sdp);
        return _connection.SetRemoteDescriptionAsync(new RtcSessionDescription(rtcType, sdp), cancellationToken);
    }

    /// <inheritdoc />
    /// <remarks>
    /// The connection has one media section (the data channel's, docs/webrtc.md), so every candidate belongs to it and
    /// <paramref name="sdpMid"/> and <paramref name="sdpMLineIndex"/> need no routing.
    /// </remarks>
    public Task AddRemoteCandidateAsync(string candidate, string? sdpMid, int? sdpMLineIndex, CancellationToken cancellationToken = default) =>
        _connection.AddIceCandidateAsync(candidate, cancellationToken);

    /// <inheritdoc />
    public Task SendAsync(string text, CancellationToken cancellationToken = default) =>
        // A text message (PPID 51), as the browser's RTCDataChannel.send(string) of daily-js.
        _channel.SendAsync(text, cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    /// <summary>The SDP with every <c>a=ice-pwd</c> value replaced (house style: no ICE passwords in any log line).</summary>
    internal static string RedactSdp(string sdp)
    {
        var builder = new StringBuilder(sdp.Length);
        foreach (var line in sdp.Split('\n'))
        {
            if (builder.Length > 0)
            {
                builder.Append('\n');
            }

            builder.Append(line.StartsWith("a=ice-pwd:", StringComparison.Ordinal) ? "a=ice-pwd:[redacted]" + (line.EndsWith('\r') ? "\r" : string.Empty) : line);
        }

        return builder.ToString();
    }

    private void OnMessage(object? sender, RtcDataChannelMessageEventArgs e) =>
        MessageReceived?.Invoke(this, new DailyPeerMessageEventArgs(e.Message.Data));

    private void OnStateChanged(object? sender, RtcConnectionStateChangedEventArgs e)
    {
        var state = e.State.ToString().ToLowerInvariant();
        Log.DailyPeerConnectionState(_logger, _remoteId, state);
        if (e.State is RtcPeerConnectionState.Failed or RtcPeerConnectionState.Disconnected or RtcPeerConnectionState.Closed)
        {
            // Disconnected: consent freshness expired (RFC 7675, 30 s without a response); the stack stops sending and
            // does not restart ICE in place, so the link is replaced.
            ConnectionFailed?.Invoke(this, new DailyPeerConnectionFailedEventArgs(state));
        }
    }

    /// <summary>SDP only at Trace, and never the ICE password.</summary>
    private void LogSdp(string direction, string type, string sdp)
    {
        if (_logger.IsEnabled(LogLevel.Trace))
        {
#pragma warning disable CA1873 // Guarded by IsEnabled above.
            Log.DailyPeerSdp(_logger, direction, type, _remoteId, RedactSdp(sdp));
#pragma warning restore CA1873
        }
    }
}
