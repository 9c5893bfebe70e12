using System.Buffers.Binary;
using Tavus.Cvi.WebRtc.Diagnostics;

namespace Tavus.Cvi.WebRtc.Sctp;

/// <summary>
/// Sending side: fragmentation, retransmission with RTO (RFC 9260 §6.3), SACK processing with gap blocks and fast
/// retransmit (§7.2.4), congestion control (§7.2), peer window (§6.1) and partial reliability (RFC 3758).
/// </summary>
public sealed partial class SctpAssociation
{
    private readonly List<OutboundChunk?> _sent = [];
    private readonly Dictionary<ushort, ushort> _outboundSsn = [];
    private readonly Dictionary<ushort, long> _buffered = [];
    private readonly Dictionary<ushort, long> _bufferedLowThreshold = [];

    private int _sentHead;
    private uint _nextTsn;
    private uint _cumAckPoint;
    private uint _advancedPeerAckPoint;
    private bool _forwardTsnPending;
    private long _flightSize;
    private int _needsRetransmitCount;
    private long _cwnd;
    private long _ssthresh;
    private long _partialBytesAcked;
    private long _peerRwnd;
    private bool _fastRecovery;
    private uint _fastRecoveryExit;
    private TimeSpan _rto;
    private double? _srttMs;
    private double _rttvarMs;
    private uint? _rttTsn;
    private TimeSpan? _t3Deadline;

    /// <summary>
    /// Queues a message. It may be called before the association is established; data flows once it is.
    /// </summary>
    /// <param name="streamId">Outgoing stream.</param>
    /// <param name="ppid">Payload protocol identifier (RFC 8831 §8).</param>
    /// <param name="data">The message, 1 byte to <see cref="MaxMessageSize"/>; copied.</param>
    /// <param name="options">Ordering and partial reliability.</param>
    /// <param name="now">Current monotonic time (the start of a lifetime limit).</param>
    /// <exception cref="ArgumentException">The message is empty or larger than <see cref="MaxMessageSize"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The stream is beyond the negotiated outbound streams.</exception>
    /// <exception cref="InvalidOperationException">The association is closed or shutting down.</exception>
    public void Send(ushort streamId, uint ppid, ReadOnlySpan<byte> data, SctpSendOptions options, TimeSpan now)
    {
        CheckSend(streamId, data.Length, now);
        QueueMessage(streamId, ppid, data.ToArray(), options, now);
    }

    /// <summary>
    /// <see cref="Send"/> for a caller that already holds a private copy of the message: the association keeps
    /// <paramref name="data"/> itself (no second copy), so the caller must not touch it afterwards.
    /// </summary>
    internal void SendOwned(ushort streamId, uint ppid, byte[] data, SctpSendOptions options, TimeSpan now)
    {
        CheckSend(streamId, data.Length, now);
        QueueMessage(streamId, ppid, data, options, now);
    }

    private void CheckSend(ushort streamId, int length, TimeSpan now)
    {
        _now = now;
        if (length == 0 || length > _options.MaxMessageSize)
        {
#pragma warning disable CA2208 // The message is the public Send's "data" argument.
            throw new ArgumentException($"A message must hold 1 to {_options.MaxMessageSize} bytes; this one holds {length}.", "data");
#pragma warning restore CA2208
        }

        if (_state is not (SctpAssociationState.Established or SctpAssociationState.CookieWait or SctpAssociationState.CookieEchoed)
            && !(_state == SctpAssociationState.Closed && !_used))
        {
            throw new InvalidOperationException($"Cannot send in SCTP state {_state}.");
        }

        if (_outboundStreams != 0 && streamId >= _outboundStreams)
        {
            throw new ArgumentOutOfRangeException(nameof(streamId), streamId, $"Only {_outboundStreams} outbound streams were negotiated.");
        }
    }

    private void QueueMessage(ushort streamId, uint ppid, byte[] data, SctpSendOptions options, TimeSpan now)
    {
        var message = new OutboundMessage(streamId, ppid, data, options, now);
        Enqueue(message);
        _buffered[streamId] = _buffered.GetValueOrDefault(streamId) + data.Length;
        _messagesSent++;
    }

