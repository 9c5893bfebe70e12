using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tavus.Cvi.WebRtc.Diagnostics;

namespace Tavus.Cvi.WebRtc.Sctp;

/// <summary>
/// A sans-IO SCTP association as WebRTC data channels need it (RFC 9260, 8261, 3758, 6525, 8831): no sockets, threads
/// or clocks inside. Feed it packets (<see cref="HandlePacket"/>) and timeouts (<see cref="HandleTimeout"/>) with the
/// current monotonic time, then drain <see cref="TryPollTransmit"/> (packets for DTLS) and <see cref="TryPollEvent"/>,
/// and call <see cref="HandleTimeout"/> again at <see cref="NextDeadline"/>.
/// </summary>
/// <remarks>
/// Not thread-safe: one caller drives it. Packets are produced lazily by <see cref="TryPollTransmit"/>, so several
/// <see cref="Send"/> calls before polling share packets; read <see cref="NextDeadline"/> after draining transmits.
/// </remarks>
public sealed partial class SctpAssociation
{
    private const int DataChunkHeaderSize = 16;
    private const int MaxDuplicatesReported = 32;

    private readonly SctpAssociationOptions _options;
    private readonly Random? _random;
    private readonly ILogger _logger;
    private readonly byte[] _cookieKey = new byte[32];
    private readonly Queue<byte[]> _transmitQueue = new();
    private readonly Queue<SctpEvent> _events = new();
    private readonly List<(uint Tag, byte[] Chunk)> _control = [];
    private readonly SctpPacketBuilder _builder;
    private readonly int _maxFragment;

    private SctpAssociationState _state;
    private bool _used;
    private TimeSpan _now;
    private uint _localTag;
    private uint _peerTag;
    private uint _localInitialTsn;
    private uint _peerInitialTsn;
    private ushort _outboundStreams;
    private ushort _inboundStreams;
    private bool _peerForwardTsn;
    private bool _peerReconfig;
    private int _errorCount;

    // T1-init / T1-cookie (RFC 9260 §5.1).
    private TimeSpan? _t1Deadline;
    private TimeSpan _t1Rto;
    private int _t1Count;
    private byte[]? _t1Chunk;

    // T2-shutdown (RFC 9260 §9.2).
    private TimeSpan? _t2Deadline;
    private TimeSpan _t2Rto;

    // HEARTBEAT (RFC 9260 §8.3).
    private TimeSpan? _heartbeatDeadline;
    private ulong _heartbeatNonce;
    private bool _heartbeatOutstanding;

    // Statistics.
    private long _packetsSent;
    private long _packetsReceived;
    private long _packetsDropped;
    private long _retransmissions;
    private long _fastRetransmissions;
    private long _retransmissionTimeouts;
    private long _messagesAbandoned;
    private long _messagesReceived;
    private long _messagesSent;

    /// <summary>Creates an association in the <see cref="SctpAssociationState.Closed"/> state.</summary>
    /// <param name="options">Ports, MTU, windows and timers.</param>
    public SctpAssociation(SctpAssociationOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Mtu, 256, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxMessageSize, 1, nameof(options));
        ArgumentOutOfRangeException.ThrowIfLessThan(options.ReceiveWindow, 1500, nameof(options));
        _options = options;
        _random = options.Random;
        _logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<SctpAssociation>();
        FillRandom(_cookieKey);
        _builder = new SctpPacketBuilder(options.Mtu, options.LocalPort, options.RemotePort, _transmitQueue);

