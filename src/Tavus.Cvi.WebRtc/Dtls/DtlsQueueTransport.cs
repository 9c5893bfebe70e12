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

    public void Deliver(byte[] datagram)
    {
        if (lockstep is not null && lockstep.Deliver(datagram))
        {
            return;
        }

        // Drop rather than block the core when BouncyCastle falls behind: DTLS and SCTP recover from loss.
        _ = !_closed.IsCancellationRequested && _inbound.TryAdd(datagram);
    }

    /// <summary>Datagrams delivered and not yet read by BouncyCastle.</summary>
    public int PendingCount => _inbound.Count;

    public int GetReceiveLimit() => 1 << 16;

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
            throw new TlsTimeoutException("The DTLS transport was closed.");
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
