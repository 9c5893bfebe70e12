using System.Text.Json.Nodes;

namespace Tavus.Cvi.Emulator.Daily;

/// <summary>A participant of a <see cref="Room"/>: a client's signaling socket or the emulated replica.</summary>
internal interface IRoomMember
{
    /// <summary>The Daily session id.</summary>
    string SessionId { get; }

    /// <summary>Whether this is the emulated replica.</summary>
    bool IsReplica { get; }

    /// <summary>Queues a frame for this participant. Must not block.</summary>
    void Deliver(OutboundFrame frame);

    /// <summary>Ends the participant's connection (room deleted, ejected, replaced by a newer socket).</summary>
    void Disconnect(bool abort);
}
