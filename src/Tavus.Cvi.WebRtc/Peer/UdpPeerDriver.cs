using System.Collections.Concurrent;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tavus.Cvi.WebRtc.Diagnostics;
using Tavus.Cvi.WebRtc.Dtls;
using Tavus.Cvi.WebRtc.Ice;

namespace Tavus.Cvi.WebRtc.Peer;

/// <summary>
/// Runs a <see cref="PeerConnectionCore"/> in real time over one UDP socket: one loop thread owns the core (commands,
/// received datagrams and timers all run there, so the core needs no locks), one receive task feeds it datagrams.
/// </summary>
internal sealed class UdpPeerDriver : IAsyncDisposable
{
    /// <summary>Received datagrams handled per loop turn before the core is polled and its output flushed.</summary>
    internal const int MaxBatch = 32;

    // Linux UDP generic segmentation offload (udp(7) UDP_SEGMENT, kernel 4.18+): one send of n equal segments leaves as
    // n datagrams, so a burst of full DTLS records (a congestion window of SCTP packets) costs one system call, one
    // route lookup and one socket-buffer charge instead of one each.
    private const int SolUdp = 17;
    private const int UdpSegment = 103;
    private const int MaxSegments = 32;

    private readonly Socket _socket;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly long _origin;
    private readonly ConcurrentQueue<(byte[] Data, IPEndPoint Source)> _received = new();
    private readonly ConcurrentQueue<Action<TimeSpan>> _work = new();
    private readonly SemaphoreSlim _signal = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Thread _loop;
    private readonly Thread _receiver;
    private PeerConnectionCore? _core;
    private Action<PeerEvent>? _onEvent;
    private int _signaled;
    private int _loopThreadId = -1;
    private IPEndPoint? _lastDestination;
    private SocketAddress? _lastDestinationAddress;
    private bool _offload;
    private int _segmentSize;
    private byte[]? _segments;
    private long _loopTurns;
    private long _datagramsIn;
    private long _datagramsOut;
    private long _segmentedSends;

    public UdpPeerDriver(IPAddress bindAddress, int port, TimeProvider timeProvider, ILoggerFactory? loggerFactory)
    {
        _logger = loggerFactory?.CreateLogger("Tavus.Cvi.WebRtc.Peer") ?? NullLogger.Instance;
        _time = timeProvider;
        _origin = timeProvider.GetTimestamp();
        _socket = new Socket(bindAddress.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        // Large buffers: SCTP bursts a congestion window of datagrams at once on loopback.
        _socket.ReceiveBufferSize = 4 * 1024 * 1024;
        _socket.SendBufferSize = 4 * 1024 * 1024;
        _socket.Bind(new IPEndPoint(bindAddress, port));
        EnableSegmentationOffload();
        LocalEndPoint = (IPEndPoint)_socket.LocalEndPoint!;
        Log.SocketBound(_logger, LocalEndPoint);
        _loop = new Thread(Run) { IsBackground = true, Name = "WebRtc peer loop" };
        // A dedicated blocking receive thread: no thread-pool dispatch per datagram, which under load costs more than
        // the datagram's whole processing.
        _receiver = new Thread(Receive) { IsBackground = true, Name = "WebRtc UDP recv" };
        _receiver.Start();
    }

    public IPEndPoint LocalEndPoint { get; }

    /// <summary>Loop wake-ups, datagrams handed to the core and datagrams sent, for the benchmarks' profile.</summary>
    public (long LoopTurns, long DatagramsIn, long DatagramsOut) Counters =>
        (Interlocked.Read(ref _loopTurns), Interlocked.Read(ref _datagramsIn), Interlocked.Read(ref _datagramsOut));

    /// <summary>Sends that carried several datagrams through UDP segmentation offload.</summary>
    public long SegmentedSends => Interlocked.Read(ref _segmentedSends);

    /// <summary>Monotonic time since the driver started, the clock of the sans-IO core.</summary>
    public TimeSpan Now => _time.GetElapsedTime(_origin);

    /// <summary>Host candidates for the bound socket (RFC 8445 §5.1.1.1), highest preference first.</summary>
    public IReadOnlyList<IceCandidate> HostCandidates(bool includeLoopback, bool includeInterfaces)
    {
        var addresses = new List<IPAddress>();
        var bound = LocalEndPoint.Address;
        if (!bound.Equals(IPAddress.Any) && !bound.Equals(IPAddress.IPv6Any))
        {
            addresses.Add(bound);
        }
        else
        {
            if (includeInterfaces)
            {
                foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
                {
                    if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
                    {
                        continue;
                    }

                    foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
                    {
                        if (unicast.Address.AddressFamily == bound.AddressFamily && !IPAddress.IsLoopback(unicast.Address) && !unicast.Address.IsIPv6LinkLocal)
                        {
                            addresses.Add(unicast.Address);
                        }
                    }
                }
            }

            if (includeLoopback)
            {
                addresses.Add(bound.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Loopback : IPAddress.Loopback);
            }
        }

        var candidates = new List<IceCandidate>();
        for (int i = 0; i < addresses.Count; i++)
        {
            var endPoint = new IPEndPoint(addresses[i], LocalEndPoint.Port);
            candidates.Add(new IceCandidate((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), IceCandidate.ComputePriority(IceCandidateType.Host, 65535 - i), endPoint, IceCandidateType.Host));
        }

        return candidates;
    }

    /// <summary>Starts the loop for <paramref name="core"/>; <paramref name="onEvent"/> runs on the loop thread and must not block.</summary>
    public void Start(PeerConnectionCore core, Action<PeerEvent> onEvent)
    {
        _core = core;
        _onEvent = onEvent;
        _loop.Start();
    }

    /// <summary>Wakes the loop (from any thread): the core has work, for instance DTLS output.</summary>
    public void Wake()
    {
        // The loop polls the core and flushes after every turn, so it never needs to wake itself (the DTLS adapter
        // calls this for each record the loop encrypts).
        if (Environment.CurrentManagedThreadId == _loopThreadId)
        {
            return;
        }

        if (Interlocked.Exchange(ref _signaled, 1) == 0)
        {
            _signal.Release();
        }
    }

    /// <summary>Runs <paramref name="work"/> on the loop thread.</summary>
    public void Post(Action<TimeSpan> work)
    {
        _work.Enqueue(work);
        Wake();
    }

    /// <summary>Runs <paramref name="work"/> on the loop thread and returns its result.</summary>
    public Task<T> InvokeAsync<T>(Func<TimeSpan, T> work)
    {
        var tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(now =>
        {
            try
            {
                tcs.TrySetResult(work(now));
            }
#pragma warning disable CA1031 // The exception goes to the awaiting caller.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                tcs.TrySetException(ex);
            }
        });
        return tcs.Task;
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested)
        {
            return;
        }

