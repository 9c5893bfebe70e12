using System.Text;
using Microsoft.Extensions.Logging;
using Tavus.Cvi.Emulator.Daily;
using Tavus.Cvi.Emulator.Diagnostics;
using Tavus.Cvi.WebRtc.Peer;

namespace Tavus.Cvi.Emulator.PeerToPeer;

/// <summary>
/// The replica's WebRTC link to one client in a peer-to-peer room (daily-protocol.md §7), on loopback UDP: the
/// negotiated <c>app-messages</c> channel (id 0) created before the offer, the offer rule, and signaling as
/// <c>sig-msg</c> through the room's relay. Messages sent before the channel opens wait for it (bounded).
/// </summary>
internal sealed class ReplicaPeerLink : IAsyncDisposable
{
    private const int MaxPending = 1024;

    private readonly PeerReplicaMessaging _owner;
    private readonly Lock _gate = new();
    private readonly Queue<byte[]> _pending = new();
    private readonly List<string?> _earlyCandidates = [];
    private readonly RtcPeerConnection _connection;
    private readonly RtcDataChannel _channel;
    private Task _tail = Task.CompletedTask;
    private List<string>? _trickle;
    private string? _trickleMid;
    private bool _remoteSet;
    private bool _open;
    private bool _closed;

    public ReplicaPeerLink(PeerReplicaMessaging owner, string clientId, bool isOfferer)
    {
        _owner = owner;
        ClientId = clientId;
        IsOfferer = isOfferer;
        _connection = new RtcPeerConnection(owner.Configuration);
        _channel = _connection.CreateDataChannel("app-messages", new RtcDataChannelOptions { Negotiated = true, Id = 0 });
        _channel.MessageReceived += (_, e) => owner.Received(ClientId, e.Message.Data.ToArray());
        _channel.Opened += (_, _) => _ = FlushAsync();
    }

    public string ClientId { get; }

    public bool IsOfferer { get; }

    public bool HasRemoteDescription
    {
        get { lock (_gate) { return _remoteSet; } }
    }

    public void Start()
    {
        if (IsOfferer)
        {
            Run(async () =>
            {
                RtcSessionDescription offer = await _connection.CreateOfferAsync().ConfigureAwait(false);
                SendDescription(PeerSignalFields.Offer, offer.Sdp);
            });
        }
    }

    public void HandleOffer(string sdp) => Run(async () =>
    {
        await _connection.SetRemoteDescriptionAsync(new RtcSessionDescription(RtcSdpType.Offer, sdp)).ConfigureAwait(false);
        RtcSessionDescription answer = await _connection.CreateAnswerAsync().ConfigureAwait(false);
        SendDescription(PeerSignalFields.Answer, answer.Sdp);
        await RemoteSetAsync().ConfigureAwait(false);
    });

    public void HandleAnswer(string sdp) => Run(async () =>
    {
        if (!IsOfferer || HasRemoteDescription)
        {
            return;
        }

        await _connection.SetRemoteDescriptionAsync(new RtcSessionDescription(RtcSdpType.Answer, sdp)).ConfigureAwait(false);
        await RemoteSetAsync().ConfigureAwait(false);
    });

    public void HandleCandidate(string? candidate) => Run(async () =>
    {
        lock (_gate)
        {
            if (!_remoteSet)
            {
                _earlyCandidates.Add(candidate);
                return;
            }
        }

        if (candidate is not null)
        {
            await _connection.AddIceCandidateAsync(candidate).ConfigureAwait(false);
        }
    });

