namespace Tavus.Cvi.WebRtc.DataChannels;

/// <summary>The SCTP association under the channels is up.</summary>
/// <param name="MaxChannels">Channels the association can carry (its negotiated outbound streams).</param>
public sealed record DataChannelAssociationEstablished(int MaxChannels) : DataChannelEvent;
