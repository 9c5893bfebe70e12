using Tavus.Cvi.WebRtc.DataChannels;

namespace Tavus.Cvi.WebRtc.Peer;

/// <summary>The data-channel half of the core: maps API channels onto the DCEP endpoint (RFC 8831, RFC 8832).</summary>
internal sealed partial class PeerConnectionCore
{
    private readonly List<RtcDataChannel> _pendingChannels = [];
    private readonly Dictionary<ushort, RtcDataChannel> _channels = [];
    private readonly TaskCompletionSource _shutdown = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DataChannelEndpoint? _endpoint;

    /// <summary>Completes when the association has shut down (or never existed once closing started).</summary>
    public Task ShutdownComplete => _shutdown.Task;

    /// <summary>Registers a channel created through the API; it opens once the association is up.</summary>
    public void RegisterChannel(RtcDataChannel channel, TimeSpan now)
    {
        if (_endpoint is null)
        {
            _pendingChannels.Add(channel);
            return;
        }

        OpenChannel(channel, now);
        Poll(now);
    }

    public void SendOnChannel(RtcDataChannel channel, string? text, byte[] data, TimeSpan now)
    {
        if (_endpoint is null || channel.Id is not { } id || !_channels.ContainsKey(id))
        {
            throw new InvalidOperationException($"The data channel '{channel.Label}' is not open.");
        }

        // data is the channel's private copy (the UTF-8 of text for a text message): SCTP keeps it without a copy.
        _endpoint.SendOwned(id, isText: text is not null, data, now);

        channel.UpdateBufferedAmount(_endpoint.BufferedAmount(id));
        Poll(now);
    }

    public void CloseChannel(RtcDataChannel channel, TimeSpan now)
    {
        if (_pendingChannels.Remove(channel) || _endpoint is null || channel.Id is not { } id || !_channels.ContainsKey(id))
        {
            _events.Enqueue(new PeerEvent.ChannelClosed(channel));
            return;
        }

        channel.SetState(RtcDataChannelState.Closing);
        _endpoint.CloseChannel(id, now);
        Poll(now);
    }

    /// <summary>Starts the graceful SCTP shutdown (RFC 4960 §9.2); <see cref="ShutdownComplete"/> tells when it is done.</summary>
    public void BeginClose(TimeSpan now)
    {
        if (_endpoint is null)
        {
            _shutdown.TrySetResult();
            return;
        }

        _endpoint.Close(now);
        Poll(now);
    }

    private void CreateEndpoint(TimeSpan now)
    {
        _endpoint = new DataChannelEndpoint(_sctp!, _dtlsRole == Dtls.DtlsRole.Client, _options.LoggerFactory);
        // Both sides send INIT (RFC 8841 §9.3 lets either initiate); the association resolves the collision.
        _endpoint.Connect(now);
        foreach (var channel in _pendingChannels)
        {
            OpenChannel(channel, now);
        }

        _pendingChannels.Clear();
    }

    private void OpenChannel(RtcDataChannel channel, TimeSpan now)
    {
        var o = channel.Options;
        try
        {
            var info = _endpoint!.CreateChannel(channel.Label, new DataChannelOptions
            {
                Ordered = o.Ordered,
                MaxRetransmits = o.MaxRetransmits,
                MaxPacketLifetime = o.MaxPacketLifeTime,
                Protocol = o.Protocol,
                Negotiated = o.Negotiated,
                Id = o.Id,
            }, now);
            channel.Id = info.Id;
            _channels[info.Id] = channel;
            _endpoint.SetBufferedAmountLowThreshold(info.Id, channel.HighWaterMark);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
        {
            Diagnostics.Log.ChannelOpenFailed(_logger, channel.Label, ex.Message);
            _events.Enqueue(new PeerEvent.ChannelClosed(channel));
        }
    }

    private bool PollChannels(TimeSpan now)
    {
        if (_endpoint is null)
        {
            return false;
        }

        bool progress = false;
        while (_endpoint.TryPollTransmit(out var packet))
        {
            progress = true;
            _dtls?.Send(packet);
        }

        while (_endpoint.TryPollEvent(out var evt))
        {
            progress = true;
            OnChannelEvent(evt);
        }

        return progress;
    }

    private void OnChannelEvent(DataChannelEvent evt)
    {
        switch (evt)
        {
            case DataChannelAssociationEstablished:
                SetState(RtcPeerConnectionState.Connected);
                break;
            case DataChannelAssociationClosed closed:
                foreach (var channel in _channels.Values)
                {
                    _events.Enqueue(new PeerEvent.ChannelClosed(channel));
                }

                _channels.Clear();
                _shutdown.TrySetResult();
                SetState(closed.Aborted && !_closing ? RtcPeerConnectionState.Failed : RtcPeerConnectionState.Closed);
                break;
            case DataChannelOpened opened:
                if (opened.Remote || !_channels.TryGetValue(opened.Channel.Id, out var local))
                {
                    var info = opened.Channel;
                    var remote = _options.ChannelFactory(info.Label, new RtcDataChannelOptions
                    {
                        Ordered = info.Ordered,
                        MaxRetransmits = info.MaxRetransmits,
                        MaxPacketLifeTime = info.MaxPacketLifetime,
                        Protocol = info.Protocol,
                        Negotiated = info.Negotiated,
                        Id = info.Id,
                    });
                    remote.Id = info.Id;
                    _channels[info.Id] = remote;
                    _endpoint!.SetBufferedAmountLowThreshold(info.Id, remote.HighWaterMark);
                    _events.Enqueue(new PeerEvent.ChannelReceived(remote));
                    _events.Enqueue(new PeerEvent.ChannelOpened(remote));
                }
                else
                {
                    _events.Enqueue(new PeerEvent.ChannelOpened(local));
                }

                break;
            case DataChannelClosed closedChannel:
                if (_channels.Remove(closedChannel.Channel.Id, out var gone))
                {
                    _events.Enqueue(new PeerEvent.ChannelClosed(gone));
                }

                break;
            case DataChannelMessageReceived message:
                if (_channels.TryGetValue(message.ChannelId, out var target))
                {
                    _events.Enqueue(new PeerEvent.ChannelMessage(target, new RtcDataChannelMessage(message.IsText, message.Data)));
                }

                break;
            case DataChannelBufferedAmountLow low:
                if (_channels.TryGetValue(low.ChannelId, out var drained))
                {
                    drained.UpdateBufferedAmount(_endpoint!.BufferedAmount(low.ChannelId));
                }

                break;
            default:
                break;
        }
    }

    /// <summary>Refreshes the API's view of queued bytes after acknowledgements moved them.</summary>
    private void RefreshBufferedAmounts()
    {
        if (_endpoint is null)
        {
            return;
        }

        foreach (var (id, channel) in _channels)
        {
            if (channel.BufferedAmount > 0)
            {
                channel.UpdateBufferedAmount(_endpoint.BufferedAmount(id));
            }
        }
    }
}
