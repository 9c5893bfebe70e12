namespace Tavus.Cvi.WebRtc.Sctp;

/// <summary>
/// The send scheduler: one queue per outgoing stream, served round-robin one whole message at a time, so a small
/// message on one data channel does not wait behind a large backlog on another (the head-of-line blocking a single
/// queue causes). Without I-DATA (RFC 8260) the fragments of a message must take consecutive TSNs (RFC 9260 §6.9), so
/// the scheduler switches streams only at message boundaries, as dcSCTP's and usrsctp's default round-robin schedulers do.
/// </summary>
public sealed partial class SctpAssociation
{
    private readonly Dictionary<ushort, OutboundStreamQueue> _streamQueues = [];
    private readonly Queue<OutboundStreamQueue> _ring = new();
    private int _pendingCount;

    private void Enqueue(OutboundMessage message)
    {
        if (!_streamQueues.TryGetValue(message.StreamId, out OutboundStreamQueue? queue))
        {
            queue = new OutboundStreamQueue(message.StreamId);
            _streamQueues[message.StreamId] = queue;
        }

        queue.Messages.AddLast(message);
        _pendingCount++;
        if (!queue.Scheduled)
        {
            queue.Scheduled = true;
            _ring.Enqueue(queue);
        }
    }

    /// <summary>Whether messages on the stream are still waiting to be fragmented (they go before a stream reset).</summary>
    private bool HasQueuedMessages(ushort streamId) =>
        _streamQueues.TryGetValue(streamId, out OutboundStreamQueue? queue) && queue.Messages.Count > 0;

    /// <summary>
    /// The message to fragment next: the oldest one of the stream at the head of the ring. Streams whose queue ran
    /// empty (abandoned messages) leave the ring here; a stream waiting for its outgoing reset is passed over.
    /// </summary>
    private OutboundMessage? NextScheduledMessage()
    {
        int passedOver = 0;
        while (_ring.TryPeek(out OutboundStreamQueue? queue))
        {
            if (queue.Messages.First is not { } first)
            {
                _ring.Dequeue();
                queue.Scheduled = false;
                continue;
            }

            // A started message is never interrupted: its remaining fragments need the next TSNs.
            if (first.Value.NextOffset == 0 && IsStreamResetBlocked(queue.StreamId))
            {
                if (++passedOver > _ring.Count)
                {
                    return null;
                }

                _ring.Enqueue(_ring.Dequeue());
                continue;
            }

            return first.Value;
        }

        return null;
    }

    /// <summary>The head message (the first of the head stream) is fully fragmented: drop it and move its stream to the
    /// back of the ring.</summary>
    private void CompleteScheduledMessage()
    {
        OutboundStreamQueue queue = _ring.Dequeue();
        queue.Messages.RemoveFirst();
        _pendingCount--;
        if (queue.Messages.Count > 0)
        {
            _ring.Enqueue(queue);
        }
        else
        {
            // The queue object stays for the stream's next message (one per stream ever used, as the SSN map).
            queue.Scheduled = false;
        }
    }

    /// <summary>Takes a message out of its stream's queue (abandoned before all of it got a TSN).</summary>
    private void RemoveQueued(OutboundMessage message)
    {
        if (_streamQueues.TryGetValue(message.StreamId, out OutboundStreamQueue? queue) && queue.Messages.Remove(message))
        {
            // The stream stays in the ring until NextScheduledMessage finds it empty: a queue cannot drop from the middle.
            _pendingCount--;
        }
    }

    private void ClearQueued()
    {
        _streamQueues.Clear();
        _ring.Clear();
        _pendingCount = 0;
    }

    /// <summary>For <see cref="CheckInvariants"/>: the scheduler's counts agree with its queues.</summary>
    private string? CheckSchedulerInvariants()
    {
        int queued = 0;
        foreach (OutboundStreamQueue queue in _streamQueues.Values)
        {
            queued += queue.Messages.Count;
            if (queue.Messages.Count > 0 && !queue.Scheduled)
            {
                return $"stream {queue.StreamId} has queued messages but is not scheduled";
            }
        }

        return queued == _pendingCount ? null : $"{_pendingCount} messages counted as queued but {queued} held";
    }
}
