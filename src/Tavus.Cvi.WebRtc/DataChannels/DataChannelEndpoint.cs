using System.Diagnostics.CodeAnalysis;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tavus.Cvi.WebRtc.Diagnostics;
using Tavus.Cvi.WebRtc.Sctp;

namespace Tavus.Cvi.WebRtc.DataChannels;

/// <summary>
/// Sans-IO data channels (RFC 8831) over an <see cref="SctpAssociation"/>: DCEP open/ack (RFC 8832) with stream-id
/// parity by DTLS role, negotiated channels, the string/binary/empty PPIDs, partial reliability per channel, and
/// closing by stream reset (RFC 8831 §6.7) which frees the id for reuse. Drive it like the association: feed packets
/// and timeouts, drain <see cref="TryPollTransmit"/> and <see cref="TryPollEvent"/>, honour <see cref="NextDeadline"/>.
/// </summary>
/// <remarks>Not thread-safe: one caller drives it.</remarks>
public sealed class DataChannelEndpoint
{
    private const uint PpidString = 51;
    private const uint PpidStringPartial = 52;
    private const uint PpidBinary = 53;
    private const uint PpidBinaryPartial = 54;
    private const uint PpidStringEmpty = 56;
    private const uint PpidBinaryEmpty = 57;

    private readonly Dictionary<ushort, DataChannelInfo> _channels = [];
    private readonly Queue<DataChannelEvent> _events = new();
    private readonly ILogger _logger;
    private readonly bool _isDtlsClient;
    private bool _established;
    private TimeSpan _now;

    /// <summary>Creates the endpoint.</summary>
    /// <param name="association">The association to run over; this endpoint drains its events from now on.</param>
    /// <param name="isDtlsClient">True when this side is the DTLS client: it then uses even stream ids, else odd (RFC 8832 §6).</param>
    /// <param name="loggerFactory">Logger factory; none by default.</param>
    public DataChannelEndpoint(SctpAssociation association, bool isDtlsClient, ILoggerFactory? loggerFactory = null)
    {
        ArgumentNullException.ThrowIfNull(association);
        Association = association;
        _isDtlsClient = isDtlsClient;
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<DataChannelEndpoint>();
    }

    /// <summary>The association underneath.</summary>
    public SctpAssociation Association { get; }

    /// <summary>Channels not yet closed.</summary>
    public IReadOnlyCollection<DataChannelInfo> Channels => _channels.Values;

    /// <summary>The earliest time <see cref="HandleTimeout"/> must be called.</summary>
    public TimeSpan? NextDeadline => Association.NextDeadline;

    /// <summary>Starts the association (SCTP INIT); both sides may call it.</summary>
    /// <param name="now">Current monotonic time.</param>
    public void Connect(TimeSpan now)
    {
        Association.Connect(now);
        Pump(now);
    }

    /// <summary>Processes an SCTP packet from DTLS.</summary>
    /// <param name="packet">The packet.</param>
    /// <param name="now">Current monotonic time.</param>
    public void HandlePacket(ReadOnlySpan<byte> packet, TimeSpan now)
    {
        Association.HandlePacket(packet, now);
        Pump(now);
    }

    /// <summary>Runs due timers.</summary>
    /// <param name="now">Current monotonic time.</param>
    public void HandleTimeout(TimeSpan now)
    {
        Association.HandleTimeout(now);
        Pump(now);
    }

    /// <summary>Takes the next SCTP packet to hand to DTLS.</summary>
    /// <param name="packet">The packet, when one is ready.</param>
    /// <returns>False when there is nothing to send.</returns>
    public bool TryPollTransmit([NotNullWhen(true)] out byte[]? packet)
    {
        bool any = Association.TryPollTransmit(out packet);
        Pump(null);
        return any;
    }

    /// <summary>Takes the next channel event.</summary>
    /// <param name="evt">The event, when there is one.</param>
    /// <returns>False when there is none.</returns>
    public bool TryPollEvent([NotNullWhen(true)] out DataChannelEvent? evt) => _events.TryDequeue(out evt);

    /// <summary>Gets a channel that is not closed.</summary>
    /// <param name="id">Stream id.</param>
    /// <param name="channel">The channel, if found.</param>
    /// <returns>True when found.</returns>
    public bool TryGetChannel(ushort id, [NotNullWhen(true)] out DataChannelInfo? channel) => _channels.TryGetValue(id, out channel);

