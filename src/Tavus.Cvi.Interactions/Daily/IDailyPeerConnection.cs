namespace Tavus.Cvi.Interactions.Daily;

/// <summary>
/// One WebRTC peer connection of a peer-to-peer Daily room carrying Daily's negotiated <c>app-messages</c> data
/// channel (daily-protocol.md §7), as the Daily transport drives it: offer/answer, remote ICE candidates, text
/// messages on the channel. Created by an <see cref="IDailyPeerConnectionFactory"/>;
/// <see cref="IAsyncDisposable.DisposeAsync"/> closes the connection.
/// </summary>
/// <remarks>
/// The transport calls the signaling members one at a time, in order. Events may be raised on any thread; handlers
/// return quickly and do not call back into the connection synchronously.
/// </remarks>
public interface IDailyPeerConnection : IAsyncDisposable
{
    /// <summary>Raised once when the <c>app-messages</c> channel opens; messages may be sent from then on.</summary>
    event EventHandler? ChannelOpened;

    /// <summary>Raised for each message received on the <c>app-messages</c> channel.</summary>
    event EventHandler<DailyPeerMessageEventArgs>? MessageReceived;

    /// <summary>Raised when the <c>app-messages</c> channel closes.</summary>
    event EventHandler? ChannelClosed;

    /// <summary>
    /// Raised when the connection fails or is lost (for example ICE consent expired, RFC 7675); the connection does not
    /// recover by itself and the transport replaces it.
    /// </summary>
    event EventHandler<DailyPeerConnectionFailedEventArgs>? ConnectionFailed;

    /// <summary>Creates an offer and applies it as the local description.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The offer's SDP, complete with this side's candidates.</returns>
    Task<string> CreateOfferAsync(CancellationToken cancellationToken = default);

    /// <summary>Creates an answer to the remote offer already applied and applies it as the local description.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The answer's SDP, complete with this side's candidates.</returns>
    Task<string> CreateAnswerAsync(CancellationToken cancellationToken = default);

    /// <summary>Applies the remote peer's offer or answer.</summary>
    /// <param name="type">Whether <paramref name="sdp"/> is an offer or an answer.</param>
    /// <param name="sdp">The session description text.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the description is applied.</returns>
    Task SetRemoteDescriptionAsync(DailySdpType type, string sdp, CancellationToken cancellationToken = default);

    /// <summary>Adds one ICE candidate trickled by the remote peer, after its description was applied.</summary>
    /// <param name="candidate">The <c>candidate:…</c> attribute value, without <c>a=</c>.</param>
    /// <param name="sdpMid">The media section's <c>mid</c>, when the peer sent it.</param>
    /// <param name="sdpMLineIndex">The media section's index, when the peer sent it.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the candidate is added.</returns>
    Task AddRemoteCandidateAsync(string candidate, string? sdpMid, int? sdpMLineIndex, CancellationToken cancellationToken = default);

    /// <summary>Sends one text message on the open <c>app-messages</c> channel (as <c>RTCDataChannel.send(string)</c>).</summary>
    /// <param name="text">The message text (§7: the <c>JSON.stringify</c> of the app message, no envelope).</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <returns>A task that completes when the message was handed to the channel.</returns>
    /// <exception cref="InvalidOperationException">The channel is not open.</exception>
    Task SendAsync(string text, CancellationToken cancellationToken = default);
}
