using System.Text.Json.Nodes;
using Tavus.Cvi.Emulator.Conversations;
using Tavus.Cvi.Emulator.Daily;

namespace Tavus.Cvi.Emulator.Replica;

/// <summary>
/// App messages in an SFU room (daily-protocol.md §6): the replica's go through the room's relay as <c>x-egassem</c>
/// from its session id to <c>"*"</c>; relayed <c>x-egassem</c> frames addressed to it are its inbox.
/// </summary>
internal sealed class RelayReplicaMessaging(EmulatedConversation conversation, string sessionId, Action<RelayedAppMessage> inbox) : IReplicaMessaging
{
    public void Joined(IReadOnlyList<JsonObject> otherPresences)
    {
    }

    public void Broadcast(byte[] payload) => conversation.Room.Relay(sessionId, "x-egassem", null, payload);

    public void Deliver(OutboundFrame frame)
    {
        if (frame.AppMessage is { Tag: "x-egassem" } message)
        {
            inbox(message);
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
