using Tavus.Cvi.Interactions.Diagnostics;
using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.Interactions.Daily;

/// <summary>
/// The peer-to-peer link to one remote participant of a Daily room (daily-protocol.md §7): one
/// <see cref="IDailyPeerConnection"/> with the negotiated <c>app-messages</c> channel (id 0, reliable, ordered), its
/// offer/answer/candidate signaling, and the bounded queue of messages waiting for the channel to open.
/// </summary>
/// <remarks>
/// Signaling work (applying descriptions, adding candidates, creating offers and answers) runs one step at a time in
/// arrival order, off the signaling receive loop. daily-js drops a message whose channel is not open yet (§7); this
/// link queues it instead (up to <c>MaxQueuedMessages</c>) and fails it with a <see cref="CviConnectionException"/> if
/// the link fails or closes before the channel opens, so no message is lost silently.
/// </remarks>
internal sealed class DailyPeerLink
{
    private readonly DailyPeerLinks _owner;
    private readonly Lock _gate = new();
    private readonly LinkedList<DailyPeerSend> _pending = new();
    private readonly List<DailyIceCandidate?> _remoteCandidates = [];
    private IDailyPeerConnection? _connection;
    private Task _tail = Task.CompletedTask;
    private int _queuedTotal;
    private bool _remoteDescriptionSet;
    private bool _offered;
    private bool _open;
    private bool _ended;

    public DailyPeerLink(DailyPeerLinks owner, string remoteId, bool isOfferer)
    {
        _owner = owner;
        RemoteId = remoteId;
        IsOfferer = isOfferer;
    }

    /// <summary>The remote participant's session id.</summary>
    public string RemoteId { get; }

    /// <summary>Whether this side makes the offer (§7: the lower session id).</summary>
    public bool IsOfferer { get; }

    /// <summary>Whether the app-message channel is open and the queue flushed.</summary>
    public bool IsOpen
    {
        get
        {
            lock (_gate)
            {
                return _open;
            }
        }
    }

    /// <summary>Whether a remote offer was already applied (a new offer then means a new connection).</summary>
    public bool HasRemoteDescription
    {
        get
        {
            lock (_gate)
            {
                return _remoteDescriptionSet;
            }
        }
    }

    /// <summary>How many messages wait for the channel.</summary>
    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>How many messages had to wait for the channel so far (diagnostics and tests).</summary>
    public int QueuedTotal => Volatile.Read(ref _queuedTotal);

    /// <summary>The peer connection, once created (the offerer creates it at start, the answerer with the offer).</summary>
    public IDailyPeerConnection? Connection
    {
        get
        {
            lock (_gate)
            {
                return _connection;
            }
        }
    }

    /// <summary>The offerer creates the connection and sends its offer; the answerer waits for one.</summary>
    public void Start()
    {
        if (IsOfferer)
        {
            Run(OfferAsync);
        }
    }

    /// <summary>An <c>sdp offer</c> from the peer.</summary>
    public void HandleOffer(string sdp) => Run(() => AnswerAsync(sdp));

    /// <summary>An <c>sdp answer</c> from the peer.</summary>
    public void HandleAnswer(string sdp) => Run(async () =>
    {
        IDailyPeerConnection connection;
        lock (_gate)
        {
            if (!_offered || _remoteDescriptionSet || _connection is null)
            {
                // An answer to no offer of this link (a stale one, for a connection already replaced).
                Log.DailyPeerSignalIgnored(_owner.Logger, DailyPeerSignaling.AnswerTag, RemoteId);
                return;
            }

            connection = _connection;
        }

        await connection.SetRemoteDescriptionAsync(DailySdpType.Answer, sdp, _owner.Lifetime).ConfigureAwait(false);
        await RemoteDescriptionAppliedAsync(connection).ConfigureAwait(false);
    });

    /// <summary>An <c>ice candidate</c> from the peer; <see langword="null"/> is the end of candidates.</summary>
    public void HandleCandidate(DailyIceCandidate? candidate) => Run(async () =>
    {
        IDailyPeerConnection? connection;
        lock (_gate)
        {
            if (!_remoteDescriptionSet)
            {
                // §7: a candidate can only be applied after the description it belongs to; keep it until then.
                _remoteCandidates.Add(candidate);
                return;
            }

            connection = _connection;
        }

        if (connection is not null && candidate is not null)
        {
            await connection.AddRemoteCandidateAsync(candidate.Candidate, candidate.SdpMid, candidate.SdpMLineIndex, _owner.Lifetime).ConfigureAwait(false);
        }
    });