        await _stop.CancelAsync().ConfigureAwait(false);
        Wake();
        _socket.Dispose();
        if (Environment.CurrentManagedThreadId != _receiver.ManagedThreadId)
        {
            _receiver.Join(TimeSpan.FromSeconds(5));
        }

        if (_loop.IsAlive && Environment.CurrentManagedThreadId != _loop.ManagedThreadId)
        {
            _loop.Join(TimeSpan.FromSeconds(5));
        }

        _stop.Dispose();
    }

    private void Receive()
    {
        var buffer = new byte[65536];
        var family = LocalEndPoint.AddressFamily;
        var template = new IPEndPoint(family == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);

        // The SocketAddress overload fills a reused address instead of allocating an endpoint per datagram; the
        // endpoint object is made again only when the source changes (a bulk transfer has one source).
        var address = new SocketAddress(family, SocketAddress.GetMaximumAddressSize(family));
        SocketAddress? lastAddress = null;
        IPEndPoint? lastSource = null;
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                int n = _socket.ReceiveFrom(buffer, SocketFlags.None, address);
                if (lastSource is null || !address.Equals(lastAddress))
                {
                    lastSource = (IPEndPoint)template.Create(address);
                    lastAddress = lastSource.Serialize();
                }

                _received.Enqueue((buffer.AsSpan(0, n).ToArray(), lastSource));
                Wake();
            }
            catch (SocketException ex) when (!_stop.IsCancellationRequested && ex.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset or SocketError.MessageSize)
            {
                // ICMP port unreachable (errno 111) surfaces on the next receive; it says nothing about other peers.
                Log.ReceiveErrorIgnored(_logger, ex.SocketErrorCode);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
                return;
            }
        }
    }

    private void Run()
    {
        _loopThreadId = Environment.CurrentManagedThreadId;
        var core = _core!;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                Volatile.Write(ref _signaled, 0);
                Interlocked.Increment(ref _loopTurns);
                var now = Now;
                while (_work.TryDequeue(out var work))
                {
                    work(now);
                }

                // A batch of datagrams, then one Poll: SCTP answers the whole batch with one SACK and the replies go out
                // in one flush. The bound keeps acknowledgements flowing to the sender (RFC 9260 §6.2 wants one at
                // least every second packet; under load the batch is the unit the receiver can acknowledge at once).
                int batch = 0;
                while (batch++ < MaxBatch && _received.TryDequeue(out var datagram))
                {
                    Interlocked.Increment(ref _datagramsIn);
                    try
                    {
                        core.HandleDatagram(datagram.Data, datagram.Source, now);
                    }
                    catch (InvalidOperationException ex)
                    {
                        // One bad datagram must not stop the loop; the layers report their own failures as events.
                        Log.DatagramFailed(_logger, ex);
                    }
                }

                now = Now;
                TimeSpan? handled = null;
                if (core.NextDeadline is { } due && due <= now)
                {
                    core.HandleTimeout(now);
                    handled = due;
                }
                else
                {
                    core.Poll(now);
                }

                Flush(core);
                if (!_work.IsEmpty || !_received.IsEmpty)
                {
                    continue;
                }

                int wait = Timeout.Infinite;
                if (core.NextDeadline is { } next)
                {
                    wait = (int)Math.Clamp(Math.Ceiling((next - Now).TotalMilliseconds), 0, int.MaxValue);

                    // A deadline the layers did not move when handled would otherwise spin this thread at 100 % CPU.
                    if (wait == 0 && next == handled)
                    {
                        wait = 1;
                    }
                }

                if (wait != 0)
                {
                    _signal.Wait(wait);
                }
            }
        }
