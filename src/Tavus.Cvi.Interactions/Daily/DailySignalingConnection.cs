using System.Net.WebSockets;
using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.Interactions.Daily;

/// <summary>The reply to a soup request (daily-protocol.md §6).</summary>
internal readonly record struct DailySoupReply(bool Failed);

/// <summary>
/// One signaling WebSocket and what belongs to it: its send lock, heartbeat bookkeeping, the pending <c>sig-ack</c> of
/// its join and its pending soup requests. A reconnect makes a new one; the old one is retired and its frames ignored.
/// </summary>
internal sealed class DailySignalingConnection : IDisposable
{
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Dictionary<string, TaskCompletionSource<DailySoupReply>> _pendingSoup = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _closed = new();
    private int _disposed;

    public DailySignalingConnection(ClientWebSocket socket, int generation, long openedTimestamp)
    {
        Socket = socket;
        Generation = generation;
        LastReceivedTimestamp = openedTimestamp;
    }

    public ClientWebSocket Socket { get; }

    public int Generation { get; }

    /// <summary>Completes with the first <c>sig-ack</c> on this socket (the end of the signaling join).</summary>
    public TaskCompletionSource SigAck { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Cancelled when the socket ends, so everything waiting on it stops.</summary>
    public CancellationToken ClosedToken => _closed.Token;

    /// <summary>Set (under the transport's lock) when the transport stops using this connection.</summary>
    public bool Retired { get; set; }

    /// <summary>Set when the receive loop ended.</summary>
    public bool Ended { get; set; }

    public long LastReceivedTimestamp { get; set; }

    /// <summary>Whether a heartbeat went out after the last received frame (§4.5 stale rule).</summary>
    public bool HeartbeatSinceReceive { get; set; }

    public ITimer? HeartbeatTimer { get; set; }

    public Task? ReceiveLoop { get; set; }

    public async Task SendAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken)
    {
        // ClientWebSocket allows one send at a time.
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            await Socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public TaskCompletionSource<DailySoupReply> AddPendingSoup(string id)
    {
        var tcs = new TaskCompletionSource<DailySoupReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_pendingSoup)
        {
            _pendingSoup[id] = tcs;
        }

        return tcs;
    }

    public void RemovePendingSoup(string id)
    {
        lock (_pendingSoup)
        {
            _pendingSoup.Remove(id);
        }
    }

    public bool CompleteSoup(string id, DailySoupReply reply)
    {
        TaskCompletionSource<DailySoupReply>? tcs;
        lock (_pendingSoup)
        {
            if (!_pendingSoup.Remove(id, out tcs))
            {
                return false;
            }
        }

        return tcs.TrySetResult(reply);
    }

    /// <summary>Marks the socket ended: fails the pending join and soup requests (§4.10: pending soup is cancelled on close).</summary>
    public void Fail(Exception reason)
    {
        SigAck.TrySetException(reason);
        List<TaskCompletionSource<DailySoupReply>> pending;
        lock (_pendingSoup)
        {
            pending = [.. _pendingSoup.Values];
            _pendingSoup.Clear();
        }

        foreach (var tcs in pending)
        {
            tcs.TrySetException(reason);
        }

        _closed.Cancel();
    }

    /// <summary>Drops the socket at once (no close handshake).</summary>
    public void Abort()
    {
        HeartbeatTimer?.Dispose();
        Fail(new CviConnectionException(CviConnectionFailure.Network, "The signaling connection was closed."));
        Socket.Abort();
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        // The semaphore and the token source stay usable (a late waiter gets a socket error, not a disposed lock); they
        // hold no unmanaged resources.
        HeartbeatTimer?.Dispose();
        Socket.Dispose();
    }
}
