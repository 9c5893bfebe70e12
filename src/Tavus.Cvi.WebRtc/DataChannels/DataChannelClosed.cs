namespace Tavus.Cvi.WebRtc.DataChannels;

/// <summary>A channel closed: both stream directions were reset (RFC 8831 §6.7) or the association ended.</summary>
/// <param name="Channel">The channel.</param>
public sealed record DataChannelClosed(DataChannelInfo Channel) : DataChannelEvent;
