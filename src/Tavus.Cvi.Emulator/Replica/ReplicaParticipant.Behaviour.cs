using System.Text;
using Tavus.Cvi.Emulator.Daily;

namespace Tavus.Cvi.Emulator.Replica;

internal sealed partial class ReplicaParticipant
{
    private Task OnJoinedAsync(CancellationToken ct)
    {
        string json = "{\"message_type\":\"system\",\"event_type\":\"system.replica_joined\",\"conversation_id\":\"" + _conversation.Id +
            "\",\"properties\":{\"replica_id\":\"" + _conversation.ReplicaId + "\"}}";
        _conversation.Room.Relay(SessionId, "x-egassem", null, Encoding.UTF8.GetBytes(json));
        return Task.CompletedTask;
    }

    private Task HandleAsync(RelayedAppMessage message, CancellationToken ct)
    {
        Diagnostics.Log.ReplicaIgnored(_state.ReplicaLogger, _conversation.Id, "not implemented yet: " + message.Tag);
        return Task.CompletedTask;
    }
}
