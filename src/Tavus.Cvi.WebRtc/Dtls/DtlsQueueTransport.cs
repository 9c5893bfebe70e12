using System.Collections.Concurrent;
using Org.BouncyCastle.Tls;

namespace Tavus.Cvi.WebRtc.Dtls;

/// <summary>
/// The datagram transport BouncyCastle's blocking DTLS engine runs on: received datagrams come from a queue the
/// sans-IO core fills, sent ones go to a queue the core drains. <see cref="Receive(byte[], int, int, int)"/> returns
/// -1 on timeout because BouncyCastle retransmits its handshake flights from inside that loop. With a
/// <see cref="DtlsLockstep"/> (simulation), the handshake's reads and timeouts go through it instead.
/// </summary>
// CA1001: the queue and token outlive Close() on purpose: BouncyCastle's thread may still be inside Receive, and
// neither holds an unmanaged resource once no one waits on it.
#pragma warning disable CA1001
internal sealed class DtlsQueueTransport(int datagramLimit, Action<byte[]> send, DtlsLockstep? lockstep = null) : DatagramTransport
{
    private readonly BlockingCollection<byte[]> _inbound = new(new ConcurrentQueue<byte[]>(), 1024);
    private readonly CancellationTokenSource _closed = new();
    private readonly List<byte[]> _released = new(2);
    private volatile DtlsEarlyChangeCipherSpecGuard? _guard = new();
    private int _receiveLimit = MinReceiveLimit;

    /// <summary>
    /// The receive limit while no larger datagram has arrived: above the 1200-byte datagrams WebRTC stacks send
    /// (RFC 8261 §5 keeps SCTP packets under the path MTU), with room for a 1500-byte Ethernet MTU.
    /// </summary>
    public const int MinReceiveLimit = 2048;

    public void Deliver(byte[] datagram)
    {
        if (_closed.IsCancellationRequested)
        {
            return;
        }

        var guard = _guard;
        if (guard is null)
        {
            DeliverNow(datagram);
            return;
        }

        _released.Clear();
        guard.Admit(datagram, _released);
        foreach (byte[] released in _released)
        {
            DeliverNow(released);
        }
    }

    /// <summary>The handshake completed: no ChangeCipherSpec is held back any more (see <see cref="DtlsEarlyChangeCipherSpecGuard"/>).</summary>
    public void HandshakeCompleted() => _guard = null;

    private void DeliverNow(byte[] datagram)
    {
        // BouncyCastle allocates a record buffer of GetReceiveLimit() bytes on every Receive call, so the limit follows
        // the largest datagram seen instead of a fixed 64 KiB (which cost 64 KiB of garbage per datagram). It is raised
        // before the datagram is queued, so BouncyCastle never reads one into a buffer too small for it.
        int limit = Volatile.Read(ref _receiveLimit);
        while (datagram.Length > limit)
        {
            int seen = Interlocked.CompareExchange(ref _receiveLimit, datagram.Length, limit);
            limit = seen == limit ? datagram.Length : seen;
        }

        if (lockstep is not null && lockstep.Deliver(datagram))
        {
            return;
        }

        // Drop rather than block the core when BouncyCastle falls behind: DTLS and SCTP recover from loss.
        _ = _inbound.TryAdd(datagram);
    }

    /// <summary>Datagrams delivered and not yet read by BouncyCastle.</summary>
    public int PendingCount => _inbound.Count;

    public int GetReceiveLimit() => Volatile.Read(ref _receiveLimit);

    public int GetSendLimit() => datagramLimit;

    public int Receive(byte[] buf, int off, int len, int waitMillis) => Receive(buf.AsSpan(off, len), waitMillis);

    public int Receive(Span<byte> buffer, int waitMillis)
    {
        if (lockstep is not null && lockstep.IsHandshaking)
        {
            return lockstep.Receive(buffer, waitMillis);
        }

        byte[]? datagram;
        try
        {
            if (!_inbound.TryTake(out datagram, Math.Max(0, waitMillis), _closed.Token))
            {
                return -1;
            }
        }
        catch (OperationCanceledException)
        {
            // Not TlsTimeoutException: BouncyCastle takes that for a timeout, retransmits and calls again, so a closed
            // endpoint's handshake thread would spin forever. An IOException ends the handshake (DtlsEndpoint.Run).
            throw new IOException("The DTLS transport was closed.");
        }

        int n = Math.Min(datagram.Length, buffer.Length);
        datagram.AsSpan(0, n).CopyTo(buffer);
        return n;
    }

    public void Send(byte[] buf, int off, int len) => Send(buf.AsSpan(off, len));

    public void Send(ReadOnlySpan<byte> buffer)
    {
        if (!_closed.IsCancellationRequested)
        {
            lockstep?.Sent();
            send(buffer.ToArray());
        }
    }

    public void Close()
    {
        lockstep?.Close();
        if (!_closed.IsCancellationRequested)
        {
            _closed.Cancel();
        }
    }
}
#pragma warning restore CA1001
