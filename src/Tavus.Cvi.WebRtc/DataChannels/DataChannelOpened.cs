namespace Tavus.Cvi.WebRtc.DataChannels;

/// <summary>A channel can carry messages: one we created, or one the peer opened with DCEP.</summary>
/// <param name="Channel">The channel.</param>
/// <param name="Remote">True when the peer opened it (DATA_CHANNEL_OPEN received).</param>
public sealed record DataChannelOpened(DataChannelInfo Channel, bool Remote) : DataChannelEvent;
