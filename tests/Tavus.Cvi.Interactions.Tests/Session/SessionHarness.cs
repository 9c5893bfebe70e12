using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Tavus.Cvi.Interactions.Session;
using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.Interactions.Tests.Session;

/// <summary>A room with a replica peer and a client session over the in-memory transport, on a fake clock.</summary>
internal sealed class SessionHarness : IAsyncDisposable
{
    // A hang guard, not a timing assertion: generous so a loaded CI machine never trips it.
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    public const string ConversationId = "c123";

    private SessionHarness(InMemoryRoom room, InMemoryTransport replica, CviSession session, FakeTimeProvider time)
    {
        Room = room;
        Replica = replica;
        Session = session;
        Time = time;
    }

    public InMemoryRoom Room { get; }

    public InMemoryTransport Replica { get; }

    public CviSession Session { get; }

    public FakeTimeProvider Time { get; }

    public static async Task<SessionHarness> StartAsync(
        Action<CviSessionOptions>? configure = null, int maxMessageSize = InMemoryRoom.DefaultMaxMessageSize,
        Action<CviSession>? beforeStart = null)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero));
        var room = new InMemoryRoom(maxMessageSize);
        var replica = room.CreateReplicaTransport();
        await replica.JoinAsync();
        var options = new CviSessionOptions { TimeProvider = time };
        configure?.Invoke(options);
        var session = new CviSession(room.CreateTransport("client"), ConversationId, options);
        beforeStart?.Invoke(session);
        await session.StartAsync();
        return new SessionHarness(room, replica, session, time);
    }

    /// <summary>The replica sends a raw message to everyone.</summary>
    public ValueTask SendFromReplicaAsync(string json) => Replica.SendAsync(json);

    /// <summary>The next message the client put on the wire, as text.</summary>
    public async Task<string> NextSentAsync()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var message = await Replica.ReceiveAppMessageAsync(cts.Token);
        message.Should().NotBeNull("the client should have sent a message");
        return System.Text.Encoding.UTF8.GetString(message!.Payload.Span);
    }

    public async Task<JsonElement> NextSentJsonAsync()
    {
        using var document = JsonDocument.Parse(await NextSentAsync());
        return document.RootElement.Clone();
    }

    /// <summary>The messages the client sent so far (from the room's record).</summary>
    public IReadOnlyList<string> SentByClient() =>
        Room.Messages.Where(m => m.SenderId != Replica.ParticipantId).Select(m => m.Text).ToList();

    public async ValueTask DisposeAsync()
    {
        await Session.DisposeAsync();
        await Replica.DisposeAsync();
    }
}

internal static class TaskTimeoutExtensions
{
    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(SessionHarness.Timeout);

    public static Task Within(this Task task) => task.WaitAsync(SessionHarness.Timeout);
}

/// <summary>Collects what a C# event delivers, with a way to await a count.</summary>
internal sealed class Collector<T>
{
    private readonly List<T> _items = [];
    private readonly Lock _gate = new();
    private readonly List<(int Count, TaskCompletionSource Done)> _waiters = [];

    public void Add(T item)
    {
        lock (_gate)
        {
            _items.Add(item);
            foreach (var (count, done) in _waiters)
            {
                if (_items.Count >= count) done.TrySetResult();
            }
        }
    }

    public IReadOnlyList<T> Items
    {
        get { lock (_gate) { return [.. _items]; } }
    }

    public Task WaitForCountAsync(int count)
    {
        lock (_gate)
        {
            if (_items.Count >= count) return Task.CompletedTask;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, done));
            return done.Task.WaitAsync(SessionHarness.Timeout);
        }
    }
}
