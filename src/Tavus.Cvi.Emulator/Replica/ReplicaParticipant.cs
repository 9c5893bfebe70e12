using System.Text.Json.Nodes;
using System.Threading.Channels;
using Tavus.Cvi.Emulator.Conversations;
using Tavus.Cvi.Emulator.Daily;
using Tavus.Cvi.Emulator.Diagnostics;
using Tavus.Cvi.Emulator.PeerToPeer;
using Tavus.Cvi.Interactions.Protocol;

namespace Tavus.Cvi.Emulator.Replica;

/// <summary>
/// The emulated Tavus replica: a room participant (presence with a <c>tavus-replica</c> user id) that announces
/// itself and answers interactions as the scenario says (tavus-protocol.md §A, §B).
/// </summary>
internal sealed partial class ReplicaParticipant : IRoomMember, IDisposable
{
    private readonly EmulatorState _state;
    private readonly EmulatedConversation _conversation;
    private readonly Channel<RelayedAppMessage> _inbox = Channel.CreateUnbounded<RelayedAppMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stopping = new();
    private int _joinScheduled;
    private volatile bool _joined;
    private IReplicaMessaging? _messaging;

    public ReplicaParticipant(EmulatorState state, EmulatedConversation conversation)
    {
        _state = state;
        _conversation = conversation;
        SessionId = Guid.NewGuid().ToString();
    }

    public string SessionId { get; }

    public bool IsReplica => true;

    public string UserId => "tavus-replica-" + _conversation.ReplicaId;

    /// <summary>How its app messages travel: relayed (SFU room) or over data channels (peer-to-peer room).</summary>
    internal IReplicaMessaging? Messaging => _messaging;

    public void Deliver(OutboundFrame frame) => _messaging?.Deliver(frame);

    public void Disconnect(bool abort) => Stop();

    /// <summary>The first participant joined: the replica follows after <see cref="ScenarioTimings.ReplicaJoinDelay"/>.</summary>
    public void OnClientJoined()
    {
        if (Interlocked.Exchange(ref _joinScheduled, 1) != 0)
        {
            return;
        }

        _ = RunAsync(_stopping.Token);
    }

    /// <summary>
    /// Tells the room the conversation is over with an in-call <c>system.shutdown</c> (tavus-protocol.md §B, §E) before
    /// the room is deleted, so clients learn the reason and not only that the room went away.
    /// </summary>
    public void AnnounceShutdown(ShutdownReason reason)
    {
        if (!_joined)
        {
            return;
        }

        Emit([new ShutdownEvent { ConversationId = _conversation.Id, ReplicaId = _conversation.ReplicaId, Reason = reason }]);
    }

    public void Stop() => _ = StopAsync();

    /// <summary>Stops the replica; completes when its messaging is closed (peer connections shut down gracefully).</summary>
    public Task StopAsync()
    {
        _inbox.Writer.TryComplete();
        _speech.Writer.TryComplete();
        try
        {
            _stopping.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }

        return Interlocked.Exchange(ref _messaging, null) is { } messaging ? messaging.DisposeAsync().AsTask() : Task.CompletedTask;
    }

    private async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await DelayAsync(_state.Scenario.Timings.ReplicaJoinDelay, ct).ConfigureAwait(false);
            Join();
            Task speaker = SpeakerLoopAsync(ct);
            OnJoined();
            await foreach (RelayedAppMessage message in _inbox.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                await HandleAsync(message, ct).ConfigureAwait(false);
            }

            _speech.Writer.TryComplete();
            await speaker.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            Log.ReplicaFailed(_state.ReplicaLogger, _conversation.Id, ex);
        }
    }

    private void Join()
    {
        bool peerToPeer = _state.IsPeerToPeer(_conversation.Id);
        var presence = new JsonObject
        {
            ["id"] = SessionId,
            ["name"] = SignalingFrames.EncodeUri(_state.Scenario.PersonaName),
            ["user_id"] = UserId,
            ["callState"] = "accepting-calls",
            ["audioState"] = string.Empty,
            ["videoState"] = string.Empty,
            ["participationType"] = "full",
            ["rtcType"] = new JsonObject { ["impl"] = peerToPeer ? "peer-to-peer" : "sfu" },
            ["joinedAt"] = _state.NowMs,
        };

        // The conversation logic above talks to "the room"; how a message reaches a participant depends on the room.
        _messaging = peerToPeer
            ? new PeerReplicaMessaging(_state, _conversation, SessionId, m => _inbox.Writer.TryWrite(m))
            : new RelayReplicaMessaging(_conversation, SessionId, m => _inbox.Writer.TryWrite(m));
        JoinResult joined = _conversation.Room.Join(this, presence, null);
        _messaging.Joined(joined.OtherPresences);
        _joined = true;
        Log.ReplicaJoined(_state.ReplicaLogger, _conversation.Id, SessionId);
        _state.Webhooks.Send(_conversation, "system.replica_joined", "system", new JsonObject { ["replica_id"] = _conversation.ReplicaId });
    }

    public void Dispose()
    {
        Stop();
        _stopping.Dispose();
    }

    private Task DelayAsync(TimeSpan delay, CancellationToken ct) =>
        delay > TimeSpan.Zero ? Task.Delay(delay, _state.Time, ct) : Task.CompletedTask;
}
