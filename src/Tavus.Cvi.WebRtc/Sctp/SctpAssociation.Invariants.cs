namespace Tavus.Cvi.WebRtc.Sctp;

/// <summary>Self-checks of the bookkeeping, for tests (fuzzing in particular).</summary>
public sealed partial class SctpAssociation
{
    /// <summary>Returns a description of the first broken internal invariant, or null when all hold.</summary>
    internal string? CheckInvariants()
    {
        long flight = 0;
        int needsRetransmit = 0;
        for (int i = _sentHead; i < _sent.Count; i++)
        {
            OutboundChunk? c = _sent[i];
            if (c is null)
            {
                return $"hole in the sent queue at {i}";
            }

            if (c.Tsn != _cumAckPoint + 1 + (uint)(i - _sentHead))
            {
                return $"sent queue TSN {c.Tsn} out of place";
            }

            flight += c.State == OutboundChunkState.InFlight ? c.Length : 0;
            needsRetransmit += c.State == OutboundChunkState.NeedsRetransmit ? 1 : 0;
        }

        if (flight != _flightSize)
        {
            return $"flight size {_flightSize} but {flight} in flight";
        }

        if (needsRetransmit != _needsRetransmitCount)
        {
            return $"retransmit count {_needsRetransmitCount} but {needsRetransmit} marked";
        }

        long buffered = 0;
        foreach (InboundChunk chunk in _reassembly.Values)
        {
            buffered += chunk.Data.Length;
        }

        foreach (InboundStream stream in _inbound.Values)
        {
            foreach (InboundMessage message in stream.Ready.Values)
            {
                buffered += message.Data.Length;
            }
        }

        if (buffered != _receiveBuffered)
        {
            return $"receive buffer {_receiveBuffered} but {buffered} held";
        }

        if (_cwnd < _options.Mtu || _peerRwnd < 0)
        {
            return $"cwnd {_cwnd}, peer rwnd {_peerRwnd}";
        }

        foreach (uint tsn in _receivedAhead)
        {
            if (SctpSerial.Le(tsn, _peerCumTsn + 1))
            {
                return $"TSN {tsn} ahead-set entry not ahead of cumulative {_peerCumTsn}";
            }
        }

        return CheckSchedulerInvariants();
    }
}