    /// <summary>Bytes queued on a stream and not yet handed to the network.</summary>
    /// <param name="streamId">The stream.</param>
    /// <returns>The byte count.</returns>
    public long BufferedAmount(ushort streamId) => _buffered.GetValueOrDefault(streamId);

    /// <summary>Sets the level at or below which <see cref="SctpBufferedAmountLow"/> is raised for a stream (default 0).</summary>
    /// <param name="streamId">The stream.</param>
    /// <param name="threshold">Threshold in bytes.</param>
    public void SetBufferedAmountLowThreshold(ushort streamId, long threshold)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(threshold);
        _bufferedLowThreshold[streamId] = threshold;
    }

    private long InitialCwnd() => Math.Min(4L * _options.Mtu, Math.Max(2L * _options.Mtu, 4380));

    private void ReduceBuffered(ushort streamId, int bytes)
    {
        long before = _buffered.GetValueOrDefault(streamId);
        long after = Math.Max(0, before - bytes);
        if (after == 0)
        {
            _buffered.Remove(streamId);
        }
        else
        {
            _buffered[streamId] = after;
        }

        long threshold = _bufferedLowThreshold.GetValueOrDefault(streamId);
        if (before > threshold && after <= threshold)
        {
            _events.Enqueue(new SctpBufferedAmountLow(streamId));
        }
    }

    private bool TryGetSent(uint tsn, out OutboundChunk chunk)
    {
        uint offset = tsn - (_cumAckPoint + 1);
        int count = _sent.Count - _sentHead;
        if (offset < (uint)count && _sent[_sentHead + (int)offset] is { } c)
        {
            chunk = c;
            return true;
        }

        chunk = null!;
        return false;
    }

    private void SetChunkState(OutboundChunk chunk, OutboundChunkState state)
    {
        if (chunk.State == OutboundChunkState.InFlight)
        {
            _flightSize -= chunk.Length;
        }
        else if (chunk.State == OutboundChunkState.NeedsRetransmit)
        {
            _needsRetransmitCount--;
        }

        chunk.State = state;
        if (state == OutboundChunkState.InFlight)
        {
            _flightSize += chunk.Length;
        }
        else if (state == OutboundChunkState.NeedsRetransmit)
        {
            _needsRetransmitCount++;
        }
    }

    private void WriteDataChunk(OutboundChunk chunk, bool sackImmediately = false)
    {
        OutboundMessage m = chunk.Message;
        byte flags = (byte)((sackImmediately ? 0x08 : 0) | (m.Unordered ? 0x04 : 0) | (chunk.Beginning ? 0x02 : 0) | (chunk.Ending ? 0x01 : 0));
        Span<byte> c = _builder.AddChunk(_peerTag, SctpChunkType.Data, flags, DataChunkHeaderSize + chunk.Length);
        BinaryPrimitives.WriteUInt32BigEndian(c[4..], chunk.Tsn);
        BinaryPrimitives.WriteUInt16BigEndian(c[8..], m.StreamId);
        BinaryPrimitives.WriteUInt16BigEndian(c[10..], m.Unordered ? (ushort)0 : m.Ssn);
        BinaryPrimitives.WriteUInt32BigEndian(c[12..], m.Ppid);
        m.Data.AsSpan(chunk.Offset, chunk.Length).CopyTo(c[16..]);
    }

    private void SendRetransmissions(TimeSpan now)
    {
        if (_needsRetransmitCount == 0)
        {
            return;
        }

        // Fast retransmissions first: one packet's worth regardless of cwnd (RFC 9260 §7.2.4 step 3).
        int fastBudget = _builder.MaxChunkSize;
        for (int i = _sentHead; i < _sent.Count && _needsRetransmitCount > 0; i++)
        {
            if (_sent[i] is not { State: OutboundChunkState.NeedsRetransmit, FastRetransmit: true } c)
            {
                continue;
            }

            int size = Pad(DataChunkHeaderSize + c.Length);
            if (size > fastBudget)
            {
                break;
            }

            fastBudget -= size;
            c.FastRetransmit = false;
            c.WasFastRetransmitted = true;
            _fastRetransmissions++;
            Retransmit(c, now);
        }

        for (int i = _sentHead; i < _sent.Count && _needsRetransmitCount > 0; i++)
        {
            if (_sent[i] is not { State: OutboundChunkState.NeedsRetransmit } c)
            {
                continue;
            }

            if (_flightSize > 0 && _flightSize >= _cwnd)
            {
                return;
            }

            c.FastRetransmit = false;
            Retransmit(c, now);
        }
    }

    private void Retransmit(OutboundChunk chunk, TimeSpan now)
    {
        WriteDataChunk(chunk);
        chunk.TransmitCount++;
        chunk.SentAt = now;
        chunk.MissIndications = 0;
        SetChunkState(chunk, OutboundChunkState.InFlight);
        _retransmissions++;
        if (_rttTsn == chunk.Tsn)
        {
            // Karn's algorithm (RFC 9260 §6.3.1 C5): no RTT sample from a retransmitted chunk.
            _rttTsn = null;
        }

        _t3Deadline ??= now + _rto;
    }

    private void SendNewData(TimeSpan now)
    {
        while (NextScheduledMessage() is { } message)
        {
            if (message.ExpiresAt is { } expiry && now >= expiry && _peerForwardTsn)
            {
                AbandonMessage(message);
                continue;
            }

            while (!message.FullyFragmented)
            {
                int remaining = message.Data.Length - message.NextOffset;
                int length = Math.Min(_maxFragment, remaining);

                // RFC 9260 §6.1 A and B: respect the peer's window (one probe when nothing is in flight) and cwnd.
                if (_flightSize > 0 && (_flightSize >= _cwnd || length > _peerRwnd))
                {
                    return;
                }

                // Fill the open packet rather than leave a hole after a SACK or a smaller chunk.
                int room = (_builder.Remaining & ~3) - DataChunkHeaderSize;
                if (length > room && room >= 256)
                {
                    length = room;
                }

                if (!message.SsnAssigned)
                {
                    message.SsnAssigned = true;
                    if (!message.Unordered)
                    {
                        ushort ssn = _outboundSsn.GetValueOrDefault(message.StreamId);
                        message.Ssn = ssn;
                        _outboundSsn[message.StreamId] = (ushort)(ssn + 1);
                    }
                }

                bool beginning = message.NextOffset == 0;
                var chunk = new OutboundChunk(message, _nextTsn, message.NextOffset, length, beginning, length == remaining)
                {
                    State = OutboundChunkState.InFlight,
                    TransmitCount = 1,
                    SentAt = now,
                };
                _nextTsn++;
                message.NextOffset += length;
                message.Chunks.Add(chunk);
                _sent.Add(chunk);
                _flightSize += length;
                _peerRwnd = Math.Max(0, _peerRwnd - length);
                // RFC 7053: when this chunk empties the send queue, ask for an immediate SACK. Otherwise the peer's
                // delayed SACK (200 ms) races our T3-rtx (RTO.Min 200 ms) on the last odd packet of a burst.
                WriteDataChunk(chunk, sackImmediately: chunk.Ending && _pendingCount == 1);
                _rttTsn ??= chunk.Tsn;
                _t3Deadline ??= now + _rto;
                ReduceBuffered(message.StreamId, length);
            }

            CompleteScheduledMessage();
        }
    }

    private void HandleSack(ReadOnlySpan<byte> value)
    {
        if (value.Length < 12)
        {
            Drop("short SACK");
            return;
        }

        uint cumAck = BinaryPrimitives.ReadUInt32BigEndian(value);
        uint arwnd = BinaryPrimitives.ReadUInt32BigEndian(value[4..]);
        int gapCount = BinaryPrimitives.ReadUInt16BigEndian(value[8..]);
        int dupCount = BinaryPrimitives.ReadUInt16BigEndian(value[10..]);
        if (value.Length < 12 + (4 * (gapCount + dupCount)) || !IsReceivingState() && _state != SctpAssociationState.ShutdownAckSent)
        {
            return;
        }

        // RFC 9260 §6.2.1 D: an old SACK is ignored; one acknowledging TSNs never sent is a protocol violation that
        // would otherwise leave both ends retransmitting and discarding forever.
        if (SctpSerial.Lt(cumAck, _cumAckPoint))
        {
            return;
        }

        if (SctpSerial.Ge(cumAck, _nextTsn))
        {
            AbortInternal("protocol violation: SACK acknowledges data never sent", sendAbort: true, cause: 13);
            return;
        }

        long flightBefore = _flightSize;
        long bytesAcked = 0;
        uint? highestNewlyAcked = null;
        bool cumAdvanced = false;
        while (SctpSerial.Lt(_cumAckPoint, cumAck))
        {
            OutboundChunk c = _sent[_sentHead]!;
            if (c.State is OutboundChunkState.InFlight or OutboundChunkState.NeedsRetransmit)
            {
                bytesAcked += c.Length;
                highestNewlyAcked = c.Tsn;
                MeasureRtt(c);
            }

            SetChunkState(c, OutboundChunkState.GapAcked);
            _sent[_sentHead] = null;
            _sentHead++;
            _cumAckPoint++;
            cumAdvanced = true;
        }

        uint outstanding = _nextTsn - 1 - cumAck;
        ReadOnlySpan<byte> blocks = value[12..];
        for (int i = 0; i < gapCount; i++)
        {
            uint start = BinaryPrimitives.ReadUInt16BigEndian(blocks[(4 * i)..]);
            uint end = Math.Min(BinaryPrimitives.ReadUInt16BigEndian(blocks[((4 * i) + 2)..]), outstanding);
            for (uint offset = Math.Max(start, 1); offset <= end; offset++)
            {
                if (TryGetSent(cumAck + offset, out OutboundChunk c) && c.State is OutboundChunkState.InFlight or OutboundChunkState.NeedsRetransmit)
                {
                    bytesAcked += c.Length;
                    SetChunkState(c, OutboundChunkState.GapAcked);
                    if (highestNewlyAcked is null || SctpSerial.Gt(c.Tsn, highestNewlyAcked.Value))
                    {
                        highestNewlyAcked = c.Tsn;
                    }

                    MeasureRtt(c);
                }
            }
        }

        if (bytesAcked > 0 || cumAdvanced)
        {
            _errorCount = 0;
        }

        if (_fastRecovery && SctpSerial.Ge(cumAck, _fastRecoveryExit))
        {
            _fastRecovery = false;
        }

        // Congestion window growth (RFC 9260 §7.2.1, §7.2.2), only when the window was in use.
        if (cumAdvanced && !_fastRecovery && bytesAcked > 0 && flightBefore + _options.Mtu >= _cwnd)
        {
            if (_cwnd <= _ssthresh)
            {
                _cwnd += Math.Min(bytesAcked, _options.Mtu);
            }
            else
            {
                _partialBytesAcked += bytesAcked;
                if (_partialBytesAcked >= _cwnd)
                {
                    _partialBytesAcked -= _cwnd;
                    _cwnd += _options.Mtu;
                }
            }
        }

        // Miss indications for chunks below the highest newly acked TSN (RFC 9260 §7.2.4 with HTNA).
        if (highestNewlyAcked is { } htna)
        {
            bool marked = false;
            for (uint tsn = cumAck + 1; SctpSerial.Lt(tsn, htna); tsn++)
            {
                if (TryGetSent(tsn, out OutboundChunk c) && c.State == OutboundChunkState.InFlight && !c.WasFastRetransmitted)
                {
                    c.MissIndications++;
                    if (c.MissIndications >= 3)
                    {
                        if (!marked && !_fastRecovery)
                        {
                            _fastRecovery = true;
                            _fastRecoveryExit = _nextTsn - 1;
                            _ssthresh = Math.Max(_cwnd / 2, 4L * _options.Mtu);
                            _cwnd = _ssthresh;
                            _partialBytesAcked = 0;
                        }

                        marked = true;
                        Log.SctpFastRetransmit(_logger, c.Tsn);
                        if (ShouldAbandon(c, _now))
                        {
                            AbandonMessage(c.Message);
                        }
                        else
                        {
                            SetChunkState(c, OutboundChunkState.NeedsRetransmit);
                            c.FastRetransmit = true;
                        }
                    }
                }
            }
        }

        _peerRwnd = Math.Max(0, arwnd - _flightSize);
        AfterAckProgress(cumAdvanced);
    }

    private void ProcessCumulativeAck(uint cumAck)
    {
        if (SctpSerial.Le(cumAck, _cumAckPoint) || SctpSerial.Ge(cumAck, _nextTsn))
        {
            return;
        }

        while (SctpSerial.Lt(_cumAckPoint, cumAck))
        {
            OutboundChunk c = _sent[_sentHead]!;
            SetChunkState(c, OutboundChunkState.GapAcked);
            _sent[_sentHead] = null;
            _sentHead++;
            _cumAckPoint++;
        }

        _errorCount = 0;
        AfterAckProgress(true);
    }

    private void AfterAckProgress(bool cumAdvanced)
    {
        if (_sentHead > 256 && _sentHead * 2 > _sent.Count)
        {
            _sent.RemoveRange(0, _sentHead);
            _sentHead = 0;
        }

        AdvancePeerAckPoint();
        if (_sent.Count == _sentHead)
        {
            // RFC 9260 §6.3.2 R2: everything acknowledged.
            _t3Deadline = null;
        }
        else if (cumAdvanced)
        {
            // R3: the earliest outstanding TSN was acknowledged.
            _t3Deadline = _now + _rto;
        }
    }

    private void MeasureRtt(OutboundChunk chunk)
    {
        if (_rttTsn == chunk.Tsn)
        {
            _rttTsn = null;
            if (chunk.TransmitCount == 1)
            {
                UpdateRto(_now - chunk.SentAt);
            }
        }
    }

    private void UpdateRto(TimeSpan rtt)
    {
        // RFC 9260 §6.3.1 with alpha 1/8 and beta 1/4.
        double r = rtt.TotalMilliseconds;
        if (_srttMs is not { } srtt)
        {
            _srttMs = r;
            _rttvarMs = r / 2;
        }
        else
        {
            _rttvarMs = (0.75 * _rttvarMs) + (0.25 * Math.Abs(srtt - r));
            _srttMs = (0.875 * srtt) + (0.125 * r);
        }

        _rto = Clamp(TimeSpan.FromMilliseconds(_srttMs.Value + (4 * _rttvarMs)));
    }

    private void OnT3Timeout(TimeSpan now)
    {
        _t3Deadline = null;
        if (_sent.Count == _sentHead)
        {
            return;
        }

        _retransmissionTimeouts++;
        _errorCount++;
        if (_errorCount > _options.MaxRetransmissions)
        {
            AbortInternal("too many retransmissions", sendAbort: true);
            return;
        }

        // RFC 9260 §6.3.3 E1-E3 and §7.2.3: back off, collapse cwnd, retransmit everything outstanding.
        _rto = Clamp(_rto * 2);
        _ssthresh = Math.Max(_cwnd / 2, 4L * _options.Mtu);
        _cwnd = _options.Mtu;
        _partialBytesAcked = 0;
        _fastRecovery = false;
        _rttTsn = null;
        Log.SctpRetransmissionTimeout(_logger, _rto, _errorCount);
        for (int i = _sentHead; i < _sent.Count; i++)
        {
            if (_sent[i] is { State: OutboundChunkState.InFlight } c)
            {
                if (ShouldAbandon(c, now))
                {
                    AbandonMessage(c.Message);
                }
                else
                {
                    SetChunkState(c, OutboundChunkState.NeedsRetransmit);
                }
            }
        }

        AdvancePeerAckPoint();
        if (SctpSerial.Gt(_advancedPeerAckPoint, _cumAckPoint))
        {
            // RFC 3758 §3.5 C3/C5: repeat the FORWARD-TSN that may have been lost.
            _forwardTsnPending = true;
        }

        _t3Deadline = now + _rto;
    }

    private bool ShouldAbandon(OutboundChunk chunk, TimeSpan now)
    {
        if (!_peerForwardTsn)
        {
            return false;
        }

        OutboundMessage m = chunk.Message;
        return (m.MaxRetransmits is { } max && chunk.TransmitCount > max) || (m.ExpiresAt is { } expiry && now >= expiry);
    }

    private void AbandonMessage(OutboundMessage message)
    {
        if (message.Abandoned)
        {
            return;
        }

        message.Abandoned = true;
        _messagesAbandoned++;
        Log.SctpMessageAbandoned(_logger, message.StreamId, message.Data.Length);
        foreach (OutboundChunk c in message.Chunks)
        {
            if (c.State is OutboundChunkState.InFlight or OutboundChunkState.NeedsRetransmit)
            {
                SetChunkState(c, OutboundChunkState.Abandoned);
                c.FastRetransmit = false;
            }
        }

        if (!message.FullyFragmented)
        {
            // Fragments never sent get no TSN; the peer drops the ones it has when FORWARD-TSN passes them.
            ReduceBuffered(message.StreamId, message.Data.Length - message.NextOffset);
            message.NextOffset = message.Data.Length;
            RemoveQueued(message);
        }

        AdvancePeerAckPoint();
    }

    private void AdvancePeerAckPoint()
    {
        if (!_peerForwardTsn)
        {
            return;
        }

        // RFC 3758 §3.5 C1/C2. Only abandoned chunks are skipped: the receiver drops every fragment at or below the
        // new cumulative TSN, so passing a gap-acked fragment of a live message would lose that message.
        if (SctpSerial.Lt(_advancedPeerAckPoint, _cumAckPoint))
        {
            _advancedPeerAckPoint = _cumAckPoint;
        }

        while (TryGetSent(_advancedPeerAckPoint + 1, out OutboundChunk c) && c.State == OutboundChunkState.Abandoned)
        {
            _advancedPeerAckPoint++;
        }

        if (SctpSerial.Gt(_advancedPeerAckPoint, _cumAckPoint))
        {
            _forwardTsnPending = true;
        }
    }

    private void WriteForwardTsn()
    {
        if (!SctpSerial.Gt(_advancedPeerAckPoint, _cumAckPoint))
        {
            return;
        }

        // RFC 3758 §3.2: the new cumulative TSN plus, per ordered stream, the highest SSN skipped.
        var streams = new Dictionary<ushort, ushort>();
        for (uint tsn = _cumAckPoint + 1; SctpSerial.Le(tsn, _advancedPeerAckPoint); tsn++)
        {
            if (TryGetSent(tsn, out OutboundChunk c) && c.State == OutboundChunkState.Abandoned && !c.Message.Unordered)
            {
                ushort ssn = c.Message.Ssn;
                if (!streams.TryGetValue(c.Message.StreamId, out ushort known) || SctpSerial.Lt(known, ssn))
                {
                    streams[c.Message.StreamId] = ssn;
                }
            }
        }

        int pairs = Math.Min(streams.Count, (_builder.MaxChunkSize - 8) / 4);
        Span<byte> chunk = _builder.AddChunk(_peerTag, SctpChunkType.ForwardTsn, 0, 8 + (4 * pairs));
        BinaryPrimitives.WriteUInt32BigEndian(chunk[4..], _advancedPeerAckPoint);
        int at = 8;
        foreach ((ushort stream, ushort ssn) in streams)
        {
            if (at >= chunk.Length)
            {
                break;
            }

            BinaryPrimitives.WriteUInt16BigEndian(chunk[at..], stream);
            BinaryPrimitives.WriteUInt16BigEndian(chunk[(at + 2)..], ssn);
            at += 4;
        }

        // RFC 3758 §3.5 C3: keep a timer running so a lost FORWARD-TSN is repeated.
        _t3Deadline ??= _now + _rto;
    }
}