        // A DATA chunk is padded to 4 bytes and must fit in one packet after the common header.
        _maxFragment = ((options.Mtu - SctpPacketBuilder.CommonHeaderSize) & ~3) - DataChunkHeaderSize;
        _rto = options.RtoInitial;
        _t1Rto = options.RtoInitial;
        _cwnd = InitialCwnd();
    }

    /// <summary>Current state (RFC 9260 §4).</summary>
    public SctpAssociationState State => _state;

    /// <summary>Streams this side may send on, once established.</summary>
    public int OutboundStreams => _outboundStreams;

    /// <summary>Streams the peer may send on, once established.</summary>
    public int InboundStreams => _inboundStreams;

    /// <summary>Largest message <see cref="Send"/> accepts.</summary>
    public int MaxMessageSize => _options.MaxMessageSize;

    /// <summary>The earliest time <see cref="HandleTimeout"/> must be called, or null when no timer runs.</summary>
    public TimeSpan? NextDeadline
    {
        get
        {
            TimeSpan? next = null;
            Min(ref next, _t1Deadline);
            Min(ref next, _t2Deadline);
            Min(ref next, _t3Deadline);
            Min(ref next, _delayedSackDeadline);
            Min(ref next, _reconfigDeadline);
            Min(ref next, _heartbeatDeadline);
            return next;

            static void Min(ref TimeSpan? acc, TimeSpan? value)
            {
                if (value is { } v && (acc is null || v < acc.Value))
                {
                    acc = v;
                }
            }
        }
    }

    /// <summary>A snapshot of counters and congestion state.</summary>
    public SctpAssociationStatistics Statistics => new()
    {
        PacketsSent = _packetsSent,
        PacketsReceived = _packetsReceived,
        PacketsDropped = _packetsDropped,
        Retransmissions = _retransmissions,
        FastRetransmissions = _fastRetransmissions,
        RetransmissionTimeouts = _retransmissionTimeouts,
        MessagesAbandoned = _messagesAbandoned,
        MessagesReceived = _messagesReceived,
        MessagesSent = _messagesSent,
        CongestionWindow = _cwnd,
        RetransmissionTimeout = _rto,
        SmoothedRoundTripTime = _srttMs is { } srtt ? TimeSpan.FromMilliseconds(srtt) : null,
    };

    /// <summary>
    /// Starts the association by sending INIT (RFC 9260 §5.1). Both sides may call it: an INIT collision resolves into
    /// one association (§5.2.1). Without it the association still answers a peer's INIT.
    /// </summary>
    /// <param name="now">Current monotonic time.</param>
    public void Connect(TimeSpan now)
    {
        _now = now;
        if (_state != SctpAssociationState.Closed || _used)
        {
            return;
        }

        _used = true;
        _localTag = NextNonZeroUInt32();
        _localInitialTsn = NextUInt32();
        _t1Chunk = BuildInitChunk(SctpChunkType.Init, _localTag, _localInitialTsn, cookie: null, unrecognized: null);
        QueueControl((0, _t1Chunk));
        _t1Rto = _options.RtoInitial;
        _t1Count = 0;
        _t1Deadline = now + _t1Rto;
        SetState(SctpAssociationState.CookieWait);
    }

    /// <summary>
    /// Processes one SCTP packet received from DTLS. Malformed or foreign packets are dropped and counted
    /// (<see cref="SctpAssociationStatistics.PacketsDropped"/>); this never throws on bad input.
    /// </summary>
    /// <param name="packet">The packet, common header included.</param>
    /// <param name="now">Current monotonic time.</param>
    public void HandlePacket(ReadOnlySpan<byte> packet, TimeSpan now)
    {
        _now = now;
        _packetsReceived++;
        if (packet.Length < SctpPacketBuilder.CommonHeaderSize + 4)
        {
            Drop("too short");
            return;
        }

        ushort sourcePort = BinaryPrimitives.ReadUInt16BigEndian(packet);
        ushort destinationPort = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        uint tag = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        uint checksum = BinaryPrimitives.ReadUInt32LittleEndian(packet[8..]);
        if (sourcePort != _options.RemotePort || destinationPort != _options.LocalPort)
        {
            Drop("wrong ports");
            return;
        }

        if (checksum != Crc32c.ComputePacketChecksum(packet))
        {
            Drop("bad checksum");
            return;
        }

        ReadOnlySpan<byte> chunks = packet[SctpPacketBuilder.CommonHeaderSize..];
        bool first = true;
        bool dataSeen = false;
        bool immediateSack = false;
        while (chunks.Length >= 4)
        {
            byte type = chunks[0];
            byte flags = chunks[1];
            int length = BinaryPrimitives.ReadUInt16BigEndian(chunks[2..]);
            if (length < 4 || length > chunks.Length)
            {
                Drop("bad chunk length");
                break;
            }

            ReadOnlySpan<byte> chunk = chunks[..length];
            ReadOnlySpan<byte> value = chunk[4..];
            int padded = (length + 3) & ~3;
            chunks = padded >= chunks.Length ? [] : chunks[padded..];

            if (!TagAccepted((SctpChunkType)type, flags, tag, first, chunks.IsEmpty))
            {
                Drop("verification tag mismatch");
                break;
            }

            first = false;
            bool stop = false;
            switch ((SctpChunkType)type)
            {
                case SctpChunkType.Data:
                    if (IsReceivingState())
                    {
                        dataSeen = true;
                        immediateSack |= (flags & 0x08) != 0;
                        HandleData(flags, value);
                    }

                    break;
                case SctpChunkType.Init:
                    HandleInit(value);
                    break;
                case SctpChunkType.InitAck:
                    HandleInitAck(value);
                    break;
                case SctpChunkType.Sack:
                    HandleSack(value);
                    break;
                case SctpChunkType.Heartbeat:
                    HandleHeartbeat(chunk);
                    break;
                case SctpChunkType.HeartbeatAck:
                    HandleHeartbeatAck(value);
                    break;
                case SctpChunkType.Abort:
                    HandleAbort(value);
                    stop = true;
                    break;
                case SctpChunkType.Shutdown:
                    HandleShutdown(value);
                    break;
                case SctpChunkType.ShutdownAck:
                    HandleShutdownAck();
                    break;
                case SctpChunkType.Error:
                    HandleError(value);
                    break;
                case SctpChunkType.CookieEcho:
                    stop = !HandleCookieEcho(value, tag);
                    break;
                case SctpChunkType.CookieAck:
                    HandleCookieAck();
                    break;
                case SctpChunkType.ShutdownComplete:
                    HandleShutdownComplete();
                    break;
                case SctpChunkType.ReConfig:
                    HandleReConfig(value);
                    break;
                case SctpChunkType.ForwardTsn:
                    HandleForwardTsn(value);
                    break;
                default:
                    stop = HandleUnknownChunk(type, chunk);
                    break;
            }

            if (stop || _state == SctpAssociationState.Closed && _used)
            {
                break;
            }
        }

        if (dataSeen)
        {
            AfterDataReceived(immediateSack);
        }

        AfterInput();
    }

    /// <summary>Takes the next SCTP packet to hand to DTLS (each at most <see cref="SctpAssociationOptions.Mtu"/> bytes).</summary>
    /// <param name="packet">The packet, when one is ready.</param>
    /// <returns>False when there is nothing to send now.</returns>
    public bool TryPollTransmit([NotNullWhen(true)] out byte[]? packet)
    {
        if (_transmitQueue.Count == 0)
        {
            Flush();
        }

        if (_transmitQueue.TryDequeue(out packet))
        {
            _packetsSent++;
            return true;
        }

        return false;
    }

    /// <summary>Takes the next event (established, message, stream reset, buffered amount low, closed).</summary>
    /// <param name="evt">The event, when there is one.</param>
    /// <returns>False when there is none.</returns>
    public bool TryPollEvent([NotNullWhen(true)] out SctpEvent? evt) => _events.TryDequeue(out evt);

    /// <summary>Runs the timers due at <paramref name="now"/> (T1, T2, T3-rtx, delayed SACK, RE-CONFIG, HEARTBEAT).</summary>
    /// <param name="now">Current monotonic time.</param>
    public void HandleTimeout(TimeSpan now)
    {
        _now = now;
        if (_t1Deadline is { } t1 && now >= t1)
        {
            OnT1Timeout(now);
        }

        if (_t2Deadline is { } t2 && now >= t2)
        {
            OnT2Timeout(now);
        }

        if (_t3Deadline is { } t3 && now >= t3)
        {
            OnT3Timeout(now);
        }

        if (_delayedSackDeadline is { } ds && now >= ds)
        {
            _delayedSackDeadline = null;
            _sackNeeded = true;
        }

        if (_reconfigDeadline is { } rc && now >= rc)
        {
            OnReconfigTimeout(now);
        }

        if (_heartbeatDeadline is { } hb && now >= hb)
        {
            OnHeartbeatTimeout(now);
        }

        AfterInput();
    }

    /// <summary>Starts a graceful SHUTDOWN once everything queued is delivered (RFC 9260 §9.2).</summary>
    /// <param name="now">Current monotonic time.</param>
    public void Close(TimeSpan now)
    {
        _now = now;
        switch (_state)
        {
            case SctpAssociationState.Established:
                SetState(SctpAssociationState.ShutdownPending);
                CheckShutdownProgress();
                break;
            case SctpAssociationState.CookieWait:
            case SctpAssociationState.CookieEchoed:
                Abort(now);
                break;
            default:
                break;
        }
    }

    /// <summary>Ends the association at once with ABORT (RFC 9260 §9.1); queued data is discarded.</summary>
    /// <param name="now">Current monotonic time.</param>
    public void Abort(TimeSpan now)
    {
        _now = now;
        if (_state == SctpAssociationState.Closed)
        {
            return;
        }

        AbortInternal("aborted locally", sendAbort: true);
    }

    private void AfterInput()
    {
        CheckShutdownProgress();
    }

    private bool TagAccepted(SctpChunkType type, byte flags, uint tag, bool first, bool last)
    {
        // RFC 9260 §8.5 and §8.5.1: which verification tag each chunk must carry.
        switch (type)
        {
            case SctpChunkType.Init:
                // INIT must be alone in its packet with tag 0.
                return first && last && tag == 0;
            case SctpChunkType.Abort:
            case SctpChunkType.ShutdownComplete:
                return (flags & 1) != 0 ? tag == _peerTag && _peerTag != 0 : tag == _localTag && _localTag != 0;
            case SctpChunkType.CookieEcho:
                // Checked against the tag inside the cookie (§5.1.5).
                return first;
            default:
                return tag == _localTag && _localTag != 0;
        }
    }

    private bool HandleUnknownChunk(byte type, ReadOnlySpan<byte> chunk)
    {
        // RFC 9260 §3.2: the two high bits of the type say what to do with a chunk we do not know.
        int action = type >> 6;
        Log.SctpChunkIgnored(_logger, type, "unrecognized");
        if ((action & 1) != 0 && _peerTag != 0 && _state != SctpAssociationState.Closed)
        {
            int length = Math.Min(chunk.Length, _builder.MaxChunkSize - 8 - 4);
            byte[] error = new byte[4 + 4 + length];
            error[0] = (byte)SctpChunkType.Error;
            BinaryPrimitives.WriteUInt16BigEndian(error.AsSpan(2), (ushort)error.Length);
            BinaryPrimitives.WriteUInt16BigEndian(error.AsSpan(4), 6);
            BinaryPrimitives.WriteUInt16BigEndian(error.AsSpan(6), (ushort)(4 + length));
            chunk[..length].CopyTo(error.AsSpan(8));
            QueueControl((_peerTag, error));
        }

        return (action & 2) == 0;
    }

    private void HandleError(ReadOnlySpan<byte> value)
    {
        while (value.Length >= 4)
        {
            ushort cause = BinaryPrimitives.ReadUInt16BigEndian(value);
            int length = BinaryPrimitives.ReadUInt16BigEndian(value[2..]);
            Log.SctpPeerError(_logger, cause);
            if (cause == 3 && _state == SctpAssociationState.CookieEchoed)
            {
                // Stale cookie (RFC 9260 §5.2.6): start over with a fresh INIT.
                _t1Chunk = BuildInitChunk(SctpChunkType.Init, _localTag, _localInitialTsn, cookie: null, unrecognized: null);
                QueueControl((0, _t1Chunk));
                _t1Deadline = _now + _t1Rto;
                SetState(SctpAssociationState.CookieWait);
            }

            int padded = (length + 3) & ~3;
            if (length < 4 || padded >= value.Length)
            {
                break;
            }

            value = value[padded..];
        }
    }

    private void HandleAbort(ReadOnlySpan<byte> value)
    {
        if (_state == SctpAssociationState.Closed)
        {
            return;
        }

        string reason = "aborted by peer";
        if (value.Length >= 4)
        {
            reason = $"aborted by peer (cause {BinaryPrimitives.ReadUInt16BigEndian(value)})";
        }

        AbortInternal(reason, sendAbort: false);
    }

    private void AbortInternal(string reason, bool sendAbort, ushort cause = 12)
    {
        if (sendAbort && _peerTag != 0)
        {
            // User-Initiated Abort (12) or Protocol Violation (13) cause (RFC 9260 §3.3.10.12, §3.3.10.13).
            byte[] abort = new byte[8];
            abort[0] = (byte)SctpChunkType.Abort;
            BinaryPrimitives.WriteUInt16BigEndian(abort.AsSpan(2), 8);
            BinaryPrimitives.WriteUInt16BigEndian(abort.AsSpan(4), cause);
            BinaryPrimitives.WriteUInt16BigEndian(abort.AsSpan(6), 4);
            _control.Clear();
            QueueControl((_peerTag, abort));
        }

        Log.SctpAborted(_logger, reason);
        EnterClosed(new SctpAssociationClosed(true, reason));
    }

    private void EnterClosed(SctpAssociationClosed evt)
    {
        _used = true;
        SetState(SctpAssociationState.Closed);
        _t1Deadline = null;
        _t2Deadline = null;
        _t3Deadline = null;
        _delayedSackDeadline = null;
        _reconfigDeadline = null;
        _heartbeatDeadline = null;
        _sackNeeded = false;
        _forwardTsnPending = false;
        ClearQueued();
        _events.Enqueue(evt);
    }

    private void SetState(SctpAssociationState state)
    {
        if (_state != state)
        {
            Log.SctpStateChanged(_logger, _state, state);
            _state = state;
        }
    }

    private void Drop(string reason)
    {
        _packetsDropped++;
        Log.SctpPacketDropped(_logger, reason);
    }

    private bool IsReceivingState() => _state is SctpAssociationState.Established or SctpAssociationState.ShutdownPending
        or SctpAssociationState.ShutdownSent or SctpAssociationState.ShutdownReceived;

    private bool IsSendingState() => _state is SctpAssociationState.Established or SctpAssociationState.ShutdownPending
        or SctpAssociationState.ShutdownReceived;

    /// <summary>
    /// Queues a control chunk for the next packet. A chunk that cannot fit one packet is never sent: only hostile input
    /// produces one (an ERROR quoting a huge unrecognized chunk, a HEARTBEAT-ACK echoing a huge heartbeat), and
    /// RFC 9260 §6.10 forbids splitting a control chunk across packets.
    /// </summary>
    private void QueueControl((uint Tag, byte[] Chunk) control)
    {
        if (((control.Chunk.Length + 3) & ~3) > _options.Mtu - SctpPacketBuilder.CommonHeaderSize)
        {
            Drop($"a {(SctpChunkType)control.Chunk[0]} reply of {control.Chunk.Length} bytes does not fit one packet");
            return;
        }

        _control.Add(control);
    }

    private void Flush()
    {
        foreach ((uint tag, byte[] chunk) in _control)
        {
            // RFC 9260 §6.10: INIT, INIT ACK and SHUTDOWN COMPLETE MUST NOT be bundled with any other chunk. After an
            // INIT collision our INIT ACK and COOKIE ECHO carry the same tag and were sent as one packet, which usrsctp
            // (libdatachannel, Firefox) discards: the association then waited for T1-cookie (1 s).
            bool alone = (SctpChunkType)chunk[0] is SctpChunkType.Init or SctpChunkType.InitAck or SctpChunkType.ShutdownComplete;
            if (alone)
            {
                _builder.Finish();
            }

            _builder.AddRawChunk(tag, chunk);
            if (alone)
            {
                _builder.Finish();
            }
        }

        _control.Clear();
        if (IsReceivingState() || _state == SctpAssociationState.ShutdownAckSent)
        {
            FlushData(_now);
        }

        _builder.Finish();
    }

    private void FlushData(TimeSpan now)
    {
        if (_sackNeeded)
        {
            WriteSack();
        }

        if (!IsSendingState() && _state != SctpAssociationState.ShutdownSent)
        {
            return;
        }

        TryStartReconfig(now);
        if (_forwardTsnPending)
        {
            _forwardTsnPending = false;
            WriteForwardTsn();
        }

        SendRetransmissions(now);
        if (IsSendingState())
        {
            SendNewData(now);
        }
    }

    private void OnT1Timeout(TimeSpan now)
    {
        _t1Count++;
        if (_t1Count > _options.MaxInitRetransmissions || _t1Chunk is null)
        {
            _t1Deadline = null;
            AbortInternal(_state == SctpAssociationState.CookieWait ? "no INIT-ACK" : "no COOKIE-ACK", sendAbort: false);
            return;
        }

        // RFC 9260 §6.3.3 applies to T1 as well: back off.
        _t1Rto = Clamp(_t1Rto * 2);
        QueueControl((_state == SctpAssociationState.CookieWait ? 0 : _peerTag, _t1Chunk));
        _t1Deadline = now + _t1Rto;
    }

    private void OnT2Timeout(TimeSpan now)
    {
        _errorCount++;
        if (_errorCount > _options.MaxRetransmissions)
        {
            AbortInternal("no answer to SHUTDOWN", sendAbort: true);
            return;
        }

        _t2Rto = Clamp(_t2Rto * 2);
        if (_state == SctpAssociationState.ShutdownSent)
        {
            QueueControl((_peerTag, BuildShutdownChunk()));
        }
        else if (_state == SctpAssociationState.ShutdownAckSent)
        {
            QueueControl((_peerTag, BuildSimpleChunk(SctpChunkType.ShutdownAck, 0)));
        }

        _t2Deadline = now + _t2Rto;
    }

    private void OnHeartbeatTimeout(TimeSpan now)
    {
        if (_state != SctpAssociationState.Established || _options.HeartbeatInterval <= TimeSpan.Zero)
        {
            _heartbeatDeadline = null;
            return;
        }

        if (_heartbeatOutstanding)
        {
            _errorCount++;
            if (_errorCount > _options.MaxRetransmissions)
            {
                AbortInternal("no HEARTBEAT-ACK", sendAbort: true);
                return;
            }
        }

        _heartbeatNonce = ((ulong)NextUInt32() << 32) | NextUInt32();
        byte[] chunk = new byte[4 + 4 + 16];
        chunk[0] = (byte)SctpChunkType.Heartbeat;
        BinaryPrimitives.WriteUInt16BigEndian(chunk.AsSpan(2), (ushort)chunk.Length);
        BinaryPrimitives.WriteUInt16BigEndian(chunk.AsSpan(4), 1);
        BinaryPrimitives.WriteUInt16BigEndian(chunk.AsSpan(6), 20);
        BinaryPrimitives.WriteInt64BigEndian(chunk.AsSpan(8), now.Ticks);
        BinaryPrimitives.WriteUInt64BigEndian(chunk.AsSpan(16), _heartbeatNonce);
        QueueControl((_peerTag, chunk));
        _heartbeatOutstanding = true;
        _heartbeatDeadline = now + _rto + _options.HeartbeatInterval;
    }

    private void HandleHeartbeat(ReadOnlySpan<byte> chunk)
    {
        if (!IsReceivingState() || chunk.Length > _builder.MaxChunkSize)
        {
            return;
        }

        // RFC 9260 §8.3: echo the Heartbeat Info parameter unchanged.
        byte[] ack = chunk.ToArray();
        ack[0] = (byte)SctpChunkType.HeartbeatAck;
        ack[1] = 0;
        QueueControl((_peerTag, ack));
    }

    private void HandleHeartbeatAck(ReadOnlySpan<byte> value)
    {
        if (value.Length < 20 || BinaryPrimitives.ReadUInt16BigEndian(value) != 1)
        {
            return;
        }

        ulong nonce = BinaryPrimitives.ReadUInt64BigEndian(value[12..]);
        if (!_heartbeatOutstanding || nonce != _heartbeatNonce)
        {
            return;
        }

        _heartbeatOutstanding = false;
        _errorCount = 0;
        var sentAt = TimeSpan.FromTicks(BinaryPrimitives.ReadInt64BigEndian(value[4..]));
        if (sentAt <= _now)
        {
            UpdateRto(_now - sentAt);
        }
    }

    private TimeSpan Clamp(TimeSpan rto) =>
        rto < _options.RtoMin ? _options.RtoMin : rto > _options.RtoMax ? _options.RtoMax : rto;

    private uint NextUInt32()
    {
        Span<byte> bytes = stackalloc byte[4];
        FillRandom(bytes);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    private uint NextNonZeroUInt32()
    {
        uint value;
        do
        {
            value = NextUInt32();
        }
        while (value == 0);
        return value;
    }

    private void FillRandom(Span<byte> bytes)
    {
        if (_random is null)
        {
            RandomNumberGenerator.Fill(bytes);
        }
        else
        {
            _random.NextBytes(bytes);
        }
    }

    private static byte[] BuildSimpleChunk(SctpChunkType type, byte flags)
    {
        byte[] chunk = new byte[4];
        chunk[0] = (byte)type;
        chunk[1] = flags;
        chunk[3] = 4;
        return chunk;
    }
}
