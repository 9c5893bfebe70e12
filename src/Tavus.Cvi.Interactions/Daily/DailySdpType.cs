namespace Tavus.Cvi.Interactions.Daily;

/// <summary>The type of a session description exchanged over Daily signaling (daily-protocol.md §7).</summary>
public enum DailySdpType
{
    /// <summary>An offer (<c>sdp offer</c>).</summary>
    Offer,

    /// <summary>An answer (<c>sdp answer</c>).</summary>
    Answer,
}
