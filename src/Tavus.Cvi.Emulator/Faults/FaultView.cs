namespace Tavus.Cvi.Emulator.Faults;

/// <summary>The global faults and a conversation's faults seen together: a fault applies when set in either.</summary>
internal readonly struct FaultView
{
    private readonly EmulatorFaults _global;
    private readonly EmulatorFaults? _conversation;

    public FaultView(EmulatorFaults global, EmulatorFaults? conversation)
    {
        _global = global;
        _conversation = conversation;
    }

    public TimeSpan FrameDelay => Max(_global.FrameDelay, _conversation?.FrameDelay ?? TimeSpan.Zero);

    public TimeSpan SoupReplyDelay => Max(_global.SoupReplyDelay, _conversation?.SoupReplyDelay ?? TimeSpan.Zero);

    public bool DropSoupReplies => _global.DropSoupReplies || (_conversation?.DropSoupReplies ?? false);

    public bool DuplicateEvents => _global.DuplicateEvents || (_conversation?.DuplicateEvents ?? false);

    public bool ReorderEvents => _global.ReorderEvents || (_conversation?.ReorderEvents ?? false);

    public bool ReplicaUnresponsive => _global.ReplicaUnresponsive || (_conversation?.ReplicaUnresponsive ?? false);

    public bool PeerToPeerTopology => _global.PeerToPeerTopology || (_conversation?.PeerToPeerTopology ?? false);

    public bool ReplicaTricklesCandidates => _global.ReplicaTricklesCandidates || (_conversation?.ReplicaTricklesCandidates ?? false);

    public bool ReplicaCandidatesFirst => _global.ReplicaCandidatesFirst || (_conversation?.ReplicaCandidatesFirst ?? false);

    public bool TryConsumeRoomLookup(out RoomLookupFault fault, out TimeSpan delay)
    {
        if (_conversation is not null && _conversation.TryConsumeRoomLookup(out fault))
        {
            delay = _conversation.RoomLookupDelay;
            return true;
        }

        delay = _global.RoomLookupDelay;
        return _global.TryConsumeRoomLookup(out fault);
    }

    public bool TryConsumeRefuseConnect(bool primaryForm) =>
        (_conversation?.TryConsumeRefuseConnect(primaryForm) ?? false) || _global.TryConsumeRefuseConnect(primaryForm);

    public int TakeDropAfterFrames()
    {
        int n = _conversation?.TakeDropAfterFrames() ?? 0;
        return n > 0 ? n : _global.TakeDropAfterFrames();
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
