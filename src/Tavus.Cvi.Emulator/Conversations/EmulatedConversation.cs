using System.Text.Json.Nodes;
using Tavus.Cvi.Emulator.Daily;
using Tavus.Cvi.Emulator.Replica;
using Tavus.Cvi.Interactions.Protocol;

namespace Tavus.Cvi.Emulator.Conversations;

/// <summary>One Tavus conversation: its REST record, its Daily room and its replica.</summary>
internal sealed class EmulatedConversation
{
    private readonly object _gate = new();
    private readonly List<JsonObject> _events = [];
    private readonly List<TranscriptEntry> _transcript = [];
    private readonly List<ITimer> _timers = [];

    public EmulatedConversation(string id, string apiKey, DateTimeOffset createdAt)
    {
        Id = id;
        ApiKey = apiKey;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
    }

    public string Id { get; }

    public string ApiKey { get; }

    public DateTimeOffset CreatedAt { get; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public string? Name { get; init; }

    public string? CallbackUrl { get; init; }

    public string ReplicaId { get; init; } = "r-emulator";

    public string PersonaId { get; init; } = "p-emulator";

    public string? ConversationalContext { get; init; }

    public string? CustomGreeting { get; init; }

    public bool TestMode { get; init; }

    public bool RequireAuth { get; init; }

    public string? MeetingToken { get; set; }

    public JsonObject? Properties { get; init; }

    public JsonObject? ExtraFields { get; init; }

    public string Status { get; private set; } = ConversationStatus.Active;

    public ShutdownReason? ShutdownReason { get; private set; }

    public bool Deleted { get; private set; }

    public Room Room { get; set; } = null!;

    public ReplicaParticipant? Replica { get; set; }

    public bool IsActive
    {
        get { lock (_gate) { return Status == ConversationStatus.Active && !TestMode; } }
    }

    /// <summary>Whether the room can be joined: it exists, was not deleted and the conversation did not end (test mode rooms stay joinable).</summary>
    public bool IsJoinable
    {
        get { lock (_gate) { return !Deleted && (TestMode || Status == ConversationStatus.Active); } }
    }

    public void MarkTestModeEnded()
    {
        lock (_gate)
        {
            Status = ConversationStatus.Ended;
        }
    }

    /// <summary>Moves the conversation to <c>ended</c>; false when it already was.</summary>
    public bool TryEnd(ShutdownReason reason, DateTimeOffset now)
    {
        ITimer[] timers;
        lock (_gate)
        {
            if (ShutdownReason is not null || (Status == ConversationStatus.Ended && !TestMode))
            {
                return false;
            }

            Status = ConversationStatus.Ended;
            ShutdownReason = reason;
            UpdatedAt = now;
            timers = [.. _timers];
            _timers.Clear();
        }

        foreach (ITimer t in timers)
        {
            t.Dispose();
        }

        return true;
    }

    public void MarkDeleted()
    {
        lock (_gate)
        {
            Deleted = true;
        }
    }

    public void AddTimer(ITimer timer)
    {
        lock (_gate)
        {
            _timers.Add(timer);
        }
    }

    public void AddEvent(JsonObject record)
    {
        lock (_gate)
        {
            _events.Add(record);
        }
    }

    public JsonArray EventsSnapshot()
    {
        lock (_gate)
        {
            return new JsonArray(_events.Select(e => (JsonNode)e.DeepClone()).ToArray());
        }
    }

    public void AddTranscript(string role, string content)
    {
        lock (_gate)
        {
            _transcript.Add(new TranscriptEntry(role, content));
        }
    }

    public IReadOnlyList<TranscriptEntry> TranscriptSnapshot()
    {
        lock (_gate)
        {
            return [.. _transcript];
        }
    }
}

/// <summary>One line of the conversation transcript (<c>application.transcription_ready</c>, tavus-protocol.md §E).</summary>
internal sealed record TranscriptEntry(string Role, string Content);
