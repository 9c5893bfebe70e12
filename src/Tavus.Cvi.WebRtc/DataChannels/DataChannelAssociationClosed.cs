namespace Tavus.Cvi.WebRtc.DataChannels;

/// <summary>The SCTP association ended; every channel is closed.</summary>
/// <param name="Aborted">True for an abort rather than a graceful shutdown.</param>
/// <param name="Reason">Why, in words.</param>
public sealed record DataChannelAssociationClosed(bool Aborted, string Reason) : DataChannelEvent;
