using System.Buffers.Binary;
using Tavus.Cvi.WebRtc.Diagnostics;

namespace Tavus.Cvi.WebRtc.Sctp;

/// <summary>Stream reconfiguration (RFC 6525): outgoing SSN reset requests and responses, used to close data channels.</summary>
public sealed partial class SctpAssociation
{
    private const ushort ParamOutgoingResetRequest = 13;
    private const ushort ParamIncomingResetRequest = 14;
    private const ushort ParamReconfigResponse = 16;
    private const uint ReconfigResultNothingToDo = 0;
    private const uint ReconfigResultSuccessPerformed = 1;
    private const uint ReconfigResultDenied = 2;
    private const uint ReconfigResultBadSequence = 5;
    private const uint ReconfigResultInProgress = 6;

    private readonly List<ushort> _resetQueue = [];
    private uint _reconfigNextRequestSeq;
    private uint _peerReconfigExpectedSeq;
    private uint _lastPeerReconfigResult;
    private TimeSpan? _reconfigDeadline;
    private OutstandingReset? _outstandingReset;
    private DeferredReset? _deferredReset;

    private sealed record OutstandingReset(uint Seq, ushort[] Streams, byte[] Chunk);

    private sealed record DeferredReset(uint Seq, uint LastTsn, ushort[] Streams);

    /// <summary>
    /// Resets outgoing streams (RFC 6525 §5.1.2) once the data already queued on them has been sent; the peer then
    /// restarts their sequence numbers. Completion is reported by <see cref="SctpStreamsReset"/>. This is how a data
    /// channel is closed (RFC 8831 §6.7).
    /// </summary>
    /// <param name="streams">Streams to reset.</param>
    /// <param name="now">Current monotonic time.</param>
    public void ResetStreams(ReadOnlySpan<ushort> streams, TimeSpan now)
    {
        _now = now;
        if (_state == SctpAssociationState.Closed && _used)
        {
            return;
        }

        foreach (ushort stream in streams)
        {
            if (!_resetQueue.Contains(stream))
            {
                _resetQueue.Add(stream);
            }
        }
    }

    private bool IsStreamResetBlocked(ushort streamId) =>
        _outstandingReset is { } r && Array.IndexOf(r.Streams, streamId) >= 0;

    private void TryStartReconfig(TimeSpan now)
    {
        if (_outstandingReset is not null || _resetQueue.Count == 0 || _state != SctpAssociationState.Established)
        {
            return;
        }

        if (!_peerReconfig)
        {
            var refused = _resetQueue.ToArray();
            _resetQueue.Clear();
            _events.Enqueue(new SctpStreamsReset(refused, SctpStreamResetDirection.Outgoing, false));
            return;
        }

        // Wait for the messages already queued on a stream: they go out before the reset (RFC 8831 §6.7).
        int limit = (_builder.MaxChunkSize - 4 - 16) / 2;
        var streams = new List<ushort>();
        foreach (ushort stream in _resetQueue)
        {
            if (!HasQueuedMessages(stream) && streams.Count < limit)
            {
                streams.Add(stream);
            }
        }

        if (streams.Count == 0)
        {
            return;
        }

        _resetQueue.RemoveAll(streams.Contains);
        int paramLength = 16 + (2 * streams.Count);
        byte[] chunk = new byte[4 + Pad(paramLength)];
        chunk[0] = (byte)SctpChunkType.ReConfig;
        BinaryPrimitives.WriteUInt16BigEndian(chunk.AsSpan(2), (ushort)(4 + paramLength));
        Span<byte> p = chunk.AsSpan(4);
        BinaryPrimitives.WriteUInt16BigEndian(p, ParamOutgoingResetRequest);
        BinaryPrimitives.WriteUInt16BigEndian(p[2..], (ushort)paramLength);
        BinaryPrimitives.WriteUInt32BigEndian(p[4..], _reconfigNextRequestSeq);
        BinaryPrimitives.WriteUInt32BigEndian(p[8..], _peerReconfigExpectedSeq - 1);
        BinaryPrimitives.WriteUInt32BigEndian(p[12..], _nextTsn - 1);
        for (int i = 0; i < streams.Count; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(p[(16 + (2 * i))..], streams[i]);
        }

        chunk = chunk.AsSpan(0, 4 + paramLength).ToArray();
        _outstandingReset = new OutstandingReset(_reconfigNextRequestSeq, [.. streams], chunk);
        _builder.AddRawChunk(_peerTag, chunk);
        _reconfigDeadline = now + _rto;
    }

    private void OnReconfigTimeout(TimeSpan now)
    {
        _reconfigDeadline = null;
        if (_outstandingReset is not { } request || _state != SctpAssociationState.Established)
        {
            return;
        }

        _errorCount++;
        if (_errorCount > _options.MaxRetransmissions)
        {
            AbortInternal("no answer to RE-CONFIG", sendAbort: true);
            return;
        }

        QueueControl((_peerTag, request.Chunk));
        _reconfigDeadline = now + _rto;
    }

