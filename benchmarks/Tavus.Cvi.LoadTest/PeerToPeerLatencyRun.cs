using System.Diagnostics;
using Tavus.Cvi.Emulator;
using Tavus.Cvi.Interactions.Protocol;
using Tavus.Cvi.Interactions.Rest;
using Tavus.Cvi.Interactions.Session;
using Tavus.Cvi.Interactions.WebRtc;
using Tavus.Cvi.WebRtc.Peer;

namespace Tavus.Cvi.LoadTest;

/// <summary>
/// Interaction round trip in a peer-to-peer room (the app-messages data channel between the SDK and the emulated
/// replica, daily-protocol.md §7) side by side with an SFU room (the signaling WebSocket and the emulator's relay), in
/// one run against one in-process emulator: <see cref="CviSession.RespondAsync"/> until the replica's
/// <c>conversation.utterance</c> (role user) with that text reaches the <see cref="CviSession.EventReceived"/> handler.
/// Iterations alternate between the two sessions so drift hits both; each waits for the replica's reply to end.
/// </summary>
internal static class PeerToPeerLatencyRun
{
    public sealed record Result(double[] PeerMs, double[] SfuMs);

    public static async Task<Result> RunAsync(int iterations, int warmup, CancellationToken cancellationToken)
    {
        await using var emulator = await CviEmulator.StartAsync(new CviEmulatorOptions(), cancellationToken);
        using var tavus = new TavusClient(emulator.ApiKey, new TavusClientOptions { BaseUri = emulator.TavusApiBaseUri });
        var p2p = await tavus.CreateConversationAsync(new CreateConversationRequest { ConversationName = "latency-p2p" }, cancellationToken);
        var sfu = await tavus.CreateConversationAsync(new CreateConversationRequest { ConversationName = "latency-sfu" }, cancellationToken);
        emulator.FaultsFor(p2p.ConversationId).PeerToPeerTopology = true;

        var p2pOptions = new CviSessionOptions();
        p2pOptions.Daily.Endpoints = emulator.DailyEndpoints;
        p2pOptions.Daily.PeerToPeer = new WebRtcPeerConnectionFactory(new RtcConfiguration { IncludeInterfaceCandidates = false });
        var sfuOptions = new CviSessionOptions();
        sfuOptions.Daily.Endpoints = emulator.DailyEndpoints;

        await using var peerSession = await CviSession.JoinAsync(p2p.ConversationUrl!.AbsoluteUri, p2p.ConversationId, p2pOptions, cancellationToken);
        await using var sfuSession = await CviSession.JoinAsync(sfu.ConversationUrl!.AbsoluteUri, sfu.ConversationId, sfuOptions, cancellationToken);
        await peerSession.WaitForReplicaJoinedAsync(cancellationToken);
        await sfuSession.WaitForReplicaJoinedAsync(cancellationToken);

        var peer = new Probe(peerSession);
        var relay = new Probe(sfuSession);
        var peerMs = new List<double>(iterations);
        var sfuMs = new List<double>(iterations);
        for (var i = 0; i < warmup + iterations; i++)
        {
            var a = await peer.RoundTripAsync("p2p " + i.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
            var b = await relay.RoundTripAsync("sfu " + i.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
            if (i >= warmup)
            {
                peerMs.Add(a);
                sfuMs.Add(b);
            }
        }

        await peerSession.LeaveAsync(cancellationToken);
        await sfuSession.LeaveAsync(cancellationToken);
        peerMs.Sort();
        sfuMs.Sort();
        return new Result([.. peerMs], [.. sfuMs]);
    }

    private sealed class Probe
    {
        private readonly CviSession _session;
        private string? _expected;
        private TaskCompletionSource<long>? _heard;
        private TaskCompletionSource? _turnDone;

        public Probe(CviSession session)
        {
            _session = session;
            session.EventReceived += (_, e) =>
            {
                if (e.Event is UtteranceEvent { Role.IsUser: true } u && u.Speech == Volatile.Read(ref _expected))
                {
                    _heard?.TrySetResult(Stopwatch.GetTimestamp());
                }
            };
            session.ReplicaStoppedSpeaking += (_, _) => _turnDone?.TrySetResult();
        }

        public async Task<double> RoundTripAsync(string text, CancellationToken cancellationToken)
        {
            _heard = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            _turnDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Volatile.Write(ref _expected, text);
            var start = Stopwatch.GetTimestamp();
            await _session.RespondAsync(text, cancellationToken);
            var stamp = await _heard.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            await _turnDone.Task.WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);
            return Stopwatch.GetElapsedTime(start, stamp).TotalMilliseconds;
        }
    }
}
