namespace Tavus.Cvi.Emulator.Faults;

/// <summary>
/// Faults to inject, globally (<see cref="CviEmulator.Faults"/>) or for one conversation
/// (<see cref="CviEmulator.FaultsFor"/>). A fault applies when it is set in either place. Properties may be changed
/// at any time from any thread; counted faults (<c>...Count</c>, <c>DropSocketAfterFrames</c>) are consumed as
/// they fire, so a reconnecting client is not hit again unless the fault is set again.
/// </summary>
public sealed class EmulatorFaults
{
    private int _roomLookupFaultCount = int.MaxValue;
    private int _refuseSignalingConnects;
    private int _refusePrimaryWorkerConnects;
    private int _dropSocketAfterFrames;

    /// <summary>How room lookups fail. Applies to the next <see cref="RoomLookupFaultCount"/> lookups.</summary>
    public RoomLookupFault RoomLookup { get; set; }

    /// <summary>How many lookups <see cref="RoomLookup"/> hits before it stops (default: every lookup).</summary>
    public int RoomLookupFaultCount
    {
        get => Volatile.Read(ref _roomLookupFaultCount);
        set => Volatile.Write(ref _roomLookupFaultCount, value);
    }

    /// <summary>The delay of a <see cref="RoomLookupFault.Slow"/> lookup. Default 16 s (longer than daily-js waits).</summary>
    public TimeSpan RoomLookupDelay { get; set; } = TimeSpan.FromSeconds(16);

    /// <summary>Refuses this many WebSocket connects (HTTP 503 instead of the upgrade) on any worker URI form.</summary>
    public int RefuseSignalingConnects
    {
        get => Volatile.Read(ref _refuseSignalingConnects);
        set => Volatile.Write(ref _refuseSignalingConnects, value);
    }

    /// <summary>
    /// Refuses this many WebSocket connects on the primary worker URI form (<c>….wss</c>) only, so a client that
    /// falls back to the alternate <c>…-wss</c> form gets in (daily-protocol.md §4.1).
    /// </summary>
    public int RefusePrimaryWorkerConnects
    {
        get => Volatile.Read(ref _refusePrimaryWorkerConnects);
        set => Volatile.Write(ref _refusePrimaryWorkerConnects, value);
    }

    /// <summary>
    /// Aborts a signaling socket (no close handshake) once the server has sent it this many more frames; 0 = off.
    /// One-shot: it fires on one socket, then resets to 0.
    /// </summary>
    public int DropSocketAfterFrames
    {
        get => Volatile.Read(ref _dropSocketAfterFrames);
        set => Volatile.Write(ref _dropSocketAfterFrames, value);
    }

    /// <summary>Delays every frame the server sends to a client by this much (relay latency).</summary>
    public TimeSpan FrameDelay { get; set; }

    /// <summary>Sends each replica event twice (the client must de-duplicate by <c>seq</c>).</summary>
    public bool DuplicateEvents { get; set; }

    /// <summary>Swaps each pair of consecutive replica events (the client must re-order by <c>seq</c>).</summary>
    public bool ReorderEvents { get; set; }

    /// <summary>Delays every soup reply (for example past daily-js's 15 s timeout).</summary>
    public TimeSpan SoupReplyDelay { get; set; }

    /// <summary>Sends no soup replies at all.</summary>
    public bool DropSoupReplies { get; set; }

    /// <summary>The replica ignores every interaction (it is present but unresponsive).</summary>
    public bool ReplicaUnresponsive { get; set; }

    /// <summary>
    /// The room is peer-to-peer (as <see cref="CviEmulatorOptions.PeerToPeerRooms"/>, for one conversation): joins get
    /// <c>sig-ack</c> with <c>topology:"peer"</c>, and a replica that joins afterwards talks over WebRTC data channels.
    /// </summary>
    public bool PeerToPeerTopology { get; set; }

    /// <summary>
    /// In peer-to-peer rooms the replica leaves its ICE candidates out of its SDP and sends each as an
    /// <c>ice candidate</c> message, then an end-of-candidates message (daily-protocol.md §7), after the remote
    /// description is set, as daily-js does.
    /// </summary>
    public bool ReplicaTricklesCandidates { get; set; }

    /// <summary>
    /// With <see cref="ReplicaTricklesCandidates"/>: the candidates go out <b>before</b> the replica's offer or answer,
    /// so a client has to keep them until it has the description they belong to.
    /// </summary>
    public bool ReplicaCandidatesFirst { get; set; }

    internal static bool TryConsume(ref int counter)
    {
        while (true)
        {
            int current = Volatile.Read(ref counter);
            if (current <= 0)
            {
                return false;
            }

            int next = current == int.MaxValue ? current : current - 1;
            if (Interlocked.CompareExchange(ref counter, next, current) == current)
            {
                return true;
            }
        }
    }

    internal bool TryConsumeRoomLookup(out RoomLookupFault fault)
    {
        fault = RoomLookup;
        return fault != RoomLookupFault.None && TryConsume(ref _roomLookupFaultCount);
    }

    internal bool TryConsumeRefuseConnect(bool primaryForm) =>
        TryConsume(ref _refuseSignalingConnects) || (primaryForm && TryConsume(ref _refusePrimaryWorkerConnects));

    internal int TakeDropAfterFrames() => Interlocked.Exchange(ref _dropSocketAfterFrames, 0);
}
