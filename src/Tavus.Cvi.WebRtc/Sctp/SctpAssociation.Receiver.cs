using System.Buffers.Binary;
using Tavus.Cvi.WebRtc.Diagnostics;

namespace Tavus.Cvi.WebRtc.Sctp;

/// <summary>
/// Receiving side: TSN tracking, SACK with gap blocks and duplicates (RFC 9260 §6.2, §3.3.4), delayed SACK (§6.2),
/// reassembly (§6.9), ordered and unordered delivery (§6.5, §6.6), FORWARD-TSN (RFC 3758 §3.6).
/// </summary>
public sealed partial class SctpAssociation
{
    // Gap ack block offsets are 16 bits (RFC 9260 §3.3.4), which bounds how far ahead a TSN may be accepted.
    private const uint MaxTsnAhead = 65535;

    private readonly HashSet<uint> _receivedAhead = [];
    private readonly List<uint> _duplicates = [];
    private readonly Dictionary<uint, InboundChunk> _reassembly = [];
    private readonly Dictionary<ushort, InboundStream> _inbound = [];

    private uint _peerCumTsn;
    private long _receiveBuffered;
    private bool _sackNeeded;
    private int _packetsSinceSack;
    private TimeSpan? _delayedSackDeadline;

    private void HandleData(byte flags, ReadOnlySpan<byte> value)
    {
        if (value.Length <= 12)
        {
            // RFC 9260 §6.2 would ABORT on "No User Data"; dropping keeps a hostile peer from steering us.
            Drop("DATA without user data");
            return;
        }

        uint tsn = BinaryPrimitives.ReadUInt32BigEndian(value);
        ushort streamId = BinaryPrimitives.ReadUInt16BigEndian(value[4..]);
        ushort ssn = BinaryPrimitives.ReadUInt16BigEndian(value[6..]);
        uint ppid = BinaryPrimitives.ReadUInt32BigEndian(value[8..]);
        ReadOnlySpan<byte> data = value[12..];

        if (SctpSerial.Le(tsn, _peerCumTsn) || _receivedAhead.Contains(tsn))
        {
            if (_duplicates.Count < MaxDuplicatesReported)
            {
                _duplicates.Add(tsn);
            }

            return;
        }

        uint ahead = tsn - _peerCumTsn;
        if (ahead > MaxTsnAhead)
        {
            Drop("TSN too far ahead");
            return;
        }

        // RFC 9260 §6.2: with no room left, drop; the chunk that fills the first gap is always taken so delivery
        // can progress and free the buffer.
        if (ahead != 1 && _receiveBuffered + data.Length > _options.ReceiveWindow)
        {
            return;
        }

        MarkReceived(tsn);
        if (streamId >= _inboundStreams)
        {
            // RFC 9260 §6.4: acknowledge but discard, reporting Invalid Stream Identifier.
            byte[] error = new byte[12];
            error[0] = (byte)SctpChunkType.Error;
            error[3] = 12;
            BinaryPrimitives.WriteUInt16BigEndian(error.AsSpan(4), 1);
            BinaryPrimitives.WriteUInt16BigEndian(error.AsSpan(6), 8);
            BinaryPrimitives.WriteUInt16BigEndian(error.AsSpan(8), streamId);
            QueueControl((_peerTag, error));
            return;
        }

        var chunk = new InboundChunk(tsn, streamId, ssn, ppid, flags, data.ToArray());
        _reassembly[tsn] = chunk;
        _receiveBuffered += data.Length;
        TryAssemble(chunk);
        CheckDeferredReset();
    }

    private void MarkReceived(uint tsn)
    {
        if (tsn == _peerCumTsn + 1)
        {
            _peerCumTsn = tsn;
            while (_receivedAhead.Count > 0 && _receivedAhead.Remove(_peerCumTsn + 1))
            {
                _peerCumTsn++;
            }
        }
        else
        {
            _receivedAhead.Add(tsn);
        }
    }

