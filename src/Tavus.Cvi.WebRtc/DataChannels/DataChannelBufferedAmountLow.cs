namespace Tavus.Cvi.WebRtc.DataChannels;

/// <summary>The bytes waiting to be sent on a channel fell to its low threshold (0 unless set).</summary>
/// <param name="ChannelId">Stream id of the channel.</param>
public sealed record DataChannelBufferedAmountLow(ushort ChannelId) : DataChannelEvent;