    public void Send(byte[] payload)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            if (!_open)
            {
                if (_pending.Count >= MaxPending)
                {
                    _pending.Dequeue();
                    Log.ReplicaPeerQueueFull(_owner.Logger, ClientId, MaxPending);
                }

                _pending.Enqueue(payload);
                return;
            }
        }

        _ = SendNowAsync(payload);
    }

    public async ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _closed = true;
        }

        try
        {
            await _connection.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }

    /// <summary>
    /// Sends the offer or answer; with <c>ReplicaTricklesCandidates</c> the candidates leave the SDP and follow as
    /// <c>ice candidate</c> messages: after the remote description is set (§7), or first with <c>ReplicaCandidatesFirst</c>.
    /// </summary>
    private void SendDescription(string tag, string sdp)
    {
        var faults = _owner.Faults;
        if (!faults.ReplicaTricklesCandidates)
        {
            _owner.Signal(ClientId, tag, tag == PeerSignalFields.Offer ? PeerSignalFields.WriteOffer(sdp) : PeerSignalFields.WriteAnswer(sdp));
            return;
        }

        var kept = new StringBuilder();
        var candidates = new List<string>();
        string? mid = null;
        foreach (string line in sdp.Split("\r\n"))
        {
            if (line.StartsWith("a=candidate:", StringComparison.Ordinal))
            {
                candidates.Add(line[2..]);
                continue;
            }

            if (line.StartsWith("a=end-of-candidates", StringComparison.Ordinal))
            {
                continue;
            }

            if (line.StartsWith("a=mid:", StringComparison.Ordinal))
            {
                mid ??= line[6..];
            }

            if (line.Length > 0)
            {
                kept.Append(line).Append("\r\n");
            }
        }

        lock (_gate)
        {
            _trickle = candidates;
            _trickleMid = mid;
        }

        if (faults.ReplicaCandidatesFirst)
        {
            SendTrickled();
        }

        string stripped = kept.ToString();
        _owner.Signal(ClientId, tag, tag == PeerSignalFields.Offer ? PeerSignalFields.WriteOffer(stripped) : PeerSignalFields.WriteAnswer(stripped));
        if (!faults.ReplicaCandidatesFirst && tag == PeerSignalFields.Answer)
        {
            // The answerer set the remote description before answering: its candidates may follow at once.
            SendTrickled();
        }
    }

    private void SendTrickled()
    {
        List<string>? candidates;
        string? mid;
        lock (_gate)
        {
            candidates = _trickle;
            mid = _trickleMid;
            _trickle = null;
        }

        if (candidates is null)
        {
            return;
        }

        foreach (string candidate in candidates)
        {
            _owner.Signal(ClientId, PeerSignalFields.Candidate, PeerSignalFields.WriteCandidate(candidate, mid));
        }

        _owner.Signal(ClientId, PeerSignalFields.Candidate, PeerSignalFields.WriteCandidate(null, null));
    }

    private async Task RemoteSetAsync()
    {
        List<string?> early;
        lock (_gate)
        {
            _remoteSet = true;
            early = [.. _earlyCandidates];
            _earlyCandidates.Clear();
        }

        foreach (string? candidate in early)
        {
            if (candidate is not null)
            {
                await _connection.AddIceCandidateAsync(candidate).ConfigureAwait(false);
            }
        }

        // §7: candidates produced before the remote description was set go out now (the offerer's case).
        SendTrickled();
    }

    private async Task FlushAsync()
    {
        while (true)
        {
            byte[] next;
            lock (_gate)
            {
                if (_closed)
                {
                    return;
                }

                if (!_pending.TryDequeue(out next!))
                {
                    _open = true;
                    return;
                }
            }

            await SendNowAsync(next).ConfigureAwait(false);
        }
    }

    private async Task SendNowAsync(byte[] payload)
    {
        try
        {
            await _channel.SendAsync(Encoding.UTF8.GetString(payload)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException or ArgumentException)
        {
            Log.ReplicaPeerSendFailed(_owner.Logger, ClientId, ex);
        }
    }

    private void Run(Func<Task> step)
    {
        lock (_gate)
        {
            if (_closed)
            {
                return;
            }

            _tail = _tail.ContinueWith(async _ =>
            {
                try
                {
                    await step().ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    Log.ReplicaPeerFailed(_owner.Logger, ClientId, ex);
                }
            }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
        }
    }
}
