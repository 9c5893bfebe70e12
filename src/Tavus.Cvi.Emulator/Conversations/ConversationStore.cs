using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Tavus.Cvi.Emulator.Daily;
using Tavus.Cvi.Emulator.Diagnostics;
using Tavus.Cvi.Emulator.Replica;
using Tavus.Cvi.Interactions.Protocol;

namespace Tavus.Cvi.Emulator.Conversations;

/// <summary>
/// The conversations of one emulator and their lifecycle: creation (room + replica), timeouts from
/// <c>properties</c>, ending (room deleted, replica gone, webhooks) and deletion (tavus-protocol.md §D, §E).
/// </summary>
internal sealed class ConversationStore
{
    public const string Domain = "tavus";

    private readonly ConcurrentDictionary<string, EmulatedConversation> _conversations = new(StringComparer.Ordinal);
    private readonly object _createGate = new();
    private readonly EmulatorState _state;

    public ConversationStore(EmulatorState state) => _state = state;

    public EmulatedConversation? Get(string id) =>
        _conversations.TryGetValue(id, out EmulatedConversation? c) && !c.Deleted ? c : null;

    public IEnumerable<EmulatedConversation> All() => _conversations.Values.Where(c => !c.Deleted);

    public string ConversationUrl(EmulatedConversation c) => new Uri(_state.BaseUri, Domain + "/" + c.Id).ToString();

    /// <summary>Creates a conversation, or returns null when the key holds its maximum of active conversations.</summary>
    public EmulatedConversation? Create(Func<string, EmulatedConversation> factory)
    {
        EmulatedConversation conversation;
        lock (_createGate)
        {
            string id;
            do
            {
                // Tavus ids look like "c" + 12 hex digits (e.g. ca4301628cb9).
                id = "c" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6));
            }
            while (_conversations.ContainsKey(id));

            conversation = factory(id);
            if (!conversation.TestMode &&
                All().Count(c => c.IsActive && c.ApiKey == conversation.ApiKey) >= _state.Options.MaxConcurrentConversations)
            {
                return null;
            }

            conversation.Room = new Room(_state, conversation, Domain);
            if (conversation.RequireAuth)
            {
                conversation.MeetingToken = _state.Tokens.IssueMeetingToken(Domain, id, null, null, isOwner: false, TimeSpan.FromHours(4));
            }

            if (conversation.TestMode)
            {
                // test_mode: the replica never joins and the conversation is returned ended (§D.2).
                conversation.MarkTestModeEnded();
            }

            _conversations[id] = conversation;
        }

        Log.ConversationCreated(_state.RestLogger, conversation.Id, conversation.TestMode);
        if (!conversation.TestMode)
        {
            conversation.Replica = new ReplicaParticipant(_state, conversation);
            conversation.Room.ClientJoined += (_, _) => conversation.Replica?.OnClientJoined();
            conversation.Room.ClientLeft += (_, _) => OnClientLeft(conversation);
            ArmTimeouts(conversation);
        }

        return conversation;
    }

    /// <summary>Ends a conversation: room deleted (clients get <c>room-deleted</c>), replica stops, webhooks fire.</summary>
    public bool End(EmulatedConversation conversation, ShutdownReason reason)
    {
        if (!conversation.TryEnd(reason, _state.Time.GetUtcNow()))
        {
            return false;
        }

        Log.ConversationEnded(_state.RestLogger, conversation.Id, reason.Value);
        conversation.Replica?.AnnounceShutdown(reason);
        Task replicaStopped = conversation.Replica?.StopAsync() ?? Task.CompletedTask;
        if (replicaStopped.IsCompleted)
        {
            conversation.Room.Delete();
        }
        else
        {
            // A peer-to-peer room: system.shutdown went over the data channels, whose graceful close delivers it; the
            // room (room-deleted on the signaling sockets) goes after that, so clients learn the reason first.
            _ = DeleteRoomAfterAsync(conversation.Room, replicaStopped);
        }
        var shutdown = new JsonObject
        {
            ["replica_id"] = conversation.ReplicaId,
            ["shutdown_reason"] = reason.Value,
        };
        _state.Webhooks.Send(conversation, "system.shutdown", "system", shutdown);

        var transcript = new JsonArray();
        string system = conversation.ConversationalContext ?? string.Empty;
        transcript.Add(new JsonObject { ["role"] = "system", ["content"] = _state.Scenario.SystemPrompt + (system.Length > 0 ? "\n" + system : string.Empty) });
        foreach (TranscriptEntry entry in conversation.TranscriptSnapshot())
        {
            transcript.Add(new JsonObject { ["role"] = entry.Role, ["content"] = entry.Content });
        }

        _state.Webhooks.Send(conversation, "application.transcription_ready", "application", new JsonObject
        {
            ["replica_id"] = conversation.ReplicaId,
            ["transcript"] = transcript,
        });
        return true;
    }

    public void Delete(EmulatedConversation conversation)
    {
        End(conversation, ShutdownReason.DailyRoomDeleted);
        conversation.MarkDeleted();
        conversation.Room.Delete();
    }

    private static async Task DeleteRoomAfterAsync(Room room, Task replicaStopped)
    {
        try
        {
            await replicaStopped.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or ObjectDisposedException)
        {
            // Deleted anyway below; the shutdown reason may then arrive after room-deleted.
        }

        room.Delete();
    }

    private void OnClientLeft(EmulatedConversation conversation)
    {
        if (conversation.Room.Snapshot().Any(m => !m.IsReplica))
        {
            return;
        }

        // participant_left_timeout counts from when the last participant leaves (§D.2). The emulator applies it only
        // when the request set it, so that test fixtures can leave and rejoin (documented in docs/emulator.md).
        if (conversation.Properties?["participant_left_timeout"] is JsonValue v && v.TryGetValue(out int seconds) && seconds >= 0)
        {
            ITimer timer = _state.Time.CreateTimer(
                _ =>
                {
                    if (!conversation.Room.Snapshot().Any(m => !m.IsReplica))
                    {
                        End(conversation, ShutdownReason.ParticipantLeftTimeoutReached);
                    }
                },
                null,
                TimeSpan.FromSeconds(seconds),
                Timeout.InfiniteTimeSpan);
            conversation.AddTimer(timer);
        }
    }

    private void ArmTimeouts(EmulatedConversation conversation)
    {
        int maxDuration = ReadSeconds(conversation.Properties, "max_call_duration") ?? 3600;
        conversation.AddTimer(_state.Time.CreateTimer(
            _ => End(conversation, ShutdownReason.MaxCallDurationReached), null, TimeSpan.FromSeconds(maxDuration), Timeout.InfiniteTimeSpan));

        if (ReadSeconds(conversation.Properties, "participant_absent_timeout") is int absent)
        {
            conversation.AddTimer(_state.Time.CreateTimer(
                _ =>
                {
                    if (!conversation.Room.Snapshot().Any(m => !m.IsReplica))
                    {
                        End(conversation, ShutdownReason.ParticipantAbsentTimeoutReached);
                    }
                },
                null,
                TimeSpan.FromSeconds(absent),
                Timeout.InfiniteTimeSpan));
        }
    }

    private static int? ReadSeconds(JsonObject? properties, string name) =>
        properties?[name] is JsonValue v && v.TryGetValue(out int seconds) && seconds > 0 ? seconds : null;
}
