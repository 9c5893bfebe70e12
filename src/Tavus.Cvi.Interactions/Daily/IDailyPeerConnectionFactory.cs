namespace Tavus.Cvi.Interactions.Daily;

/// <summary>
/// Creates the WebRTC peer connections of peer-to-peer Daily rooms (daily-protocol.md §7). Set one as
/// <see cref="DailyTransportOptions.PeerToPeer"/> to let the transport join such rooms; the
/// <c>Tavus.Cvi.Interactions.WebRtc</c> package provides one over a managed WebRTC stack.
/// </summary>
/// <remarks>
/// The core package holds only this abstraction so that it depends on nothing heavier than System.Text.Json and
/// Microsoft.Extensions.Logging.Abstractions; the WebRTC stack (and its cryptography) comes with the implementation.
/// </remarks>
public interface IDailyPeerConnectionFactory
{
    /// <summary>
    /// Creates a new, unconnected peer connection to one remote participant, with the negotiated
    /// <c>app-messages</c> data channel already created (§7: id 0, reliable, ordered, created by both sides before the
    /// offer and never announced in band). The transport then drives it through offer/answer and ICE candidates and
    /// disposes of it when the link ends.
    /// </summary>
    /// <param name="remoteParticipantId">The remote participant's Daily session id (for logging).</param>
    /// <returns>The new connection, owned by the caller.</returns>
    IDailyPeerConnection Create(string remoteParticipantId);
}
