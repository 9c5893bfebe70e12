using System.Text.Json.Nodes;
using Tavus.Cvi.Emulator.Daily;

namespace Tavus.Cvi.Emulator.Replica;

/// <summary>
/// How the replica's app messages reach the room's participants and theirs reach it: relayed <c>sig-msg</c> frames in
/// SFU rooms (<see cref="RelayReplicaMessaging"/>), WebRTC data channels in peer-to-peer rooms
/// (<see cref="PeerToPeer.PeerReplicaMessaging"/>). The replica's conversation logic sits above this and does not
/// know which one it talks through.
/// </summary>
internal interface IReplicaMessaging : IAsyncDisposable
{
    /// <summary>The replica has joined; <paramref name="otherPresences"/> are everyone else's presences at that moment.</summary>
    void Joined(IReadOnlyList<JsonObject> otherPresences);

    /// <summary>Sends one app message (a Tavus event's JSON) to every other participant.</summary>
    void Broadcast(byte[] payload);

    /// <summary>A frame the room delivered to the replica (relayed app messages and signaling, presences).</summary>
    void Deliver(OutboundFrame frame);
}