    private void HandleReConfig(ReadOnlySpan<byte> value)
    {
        if (!IsReceivingState())
        {
            return;
        }

        List<(uint Seq, uint Result)>? responses = null;
        while (value.Length >= 8)
        {
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(value);
            int length = BinaryPrimitives.ReadUInt16BigEndian(value[2..]);
            if (length < 8 || length > value.Length)
            {
                break;
            }

            ReadOnlySpan<byte> body = value[4..length];
            uint seq = BinaryPrimitives.ReadUInt32BigEndian(body);
            switch (type)
            {
                case ParamOutgoingResetRequest when body.Length >= 12:
                {
                    uint lastTsn = BinaryPrimitives.ReadUInt32BigEndian(body[8..]);
                    ushort[] streams = new ushort[(body.Length - 12) / 2];
                    for (int i = 0; i < streams.Length; i++)
                    {
                        streams[i] = BinaryPrimitives.ReadUInt16BigEndian(body[(12 + (2 * i))..]);
                    }

                    (responses ??= []).Add((seq, ProcessPeerRequest(seq, () => PerformOrDeferReset(seq, lastTsn, streams))));
                    break;
                }

                case ParamReconfigResponse when body.Length >= 8:
                    HandleReconfigResponse(seq, BinaryPrimitives.ReadUInt32BigEndian(body[4..]));
                    break;
                case ParamIncomingResetRequest or 15 or 17 or 18:
                    // Incoming SSN reset, SSN/TSN reset and add-streams requests are not used by data channels.
                    (responses ??= []).Add((seq, ProcessPeerRequest(seq, () => ReconfigResultDenied)));
                    break;
                default:
                    break;
            }

            int padded = Pad(length);
            if (padded >= value.Length)
            {
                break;
            }

            value = value[padded..];
        }

        if (responses is not null)
        {
            foreach ((uint seq, uint result) in responses)
            {
                SendReconfigResponse(seq, result);
            }
        }
    }

    private uint ProcessPeerRequest(uint seq, Func<uint> perform)
    {
        // RFC 6525 §5.2.1: the expected number is processed, the previous one is a retransmission answered with the
        // result already given, anything else is a bad sequence number.
        if (seq == _peerReconfigExpectedSeq)
        {
            uint result = perform();
            if (result != ReconfigResultInProgress)
            {
                _peerReconfigExpectedSeq++;
                _lastPeerReconfigResult = result;
            }

            return result;
        }

        return seq == _peerReconfigExpectedSeq - 1 ? _lastPeerReconfigResult : ReconfigResultBadSequence;
    }

    private uint PerformOrDeferReset(uint seq, uint lastTsn, ushort[] streams)
    {
        // RFC 6525 §5.2.2: reset once every TSN up to the sender's last assigned one has arrived.
        if (SctpSerial.Le(lastTsn, _peerCumTsn))
        {
            _deferredReset = null;
            ResetIncoming(streams, lastTsn);
            return ReconfigResultSuccessPerformed;
        }

        _deferredReset = new DeferredReset(seq, lastTsn, streams);
        return ReconfigResultInProgress;
    }

    private void CheckDeferredReset()
    {
        if (_deferredReset is { } d && SctpSerial.Le(d.LastTsn, _peerCumTsn))
        {
            _deferredReset = null;
            ResetIncoming(d.Streams, d.LastTsn);
            _peerReconfigExpectedSeq++;
            _lastPeerReconfigResult = ReconfigResultSuccessPerformed;
            SendReconfigResponse(d.Seq, ReconfigResultSuccessPerformed);
        }
    }

    private void ResetIncoming(ushort[] streams, uint lastTsn)
    {
        if (streams.Length == 0)
        {
            // An empty list means every stream (RFC 6525 §4.1).
            streams = [.. _inbound.Keys];
        }

        foreach (ushort streamId in streams)
        {
            if (!_inbound.Remove(streamId, out InboundStream? old))
            {
                continue;
            }

            // Messages sent after the reset (TSN beyond the last one) already use the new numbering.
            InboundStream fresh = GetInboundStream(streamId);
            foreach (InboundMessage message in old.Ready.Values)
            {
                if (SctpSerial.Gt(message.FirstTsn, lastTsn))
                {
                    fresh.Ready[message.Ssn] = message;
                }
                else
                {
                    _receiveBuffered -= message.Data.Length;
                }
            }

            DrainReady(streamId, fresh);
        }

        Log.SctpStreamsReset(_logger, SctpStreamResetDirection.Incoming, streams.Length, true);
        _events.Enqueue(new SctpStreamsReset(streams, SctpStreamResetDirection.Incoming, true));
    }

    private void SendReconfigResponse(uint seq, uint result)
    {
        byte[] chunk = new byte[4 + 12];
        chunk[0] = (byte)SctpChunkType.ReConfig;
        BinaryPrimitives.WriteUInt16BigEndian(chunk.AsSpan(2), (ushort)chunk.Length);
        BinaryPrimitives.WriteUInt16BigEndian(chunk.AsSpan(4), ParamReconfigResponse);
        BinaryPrimitives.WriteUInt16BigEndian(chunk.AsSpan(6), 12);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(8), seq);
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(12), result);
        QueueControl((_peerTag, chunk));
    }

    private void HandleReconfigResponse(uint seq, uint result)
    {
        if (_outstandingReset is not { } request || request.Seq != seq)
        {
            return;
        }

        if (result == ReconfigResultInProgress)
        {
            // The peer still waits for data; ask again after an RTO.
            _reconfigDeadline = _now + _rto;
            return;
        }

        _outstandingReset = null;
        _reconfigDeadline = null;
        _reconfigNextRequestSeq++;
        _errorCount = 0;
        bool succeeded = result is ReconfigResultSuccessPerformed or ReconfigResultNothingToDo;
        if (succeeded)
        {
            foreach (ushort stream in request.Streams)
            {
                _outboundSsn.Remove(stream);
            }
        }

        Log.SctpStreamsReset(_logger, SctpStreamResetDirection.Outgoing, request.Streams.Length, succeeded);
        _events.Enqueue(new SctpStreamsReset(request.Streams, SctpStreamResetDirection.Outgoing, succeeded));
    }
}