    private void AfterDataReceived(bool immediate)
    {
        // RFC 9260 §6.2: SACK at least every second packet and at once on gaps or duplicates; otherwise delay.
        _packetsSinceSack++;
        if (immediate || _receivedAhead.Count > 0 || _duplicates.Count > 0 || _packetsSinceSack >= 2
            || _state != SctpAssociationState.Established)
        {
            _sackNeeded = true;
        }
        else
        {
            _delayedSackDeadline ??= _now + _options.DelayedAckTimeout;
        }
    }

    private void TryAssemble(InboundChunk chunk)
    {
        // Fragments of one message carry consecutive TSNs (RFC 9260 §6.9): walk forward to E, then back to B.
        // Forward first, so in-order arrival costs one lookup per fragment until the last one.
        InboundChunk last = chunk;
        long total = 0;
        while (!last.Ending)
        {
            if (!_reassembly.TryGetValue(last.Tsn + 1, out InboundChunk? following) || !following.SameMessageAs(chunk) || following.Beginning)
            {
                return;
            }

            last = following;
        }

        InboundChunk first = chunk;
        while (!first.Beginning)
        {
            if (!_reassembly.TryGetValue(first.Tsn - 1, out InboundChunk? previous) || !previous.SameMessageAs(chunk) || previous.Ending)
            {
                return;
            }

            first = previous;
        }

        int count = (int)(last.Tsn - first.Tsn + 1);
        for (uint i = 0; i < count; i++)
        {
            total += _reassembly[first.Tsn + i].Data.Length;
        }

        byte[]? data = null;
        if (count == 1)
        {
            // An unfragmented message is delivered in the array it was received into: no second copy.
            _reassembly.Remove(first.Tsn);
            _receiveBuffered -= first.Data.Length;
            data = total <= _options.MaxMessageSize ? first.Data : null;
        }
        else
        {
            data = total <= _options.MaxMessageSize ? new byte[total] : null;
            int at = 0;
            for (uint i = 0; i < count; i++)
            {
                uint tsn = first.Tsn + i;
                InboundChunk part = _reassembly[tsn];
                _reassembly.Remove(tsn);
                _receiveBuffered -= part.Data.Length;
                if (data is not null)
                {
                    part.Data.CopyTo(data, at);
                    at += part.Data.Length;
                }
            }
        }

        if (data is null)
        {
            Log.SctpMessageDiscarded(_logger, chunk.StreamId, "larger than the maximum message size");
            return;
        }

        if (chunk.Unordered)
        {
            Deliver(chunk.StreamId, first.Ppid, data, unordered: true);
            return;
        }

        InboundStream stream = GetInboundStream(chunk.StreamId);
        if (SctpSerial.Lt(first.Ssn, stream.NextSsn))
        {
            Log.SctpMessageDiscarded(_logger, chunk.StreamId, "stale stream sequence number");
        }
        else if (first.Ssn == stream.NextSsn)
        {
            stream.NextSsn++;
            Deliver(chunk.StreamId, first.Ppid, data, unordered: false);
            DrainReady(chunk.StreamId, stream);
        }
        else if (stream.Ready.TryAdd(first.Ssn, new InboundMessage(first.Tsn, chunk.StreamId, first.Ssn, first.Ppid, data)))
        {
            _receiveBuffered += data.Length;
        }
    }

    private InboundStream GetInboundStream(ushort streamId)
    {
        if (!_inbound.TryGetValue(streamId, out InboundStream? stream))
        {
            stream = new InboundStream();
            _inbound[streamId] = stream;
        }

        return stream;
    }

    private void DrainReady(ushort streamId, InboundStream stream)
    {
        while (stream.Ready.Remove(stream.NextSsn, out InboundMessage? message))
        {
            _receiveBuffered -= message.Data.Length;
            stream.NextSsn++;
            Deliver(streamId, message.Ppid, message.Data, unordered: false);
        }
    }

    private void Deliver(ushort streamId, uint ppid, byte[] data, bool unordered)
    {
        _messagesReceived++;
        _events.Enqueue(new SctpMessageReceived(streamId, ppid, data, unordered));
    }