    /// <summary>
    /// Sends one app message on the channel, or queues it until the channel opens. The task completes when the
    /// message was handed to the data channel.
    /// </summary>
    public Task SendAsync(ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken)
    {
        IDailyPeerConnection channel;
        DailyPeerSend queued;
        lock (_gate)
        {
            if (_ended)
            {
                throw new CviConnectionException(CviConnectionFailure.Network,
                    "The peer-to-peer link to participant " + RemoteId + " is closed; nothing was sent.");
            }

            if (_open)
            {
                channel = _connection!;
                queued = null!;
            }
            else
            {
                if (_pending.Count >= _owner.MaxQueuedMessages)
                {
                    throw new CviConnectionException(CviConnectionFailure.Network,
                        "The peer-to-peer channel to participant " + RemoteId + " is not open yet and already holds " +
                        _pending.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + " queued messages (the limit). Nothing was sent.");
                }

                // The caller's buffer may be reused once SendAsync returns, but a queued message outlives that: copy it.
                queued = new DailyPeerSend(utf8Json.ToArray()) { Owner = this };
                _pending.AddLast(queued.Node);
                _queuedTotal++;
                channel = null!;
            }
        }

        return channel is not null
            ? SendOnChannelAsync(channel, utf8Json, cancellationToken)
            : AwaitQueuedAsync(queued, cancellationToken);
    }

    /// <summary>Adds messages taken from another link of the same peer (a replaced connection) to this link's queue, first.</summary>
    public void Adopt(IReadOnlyList<DailyPeerSend> sends)
    {
        lock (_gate)
        {
            for (var i = sends.Count - 1; i >= 0; i--)
            {
                sends[i].Owner = this;
                _pending.AddFirst(sends[i].Node);
            }
        }
    }

    /// <summary>Takes the queued messages out of this link (topology switch, replaced connection) without failing them.</summary>
    public List<DailyPeerSend> TakePending()
    {
        lock (_gate)
        {
            List<DailyPeerSend> taken = [.. _pending];
            _pending.Clear();
            return taken;
        }
    }

    /// <summary>Closes the connection; queued messages fail with <paramref name="failure"/> (or a "closed" failure).</summary>
    public Task CloseAsync(CviConnectionException? failure)
    {
        var (failed, connection) = End();
        FailAll(failed, failure ?? new CviConnectionException(CviConnectionFailure.Closed,
            "The peer-to-peer link to participant " + RemoteId + " closed before this message could be sent."));
        return DisposeConnectionAsync(connection);
    }

    private async Task OfferAsync()
    {
        var connection = EnsureConnection();
        var offer = await connection.CreateOfferAsync(_owner.Lifetime).ConfigureAwait(false);
        lock (_gate)
        {
            _offered = true;
        }

        await _owner.SendSignalAsync(DailyPeerSignaling.Offer(RemoteId, offer, _owner.NextSendTs())).ConfigureAwait(false);
    }

    private async Task AnswerAsync(string sdp)
    {
        var connection = EnsureConnection();
        await connection.SetRemoteDescriptionAsync(DailySdpType.Offer, sdp, _owner.Lifetime).ConfigureAwait(false);
        var answer = await connection.CreateAnswerAsync(_owner.Lifetime).ConfigureAwait(false);
        await _owner.SendSignalAsync(DailyPeerSignaling.Answer(RemoteId, answer, _owner.NextSendTs())).ConfigureAwait(false);
        await RemoteDescriptionAppliedAsync(connection).ConfigureAwait(false);
    }

    /// <summary>Applies the candidates that came early, then tells the peer this side has no more (§7).</summary>
    private async Task RemoteDescriptionAppliedAsync(IDailyPeerConnection connection)
    {
        List<DailyIceCandidate?> early;
        lock (_gate)
        {
            _remoteDescriptionSet = true;
            early = [.. _remoteCandidates];
            _remoteCandidates.Clear();
        }

        foreach (var candidate in early)
        {
            if (candidate is not null)
            {
                await connection.AddRemoteCandidateAsync(candidate.Candidate, candidate.SdpMid, candidate.SdpMLineIndex, _owner.Lifetime).ConfigureAwait(false);
            }
        }

        // Our descriptions are complete (every candidate is in the SDP, docs/webrtc.md), so nothing is trickled; the
        // end-of-candidates marker (an "ice candidate" without a candidate) is still sent, and like any local
        // candidate only once the remote description is set (§7).
        await _owner.SendSignalAsync(DailyPeerSignaling.Candidate(RemoteId, null, _owner.NextSendTs())).ConfigureAwait(false);
    }

    private IDailyPeerConnection EnsureConnection()
    {
        lock (_gate)
        {
            if (_ended)
            {
                throw new OperationCanceledException("The peer-to-peer link was closed.");
            }

            if (_connection is not null)
            {
                return _connection;
            }

            // §7: the factory creates the negotiated app-messages channel (id 0, reliable, ordered) before any offer.
            var connection = _owner.Factory.Create(RemoteId);
            connection.MessageReceived += OnChannelMessage;
            connection.ChannelOpened += OnChannelOpened;
            connection.ChannelClosed += OnChannelClosed;
            connection.ConnectionFailed += OnConnectionFailed;
            _connection = connection;
            Log.DailyPeerLinkStarting(_owner.Logger, RemoteId, IsOfferer);
            return connection;
        }
    }