#pragma warning disable CA1031 // The loop must report and stop, never crash the process.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.LoopFailed(_logger, ex);
            _onEvent!(new PeerEvent.StateChanged(RtcPeerConnectionState.Failed));
        }
    }

    /// <summary>
    /// Sends <paramref name="first"/> and the transmits queued behind it for the same destination as one offloaded
    /// send: segments of <paramref name="first"/>'s length, then at most one shorter last one (udp(7) UDP_SEGMENT).
    /// </summary>
    private void SendSegments(PeerConnectionCore core, IceTransmit first)
    {
        int segment = first.Data.Length;
        var buffer = _segments ??= new byte[MaxSegments * DtlsEndpoint.DatagramLimit];
        int length = 0;
        int count = 0;
        var t = first;
        while (true)
        {
            t.Data.CopyTo(buffer, length);
            length += t.Data.Length;
            count++;
            if (t.Data.Length < segment || count == MaxSegments
                || !core.TryPeekTransmit(out var next) || !next.Destination.Equals(first.Destination) || next.Data.Length > segment)
            {
                break;
            }

            core.TryPollTransmit(out t);
        }

        if (count > 1 && SetSegmentSize(segment))
        {
            try
            {
                _socket.SendTo(buffer.AsSpan(0, length), SocketFlags.None, _lastDestinationAddress!);
                Interlocked.Add(ref _datagramsOut, count);
                Interlocked.Increment(ref _segmentedSends);
                return;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is not (SocketError.ConnectionRefused or SocketError.ConnectionReset or SocketError.HostUnreachable or SocketError.NetworkUnreachable))
            {
                // The path refused offload (EIO or EINVAL, e.g. a device without checksum offload): these go out one
                // by one below, and so does everything after.
                DisableSegmentationOffload("the path refused a segmented send", ex.SocketErrorCode);
            }
        }

        for (int at = 0; at < length; at += segment)
        {
            _socket.SendTo(buffer.AsSpan(at, Math.Min(segment, length - at)), SocketFlags.None, _lastDestinationAddress!);
            Interlocked.Increment(ref _datagramsOut);
        }
    }

    /// <summary>Probes once whether the socket accepts UDP_SEGMENT (Linux 4.18+); elsewhere every datagram is one send.</summary>
    private void EnableSegmentationOffload()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        try
        {
            _socket.SetRawSocketOption(SolUdp, UdpSegment, BitConverter.GetBytes(0));
            _offload = true;
        }
        catch (SocketException ex)
        {
            Log.SegmentationOffloadOff(_logger, "the socket refused UDP_SEGMENT", ex.SocketErrorCode);
        }
    }

    /// <summary>
    /// Sets the socket-wide segment size (0: none). It applies to every send, so it is changed before a run of another
    /// length and cleared before a lone datagram longer than it, which it would otherwise split.
    /// </summary>
    private bool SetSegmentSize(int size)
    {
        if (!_offload)
        {
            return false;
        }

        if (_segmentSize != size)
        {
            try
            {
                _socket.SetRawSocketOption(SolUdp, UdpSegment, BitConverter.GetBytes(size));
                _segmentSize = size;
            }
            catch (SocketException ex)
            {
                DisableSegmentationOffload("the socket refused the segment size", ex.SocketErrorCode);
                return false;
            }
        }

        return true;
    }

    private void DisableSegmentationOffload(string reason, SocketError error)
    {
        _offload = false;
        _segmentSize = 0;
        Log.SegmentationOffloadOff(_logger, reason, error);
        try
        {
            _socket.SetRawSocketOption(SolUdp, UdpSegment, BitConverter.GetBytes(0));
        }
        catch (SocketException)
        {
            // Nothing more to undo: the next datagrams go out one by one anyway.
        }
    }

    private void Flush(PeerConnectionCore core)
    {
        while (core.TryPollTransmit(out var t))
        {
            try
            {
                // Serialize the destination once per change, not once per datagram as SendTo(EndPoint) does.
                if (!t.Destination.Equals(_lastDestination))
                {
                    _lastDestination = t.Destination;
                    _lastDestinationAddress = t.Destination.Serialize();
                }

                if (_offload && t.Data.Length <= DtlsEndpoint.DatagramLimit && core.TryPeekTransmit(out var next)
                    && next.Destination.Equals(t.Destination) && next.Data.Length <= t.Data.Length)
                {
                    SendSegments(core, t);
                    continue;
                }

                if (_segmentSize != 0 && t.Data.Length > _segmentSize)
                {
                    SetSegmentSize(0);
                }

                _socket.SendTo(t.Data, SocketFlags.None, _lastDestinationAddress!);
                Interlocked.Increment(ref _datagramsOut);
            }
            catch (SocketException ex)
            {
                Log.SendFailed(_logger, t.Destination, ex.SocketErrorCode);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }

        while (core.TryPollEvent(out var evt))
        {
            _onEvent!(evt!);
        }
    }
}