    private void WriteSack()
    {
        _sackNeeded = false;
        _packetsSinceSack = 0;
        _delayedSackDeadline = null;
        int maxEntries = (_builder.MaxChunkSize - 16) / 4;

        List<(ushort Start, ushort End)>? blocks = null;
        if (_receivedAhead.Count > 0)
        {
            uint[] offsets = new uint[_receivedAhead.Count];
            int n = 0;
            foreach (uint tsn in _receivedAhead)
            {
                offsets[n++] = tsn - _peerCumTsn;
            }

            Array.Sort(offsets);
            blocks = [];
            for (int i = 0; i < offsets.Length && blocks.Count < maxEntries; i++)
            {
                uint start = offsets[i];
                while (i + 1 < offsets.Length && offsets[i + 1] == offsets[i] + 1)
                {
                    i++;
                }

                if (offsets[i] <= ushort.MaxValue)
                {
                    blocks.Add(((ushort)start, (ushort)offsets[i]));
                }
            }
        }

        int gapCount = blocks?.Count ?? 0;
        int dupCount = Math.Min(_duplicates.Count, maxEntries - gapCount);
        Span<byte> sack = _builder.AddChunk(_peerTag, SctpChunkType.Sack, 0, 16 + (4 * (gapCount + dupCount)));
        BinaryPrimitives.WriteUInt32BigEndian(sack[4..], _peerCumTsn);
        BinaryPrimitives.WriteUInt32BigEndian(sack[8..], (uint)Math.Max(0, _options.ReceiveWindow - _receiveBuffered));
        BinaryPrimitives.WriteUInt16BigEndian(sack[12..], (ushort)gapCount);
        BinaryPrimitives.WriteUInt16BigEndian(sack[14..], (ushort)dupCount);
        int at = 16;
        for (int i = 0; i < gapCount; i++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(sack[at..], blocks![i].Start);
            BinaryPrimitives.WriteUInt16BigEndian(sack[(at + 2)..], blocks[i].End);
            at += 4;
        }

        for (int i = 0; i < dupCount; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(sack[at..], _duplicates[i]);
            at += 4;
        }

        _duplicates.Clear();
    }

    private void HandleForwardTsn(ReadOnlySpan<byte> value)
    {
        if (value.Length < 4 || !IsReceivingState())
        {
            return;
        }

        uint newCum = BinaryPrimitives.ReadUInt32BigEndian(value);
        _sackNeeded = true;
        if (SctpSerial.Le(newCum, _peerCumTsn) || newCum - _peerCumTsn > MaxTsnAhead)
        {
            return;
        }

        // RFC 3758 §3.6: drop fragments at or below the new cumulative TSN, then advance past it.
        List<uint>? stale = null;
        foreach ((uint tsn, InboundChunk _) in _reassembly)
        {
            if (SctpSerial.Le(tsn, newCum))
            {
                (stale ??= []).Add(tsn);
            }
        }

        if (stale is not null)
        {
            foreach (uint tsn in stale)
            {
                _reassembly.Remove(tsn, out InboundChunk? chunk);
                _receiveBuffered -= chunk!.Data.Length;
            }
        }

        _receivedAhead.RemoveWhere(tsn => SctpSerial.Le(tsn, newCum));
        _peerCumTsn = newCum;
        while (_receivedAhead.Count > 0 && _receivedAhead.Remove(_peerCumTsn + 1))
        {
            _peerCumTsn++;
        }

        for (int at = 4; at + 4 <= value.Length; at += 4)
        {
            ushort streamId = BinaryPrimitives.ReadUInt16BigEndian(value[at..]);
            ushort ssn = BinaryPrimitives.ReadUInt16BigEndian(value[(at + 2)..]);
            if (!_inbound.TryGetValue(streamId, out InboundStream? stream) && streamId >= _inboundStreams)
            {
                continue;
            }

            stream ??= GetInboundStream(streamId);
            if (SctpSerial.Lt(ssn, stream.NextSsn))
            {
                continue;
            }

            // Deliver what completed up to the skipped SSN, in order, then move past it.
            while (SctpSerial.Le(stream.NextSsn, ssn))
            {
                if (stream.Ready.Remove(stream.NextSsn, out InboundMessage? message))
                {
                    _receiveBuffered -= message.Data.Length;
                    Deliver(streamId, message.Ppid, message.Data, unordered: false);
                }

                stream.NextSsn++;
            }

            DrainReady(streamId, stream);
        }

        CheckDeferredReset();
    }
}