    private void OnChannelMessage(object? sender, DailyPeerMessageEventArgs e)
    {
        // §7: the payload is the UTF-8 text of JSON.stringify(data), no envelope; the sender is this link's peer.
        _owner.OnMessage(RemoteId, e.Utf8Text);
    }

    private void OnChannelOpened(object? sender, EventArgs e)
    {
        Log.DailyPeerLinkOpen(_owner.Logger, RemoteId);
        _ = FlushAsync();
    }

    private void OnChannelClosed(object? sender, EventArgs e) =>
        Fail(new CviConnectionException(CviConnectionFailure.Network, "The peer-to-peer app-message channel to participant " + RemoteId + " closed."));

    private void OnConnectionFailed(object? sender, DailyPeerConnectionFailedEventArgs e) =>
        Fail(new CviConnectionException(CviConnectionFailure.Network,
            "The peer-to-peer connection to participant " + RemoteId + " is " + e.Reason + "."));

    /// <summary>Sends the queued messages in order, then lets new sends go straight to the channel.</summary>
    private async Task FlushAsync()
    {
        while (true)
        {
            DailyPeerSend next;
            IDailyPeerConnection channel;
            lock (_gate)
            {
                if (_ended)
                {
                    return;
                }

                if (_pending.First is null)
                {
                    _open = true;
                    return;
                }

                next = _pending.First.Value;
                _pending.RemoveFirst();
                channel = _connection!;
            }

            try
            {
                await SendOnChannelAsync(channel, next.Payload, CancellationToken.None).ConfigureAwait(false);
                next.Completion.TrySetResult();
            }
            catch (Exception ex) when (ex is CviConnectionException)
            {
                next.Completion.TrySetException(ex);
            }
        }
    }

    private async Task SendOnChannelAsync(IDailyPeerConnection channel, ReadOnlyMemory<byte> utf8Json, CancellationToken cancellationToken)
    {
        try
        {
            // A text message (PPID 51), as the browser's RTCDataChannel.send(string) of daily-js.
            await channel.SendAsync(System.Text.Encoding.UTF8.GetString(utf8Json.Span), cancellationToken).ConfigureAwait(false);
            _owner.LogSent(RemoteId, utf8Json);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException or ArgumentException)
        {
            throw new CviConnectionException(CviConnectionFailure.Network,
                "The peer-to-peer channel to participant " + RemoteId + " could not send the message.", ex);
        }
    }

    private static async Task AwaitQueuedAsync(DailyPeerSend queued, CancellationToken cancellationToken)
    {
        try
        {
            await queued.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Not sent yet: withdraw it from whichever link holds it now (a replaced link hands its queue on).
            queued.Owner?.Withdraw(queued);
            throw;
        }
    }

    private void Withdraw(DailyPeerSend queued)
    {
        lock (_gate)
        {
            if (queued.Node.List == _pending)
            {
                _pending.Remove(queued.Node);
            }
        }
    }

    private void Run(Func<Task> step)
    {
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }

            _tail = _tail.ContinueWith(_ => RunStepAsync(step), CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        }
    }

    private async Task RunStepAsync(Func<Task> step)
    {
        try
        {
            await step().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_owner.Lifetime.IsCancellationRequested || IsEnded())
        {
            // Closed meanwhile.
        }
#pragma warning disable CA1031 // Any failure of a signaling step fails this link (and only it), visibly.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Fail(ex as CviConnectionException ?? new CviConnectionException(CviConnectionFailure.Network,
                "Setting up the peer-to-peer connection to participant " + RemoteId + " failed.", ex));
        }
    }

    private bool IsEnded()
    {
        lock (_gate)
        {
            return _ended;
        }
    }

    private void Fail(CviConnectionException failure)
    {
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }
        }

        var (failed, connection) = End();
        Log.DailyPeerLinkFailed(_owner.Logger, RemoteId, failed.Count, failure);
        FailAll(failed, new CviConnectionException(CviConnectionFailure.Network,
            "The peer-to-peer link to participant " + RemoteId + " failed before this message could be sent.", failure));
        _ = DisposeConnectionAsync(connection);
        _owner.OnLinkFailed(this);
    }

    private (List<DailyPeerSend> Failed, IDailyPeerConnection? Connection) End()
    {
        lock (_gate)
        {
            if (_ended)
            {
                return ([], null);
            }

            _ended = true;
            _open = false;
            List<DailyPeerSend> failed = [.. _pending];
            _pending.Clear();
            return (failed, _connection);
        }
    }

    private static void FailAll(List<DailyPeerSend> sends, CviConnectionException failure)
    {
        foreach (var send in sends)
        {
            send.Completion.TrySetException(failure);
        }
    }

    private async Task DisposeConnectionAsync(IDailyPeerConnection? connection)
    {
        if (connection is null)
        {
            return;
        }

        try
        {
            await connection.DisposeAsync().ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Closing is best effort: a failure to close must not fail the leave.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.DailyPeerCloseFailed(_owner.Logger, RemoteId, ex);
        }
    }
}
