namespace Tavus.Cvi.WebRtc.DataChannels;

/// <summary>Something a <see cref="DataChannelEndpoint"/> reports, drained with <see cref="DataChannelEndpoint.TryPollEvent"/>.</summary>
public abstract record DataChannelEvent;