    /// <summary>
    /// Creates a channel. It opens (and <see cref="DataChannelOpened"/> is raised) once the association is up: at once
    /// for a negotiated channel, after sending DATA_CHANNEL_OPEN otherwise.
    /// </summary>
    /// <param name="label">Channel label.</param>
    /// <param name="options">Reliability and negotiation; <see cref="DataChannelOptions.Default"/> when null.</param>
    /// <param name="now">Current monotonic time.</param>
    /// <returns>The channel.</returns>
    /// <exception cref="ArgumentException">Bad options, or the requested id is in use.</exception>
    /// <exception cref="InvalidOperationException">No stream id is free.</exception>
    public DataChannelInfo CreateChannel(string label, DataChannelOptions? options, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(label);
        options ??= DataChannelOptions.Default;
        if (options.MaxRetransmits is not null && options.MaxPacketLifetime is not null)
        {
            throw new ArgumentException("MaxRetransmits and MaxPacketLifetime are mutually exclusive.", nameof(options));
        }

        if (options.Negotiated && options.Id is null)
        {
            throw new ArgumentException("A negotiated channel needs an Id.", nameof(options));
        }

        if (Encoding.UTF8.GetByteCount(label) > ushort.MaxValue || Encoding.UTF8.GetByteCount(options.Protocol) > ushort.MaxValue)
        {
            throw new ArgumentException("Label and protocol are limited to 65535 bytes.", nameof(options));
        }

        ushort id;
        if (options.Id is { } requested)
        {
            if (_channels.ContainsKey(requested) || requested == ushort.MaxValue)
            {
                throw new ArgumentException($"Stream id {requested} is in use or invalid.", nameof(options));
            }

            id = requested;
        }
        else
        {
            id = AllocateId();
        }

        var channel = new DataChannelInfo(id, label, options) { State = DataChannelState.Connecting, OpenPending = true };
        _channels[id] = channel;
        if (_established)
        {
            OpenChannel(channel, now);
        }

        Pump(now);
        return channel;
    }

    /// <summary>Sends a string message (PPID 51, or 56 when empty).</summary>
    /// <param name="channelId">Channel.</param>
    /// <param name="text">The text.</param>
    /// <param name="now">Current monotonic time.</param>
    public void Send(ushort channelId, string text, TimeSpan now)
    {
        ArgumentNullException.ThrowIfNull(text);
        byte[] bytes = Encoding.UTF8.GetBytes(text);
        SendCore(channelId, bytes.Length == 0 ? PpidStringEmpty : PpidString, bytes, owned: bytes, now);
    }

    /// <summary>Sends a binary message (PPID 53, or 57 when empty).</summary>
    /// <param name="channelId">Channel.</param>
    /// <param name="data">The bytes.</param>
    /// <param name="now">Current monotonic time.</param>
    public void Send(ushort channelId, ReadOnlySpan<byte> data, TimeSpan now) =>
        SendCore(channelId, data.IsEmpty ? PpidBinaryEmpty : PpidBinary, data, owned: null, now);

    /// <summary>
    /// Sends a message whose bytes (UTF-8 when <paramref name="isText"/>) the caller copied for this send: SCTP keeps
    /// the array instead of copying it again, so the caller must not touch it afterwards.
    /// </summary>
    internal void SendOwned(ushort channelId, bool isText, byte[] data, TimeSpan now)
    {
        uint ppid = isText ? (data.Length == 0 ? PpidStringEmpty : PpidString) : (data.Length == 0 ? PpidBinaryEmpty : PpidBinary);
        SendCore(channelId, ppid, data, owned: data, now);
    }

    /// <summary>Bytes queued on a channel and not yet sent.</summary>
    /// <param name="channelId">Channel.</param>
    /// <returns>The byte count.</returns>
    public long BufferedAmount(ushort channelId) => Association.BufferedAmount(channelId);

    /// <summary>Sets the level at or below which <see cref="DataChannelBufferedAmountLow"/> is raised.</summary>
    /// <param name="channelId">Channel.</param>
    /// <param name="threshold">Bytes.</param>
    public void SetBufferedAmountLowThreshold(ushort channelId, long threshold) =>
        Association.SetBufferedAmountLowThreshold(channelId, threshold);

    /// <summary>Closes a channel by resetting its outgoing stream after queued messages are sent (RFC 8831 §6.7).</summary>
    /// <param name="channelId">Channel.</param>
    /// <param name="now">Current monotonic time.</param>
    public void CloseChannel(ushort channelId, TimeSpan now)
    {
        if (!_channels.TryGetValue(channelId, out DataChannelInfo? channel) || channel.State is DataChannelState.Closing or DataChannelState.Closed)
        {
            return;
        }

        if (!_established)
        {
            FinishClose(channel);
            return;
        }

        channel.State = DataChannelState.Closing;
        RequestReset(channel, now);
        Pump(now);
    }

    /// <summary>Shuts the association down gracefully (all channels close).</summary>
    /// <param name="now">Current monotonic time.</param>
    public void Close(TimeSpan now)
    {
        Association.Close(now);
        Pump(now);
    }

    private void SendCore(ushort channelId, uint ppid, ReadOnlySpan<byte> data, byte[]? owned, TimeSpan now)
    {
        if (!_channels.TryGetValue(channelId, out DataChannelInfo? channel) || channel.State != DataChannelState.Open)
        {
            throw new InvalidOperationException($"Data channel {channelId} is not open.");
        }

        // RFC 8831 §6.6: an empty message is sent as one zero byte under the "empty" PPIDs.
        ReadOnlySpan<byte> payload = data.IsEmpty ? [0] : data;

        // RFC 8832 §6: until DATA_CHANNEL_ACK arrives, the opener sends ordered so data cannot overtake the OPEN.
        var sendOptions = new SctpSendOptions
        {
            Unordered = !channel.Ordered && channel.Acknowledged,
            MaxRetransmits = channel.MaxRetransmits,
            MaxLifetime = channel.MaxPacketLifetime,
        };
        if (owned is { Length: > 0 })
        {
            Association.SendOwned(channelId, ppid, owned, sendOptions, now);
        }
        else
        {
            Association.Send(channelId, ppid, payload, sendOptions, now);
        }
    }

    private ushort AllocateId()
    {
        int limit = Association.OutboundStreams > 0 ? Association.OutboundStreams : 65535;
        for (int id = _isDtlsClient ? 0 : 1; id < limit; id += 2)
        {
            if (!_channels.ContainsKey((ushort)id))
            {
                return (ushort)id;
            }
        }

        throw new InvalidOperationException("No data channel stream id is free.");
    }

    private void OpenChannel(DataChannelInfo channel, TimeSpan now)
    {
        channel.OpenPending = false;
        if (channel.Id >= Association.OutboundStreams)
        {
            Log.DataChannelMessageDropped(_logger, channel.Id, "stream id beyond the negotiated streams");
            FinishClose(channel);
            return;
        }

        if (channel.Negotiated)
        {
            channel.Acknowledged = true;
        }
        else
        {
            var options = new DataChannelOptions
            {
                Ordered = channel.Ordered,
                MaxRetransmits = channel.MaxRetransmits,
                MaxPacketLifetime = channel.MaxPacketLifetime,
                Protocol = channel.Protocol,
                Priority = channel.Priority,
            };
            Association.Send(channel.Id, DcepMessage.Ppid, DcepMessage.BuildOpen(channel.Label, options), SctpSendOptions.Default, now);
        }

        channel.State = DataChannelState.Open;
        Log.DataChannelOpened(_logger, channel.Id, channel.Label, channel.Negotiated ? "negotiated" : "DCEP, local");
        _events.Enqueue(new DataChannelOpened(channel, Remote: false));
    }

    private void Pump(TimeSpan? now)
    {
        if (now is { } n && n > _now)
        {
            _now = n;
        }

        while (Association.TryPollEvent(out SctpEvent? evt))
        {
            TimeSpan at = _now;
            switch (evt)
            {
                case SctpAssociationEstablished established:
                    _established = true;
                    _events.Enqueue(new DataChannelAssociationEstablished(established.OutboundStreams));
                    foreach (DataChannelInfo channel in _channels.Values.Where(c => c.OpenPending).OrderBy(c => c.Id).ToList())
                    {
                        OpenChannel(channel, at);
                    }

                    break;
                case SctpMessageReceived message:
                    OnMessage(message, at);
                    break;
                case SctpStreamsReset reset:
                    OnStreamsReset(reset, at);
                    break;
                case SctpBufferedAmountLow low:
                    if (_channels.ContainsKey(low.StreamId))
                    {
                        _events.Enqueue(new DataChannelBufferedAmountLow(low.StreamId));
                    }

                    break;
                case SctpAssociationClosed closed:
                    _established = false;
                    foreach (DataChannelInfo channel in _channels.Values.ToList())
                    {
                        FinishClose(channel);
                    }

                    _events.Enqueue(new DataChannelAssociationClosed(closed.Aborted, closed.Reason));
                    break;
                default:
                    break;
            }
        }
    }

    private void OnMessage(SctpMessageReceived message, TimeSpan now)
    {
        if (message.Ppid == DcepMessage.Ppid)
        {
            OnDcep(message, now);
            return;
        }

        if (!_channels.TryGetValue(message.StreamId, out DataChannelInfo? channel) || channel.State == DataChannelState.Closed)
        {
            Log.DataChannelMessageDropped(_logger, message.StreamId, "no open channel on this stream");
            return;
        }

        // Data from the peer implies it has our OPEN (RFC 8832 §6).
        channel.Acknowledged = true;
        switch (message.Ppid)
        {
            case PpidString or PpidStringPartial:
                _events.Enqueue(new DataChannelMessageReceived(message.StreamId, message.Data, IsText: true));
                break;
            case PpidBinary or PpidBinaryPartial:
                _events.Enqueue(new DataChannelMessageReceived(message.StreamId, message.Data, IsText: false));
                break;
            case PpidStringEmpty:
                _events.Enqueue(new DataChannelMessageReceived(message.StreamId, ReadOnlyMemory<byte>.Empty, IsText: true));
                break;
            case PpidBinaryEmpty:
                _events.Enqueue(new DataChannelMessageReceived(message.StreamId, ReadOnlyMemory<byte>.Empty, IsText: false));
                break;
            default:
                Log.DataChannelMessageDropped(_logger, message.StreamId, "unknown PPID");
                break;
        }
    }

    private void OnDcep(SctpMessageReceived message, TimeSpan now)
    {
        ReadOnlySpan<byte> data = message.Data.Span;
        if (data.Length == 1 && data[0] == DcepMessage.TypeAck)
        {
            if (_channels.TryGetValue(message.StreamId, out DataChannelInfo? acked))
            {
                acked.Acknowledged = true;
            }

            return;
        }

        if (!DcepMessage.TryParseOpen(data, out string label, out DataChannelOptions options))
        {
            Log.DataChannelMessageDropped(_logger, message.StreamId, "malformed DCEP message");
            return;
        }

        if (_channels.ContainsKey(message.StreamId))
        {
            // Both sides cannot own one id (RFC 8832 §6 parity); keep ours and ignore theirs.
            Log.DataChannelMessageDropped(_logger, message.StreamId, "DATA_CHANNEL_OPEN for a stream in use");
            return;
        }

        if (message.StreamId >= Association.OutboundStreams)
        {
            Log.DataChannelMessageDropped(_logger, message.StreamId, "DATA_CHANNEL_OPEN beyond the negotiated streams");
            return;
        }

        if (Association.State != SctpAssociationState.Established)
        {
            // Data still delivered while the association shuts down may carry an OPEN; no ACK can be sent any more
            // (RFC 9260 §9.2: no new data after SHUTDOWN), so the channel is never opened.
            Log.DataChannelMessageDropped(_logger, message.StreamId, "DATA_CHANNEL_OPEN while the association shuts down");
            return;
        }

        var channel = new DataChannelInfo(message.StreamId, label, options)
        {
            State = DataChannelState.Open,
            Acknowledged = true,
        };
        _channels[message.StreamId] = channel;
        Association.Send(message.StreamId, DcepMessage.Ppid, DcepMessage.BuildAck(), SctpSendOptions.Default, now);
        Log.DataChannelOpened(_logger, channel.Id, channel.Label, "DCEP, remote");
        _events.Enqueue(new DataChannelOpened(channel, Remote: true));
    }

    private void OnStreamsReset(SctpStreamsReset reset, TimeSpan now)
    {
        foreach (ushort id in reset.StreamIds)
        {
            if (!_channels.TryGetValue(id, out DataChannelInfo? channel))
            {
                continue;
            }

            if (reset.Direction == SctpStreamResetDirection.Incoming)
            {
                // The peer closed its side: close ours too (RFC 8831 §6.7).
                channel.IncomingReset = true;
                if (channel.State != DataChannelState.Closed)
                {
                    channel.State = DataChannelState.Closing;
                }

                RequestReset(channel, now);
            }
            else
            {
                // A refused reset cannot be retried usefully; the channel is gone for us either way.
                channel.OutgoingReset = true;
                if (!reset.Succeeded)
                {
                    channel.IncomingReset = true;
                }
            }

            if (channel.IncomingReset && channel.OutgoingReset)
            {
                FinishClose(channel);
            }
        }
    }

    private void RequestReset(DataChannelInfo channel, TimeSpan now)
    {
        if (channel.ResetRequested)
        {
            return;
        }

        channel.ResetRequested = true;
        Association.ResetStreams([channel.Id], now);
    }

    private void FinishClose(DataChannelInfo channel)
    {
        if (channel.State == DataChannelState.Closed)
        {
            return;
        }

        channel.State = DataChannelState.Closed;
        _channels.Remove(channel.Id);
        Log.DataChannelClosed(_logger, channel.Id);
        _events.Enqueue(new DataChannelClosed(channel));
    }
}
