using System.Buffers.Binary;
using Tavus.Cvi.WebRtc.Diagnostics;

namespace Tavus.Cvi.WebRtc.Sctp;

/// <summary>Association setup (RFC 9260 §5) and shutdown (§9).</summary>
public sealed partial class SctpAssociation
{
    private const ushort ParamStateCookie = 7;
    private const ushort ParamUnrecognized = 8;
    private const ushort ParamForwardTsnSupported = 0xC000;
    private const ushort ParamSupportedExtensions = 0x8008;

    private byte[] BuildInitChunk(SctpChunkType type, uint initiateTag, uint initialTsn, byte[]? cookie, List<byte[]>? unrecognized)
    {
        // INIT / INIT-ACK fixed part (RFC 9260 §3.3.2), then Forward-TSN-Supported (RFC 3758 §3.1) and
        // Supported Extensions [RE-CONFIG, FORWARD-TSN] (RFC 5061 §4.2.7) as Chromium and libwebrtc send them.
        int length = 4 + 16 + 4 + (4 + 2 + 2);
        if (cookie is not null)
        {
            length += 4 + Pad(cookie.Length);
        }

        if (unrecognized is not null)
        {
            foreach (byte[] p in unrecognized)
            {
                length += 4 + Pad(p.Length);
            }
        }

        byte[] chunk = new byte[length];
        Span<byte> s = chunk;
        s[0] = (byte)type;
        BinaryPrimitives.WriteUInt16BigEndian(s[2..], (ushort)length);
        BinaryPrimitives.WriteUInt32BigEndian(s[4..], initiateTag);
        BinaryPrimitives.WriteUInt32BigEndian(s[8..], (uint)_options.ReceiveWindow);
        BinaryPrimitives.WriteUInt16BigEndian(s[12..], _options.MaxStreams);
        BinaryPrimitives.WriteUInt16BigEndian(s[14..], _options.MaxStreams);
        BinaryPrimitives.WriteUInt32BigEndian(s[16..], initialTsn);
        int at = 20;
        if (cookie is not null)
        {
            at = WriteParameter(s, at, ParamStateCookie, cookie);
        }

        at = WriteParameter(s, at, ParamForwardTsnSupported, []);
        at = WriteParameter(s, at, ParamSupportedExtensions, [(byte)SctpChunkType.ReConfig, (byte)SctpChunkType.ForwardTsn]);
        if (unrecognized is not null)
        {
            foreach (byte[] p in unrecognized)
            {
                at = WriteParameter(s, at, ParamUnrecognized, p);
            }
        }

        return chunk;
    }

    private static int Pad(int length) => (length + 3) & ~3;

    private static int WriteParameter(Span<byte> chunk, int at, ushort type, ReadOnlySpan<byte> value)
    {
        BinaryPrimitives.WriteUInt16BigEndian(chunk[at..], type);
        BinaryPrimitives.WriteUInt16BigEndian(chunk[(at + 2)..], (ushort)(4 + value.Length));
        value.CopyTo(chunk[(at + 4)..]);
        return at + 4 + Pad(value.Length);
    }

    /// <summary>What an INIT or INIT-ACK says, after its optional parameters are walked.</summary>
    private ref struct InitInfo
    {
        public uint InitiateTag;
        public uint ReceiveWindow;
        public ushort OutboundStreams;
        public ushort InboundStreams;
        public uint InitialTsn;
        public bool ForwardTsn;
        public bool Reconfig;
        public ReadOnlySpan<byte> Cookie;
        public List<byte[]>? Unrecognized;
    }

    private static bool TryParseInit(ReadOnlySpan<byte> value, out InitInfo info)
    {
        info = default;
        if (value.Length < 16)
        {
            return false;
        }

        info.InitiateTag = BinaryPrimitives.ReadUInt32BigEndian(value);
        info.ReceiveWindow = BinaryPrimitives.ReadUInt32BigEndian(value[4..]);
        info.OutboundStreams = BinaryPrimitives.ReadUInt16BigEndian(value[8..]);
        info.InboundStreams = BinaryPrimitives.ReadUInt16BigEndian(value[10..]);
        info.InitialTsn = BinaryPrimitives.ReadUInt32BigEndian(value[12..]);

        // RFC 9260 §3.3.2: a zero tag or zero stream count is invalid.
        if (info.InitiateTag == 0 || info.OutboundStreams == 0 || info.InboundStreams == 0)
        {
            return false;
        }

        ReadOnlySpan<byte> parameters = value[16..];
        while (parameters.Length >= 4)
        {
            ushort type = BinaryPrimitives.ReadUInt16BigEndian(parameters);
            int length = BinaryPrimitives.ReadUInt16BigEndian(parameters[2..]);
            if (length < 4 || length > parameters.Length)
            {
                break;
            }

            ReadOnlySpan<byte> parameter = parameters[..length];
            ReadOnlySpan<byte> body = parameter[4..];
            switch (type)
            {
                case ParamStateCookie:
                    info.Cookie = body;
                    break;
                case ParamForwardTsnSupported:
                    info.ForwardTsn = true;
                    break;
                case ParamSupportedExtensions:
                    foreach (byte chunkType in body)
                    {
                        info.ForwardTsn |= chunkType == (byte)SctpChunkType.ForwardTsn;
                        info.Reconfig |= chunkType == (byte)SctpChunkType.ReConfig;
                    }

                    break;

                // Understood and deliberately unused: IPv4/IPv6 address, cookie preservative, host name, supported
                // address types, unrecognized-parameter reports, ECN, AUTH Random/Chunk-List/HMAC-Algo (RFC 4895,
                // usrsctp sends them), zero checksum (RFC 9653), adaptation layer indication (RFC 5061).
                case 5 or 6 or 9 or 11 or 12 or ParamUnrecognized or 0x8000 or 0x8001 or 0x8002 or 0x8003 or 0x8004 or 0xC006:
                    break;
                default:
                    // RFC 9260 §3.2.1: the two high bits say whether to stop and whether to report.
                    if ((type & 0x4000) != 0)
                    {
                        (info.Unrecognized ??= []).Add(parameter.ToArray());
                    }

                    if ((type & 0x8000) == 0)
                    {
                        return true;
                    }

                    break;
            }

            int padded = Pad(length);
            if (padded >= parameters.Length)
            {
                break;
            }

            parameters = parameters[padded..];
        }

        return true;
    }

    private void HandleInit(ReadOnlySpan<byte> value)
    {
        if (!TryParseInit(value, out InitInfo init))
        {
            Drop("invalid INIT");
            return;
        }

        uint localTag;
        uint localTsn;
        switch (_state)
        {
            case SctpAssociationState.Closed when !_used:
                // Stateless answer (RFC 9260 §5.1): everything goes into the cookie.
                localTag = NextNonZeroUInt32();
                localTsn = NextUInt32();
                break;
            case SctpAssociationState.CookieWait:
            case SctpAssociationState.CookieEchoed:
                // INIT collision (RFC 9260 §5.2.1): answer with the parameters of our own INIT.
                localTag = _localTag;
                localTsn = _localInitialTsn;
                break;
            default:
                // A restart (§5.2.2) is not something WebRTC peers do; ignore it rather than reset the channels.
                Log.SctpChunkIgnored(_logger, (byte)SctpChunkType.Init, "INIT after the association was set up");
                return;
        }

        var cookie = new SctpStateCookie(
            localTag,
            init.InitiateTag,
            localTsn,
            init.InitialTsn,
            init.ReceiveWindow,
            Math.Min(_options.MaxStreams, init.InboundStreams),
            Math.Min(_options.MaxStreams, init.OutboundStreams),
            init.ForwardTsn,
            init.Reconfig,
            _now);
        byte[] initAck = BuildInitChunk(SctpChunkType.InitAck, localTag, localTsn, cookie.Serialize(_cookieKey), init.Unrecognized);
        if (initAck.Length > _builder.MaxChunkSize)
        {
            initAck = BuildInitChunk(SctpChunkType.InitAck, localTag, localTsn, cookie.Serialize(_cookieKey), null);
        }

        QueueControl((init.InitiateTag, initAck));
    }

    private void HandleInitAck(ReadOnlySpan<byte> value)
    {
        if (_state != SctpAssociationState.CookieWait)
        {
            return;
        }

        if (!TryParseInit(value, out InitInfo init) || init.Cookie.IsEmpty)
        {
            Drop("invalid INIT-ACK");
            return;
        }

        _peerTag = init.InitiateTag;
        _peerInitialTsn = init.InitialTsn;
        _peerForwardTsn = init.ForwardTsn;
        _peerReconfig = init.Reconfig;
        _outboundStreams = Math.Min(_options.MaxStreams, init.InboundStreams);
        _inboundStreams = Math.Min(_options.MaxStreams, init.OutboundStreams);
        _peerRwnd = init.ReceiveWindow;

        byte[] echo = new byte[4 + init.Cookie.Length];
        echo[0] = (byte)SctpChunkType.CookieEcho;
        BinaryPrimitives.WriteUInt16BigEndian(echo.AsSpan(2), (ushort)echo.Length);
        init.Cookie.CopyTo(echo.AsSpan(4));
        _t1Chunk = echo;
        QueueControl((_peerTag, echo));
        if (init.Unrecognized is { Count: > 0 })
        {
            // Report parameters asked to be reported (RFC 9260 §3.2.1) in an ERROR bundled after COOKIE-ECHO.
            int length = 4;
            foreach (byte[] p in init.Unrecognized)
            {
                length += 4 + Pad(p.Length);
            }

            if (length + echo.Length + 4 <= _builder.MaxChunkSize)
            {
                byte[] error = new byte[length];
                error[0] = (byte)SctpChunkType.Error;
                BinaryPrimitives.WriteUInt16BigEndian(error.AsSpan(2), (ushort)length);
                int at = 4;
                foreach (byte[] p in init.Unrecognized)
                {
                    at = WriteParameter(error, at, ParamUnrecognized, p);
                }

                QueueControl((_peerTag, error));
            }
        }

        _t1Count = 0;
        _t1Rto = _options.RtoInitial;
        _t1Deadline = _now + _t1Rto;
        SetState(SctpAssociationState.CookieEchoed);
    }

    private bool HandleCookieEcho(ReadOnlySpan<byte> value, uint tag)
    {
        if (!SctpStateCookie.TryParse(value, _cookieKey, _now, _options.CookieLifetime, out SctpStateCookie cookie, out bool stale))
        {
            Drop(stale ? "stale cookie" : "invalid cookie");
            if (stale && tag == cookie.LocalTag && _state is not SctpAssociationState.Established)
            {
                // RFC 9260 §5.2.6: tell the initiator, with the measure of staleness in microseconds.
                byte[] error = new byte[12];
                error[0] = (byte)SctpChunkType.Error;
                error[3] = 12;
                BinaryPrimitives.WriteUInt16BigEndian(error.AsSpan(4), 3);
                BinaryPrimitives.WriteUInt16BigEndian(error.AsSpan(6), 8);
                long staleness = (long)(_now - cookie.CreatedAt - _options.CookieLifetime).TotalMicroseconds;
                BinaryPrimitives.WriteUInt32BigEndian(error.AsSpan(8), (uint)Math.Clamp(staleness, 0, uint.MaxValue));
                QueueControl((cookie.PeerTag, error));
            }

            return false;
        }

        // RFC 9260 §5.1.5 step 1: the packet must carry the tag we chose, which the cookie holds.
        if (tag != cookie.LocalTag)
        {
            Drop("COOKIE-ECHO tag mismatch");
            return false;
        }

        switch (_state)
        {
            case SctpAssociationState.Closed when !_used:
            case SctpAssociationState.CookieWait:
            case SctpAssociationState.CookieEchoed:
                // New association, or the collision cases B and D of RFC 9260 §5.2.4: take the cookie's view.
                QueueControl((cookie.PeerTag, BuildSimpleChunk(SctpChunkType.CookieAck, 0)));
                EnterEstablished(cookie);
                return true;
            default:
                if (cookie.LocalTag == _localTag && cookie.PeerTag == _peerTag)
                {
                    // Case D: our COOKIE-ACK was lost.
                    QueueControl((_peerTag, BuildSimpleChunk(SctpChunkType.CookieAck, 0)));
                    return true;
                }

                Drop("COOKIE-ECHO for another association");
                return false;
        }
    }

    private void HandleCookieAck()
    {
        if (_state != SctpAssociationState.CookieEchoed)
        {
            return;
        }

        EnterEstablished(null);
    }

    private void EnterEstablished(SctpStateCookie? cookie)
    {
        _used = true;
        if (cookie is { } c)
        {
            _localTag = c.LocalTag;
            _peerTag = c.PeerTag;
            _localInitialTsn = c.LocalInitialTsn;
            _peerInitialTsn = c.PeerInitialTsn;
            _outboundStreams = c.OutboundStreams;
            _inboundStreams = c.InboundStreams;
            _peerForwardTsn = c.PeerForwardTsn;
            _peerReconfig = c.PeerReconfig;
            _peerRwnd = c.PeerReceiveWindow;
        }

        _t1Deadline = null;
        _t1Chunk = null;
        _nextTsn = _localInitialTsn;
        _cumAckPoint = _localInitialTsn - 1;
        _advancedPeerAckPoint = _cumAckPoint;
        _peerCumTsn = _peerInitialTsn - 1;
        _ssthresh = _peerRwnd;
        _cwnd = InitialCwnd();

        // RFC 6525 §5.1.1: the first request sequence number is the initial TSN.
        _reconfigNextRequestSeq = _localInitialTsn;
        _peerReconfigExpectedSeq = _peerInitialTsn;
        _lastPeerReconfigResult = ReconfigResultSuccessPerformed;
        if (_options.HeartbeatInterval > TimeSpan.Zero)
        {
            _heartbeatDeadline = _now + _rto + _options.HeartbeatInterval;
        }

        SetState(SctpAssociationState.Established);
        Log.SctpEstablished(_logger, _outboundStreams, _inboundStreams, _peerRwnd);
        _events.Enqueue(new SctpAssociationEstablished(_outboundStreams, _inboundStreams));
    }

    private byte[] BuildShutdownChunk()
    {
        byte[] chunk = new byte[8];
        chunk[0] = (byte)SctpChunkType.Shutdown;
        chunk[3] = 8;
        BinaryPrimitives.WriteUInt32BigEndian(chunk.AsSpan(4), _peerCumTsn);
        return chunk;
    }

    private bool AllDataAcknowledged() => _pendingCount == 0 && _cumAckPoint == _nextTsn - 1;

    private void CheckShutdownProgress()
    {
        if (_state == SctpAssociationState.ShutdownPending && AllDataAcknowledged())
        {
            // RFC 9260 §9.2: all outstanding data acknowledged, send SHUTDOWN and start T2.
            QueueControl((_peerTag, BuildShutdownChunk()));
            _t2Rto = _rto;
            _t2Deadline = _now + _t2Rto;
            _t3Deadline = null;
            SetState(SctpAssociationState.ShutdownSent);
        }
        else if (_state == SctpAssociationState.ShutdownReceived && AllDataAcknowledged())
        {
            QueueControl((_peerTag, BuildSimpleChunk(SctpChunkType.ShutdownAck, 0)));
            _t2Rto = _rto;
            _t2Deadline = _now + _t2Rto;
            _t3Deadline = null;
            SetState(SctpAssociationState.ShutdownAckSent);
        }
    }

    private void HandleShutdown(ReadOnlySpan<byte> value)
    {
        if (value.Length < 4 || !IsReceivingState())
        {
            return;
        }

        // The Cumulative TSN Ack of SHUTDOWN acknowledges like a SACK (RFC 9260 §9.2).
        ProcessCumulativeAck(BinaryPrimitives.ReadUInt32BigEndian(value));
        switch (_state)
        {
            case SctpAssociationState.Established:
            case SctpAssociationState.ShutdownPending:
                SetState(SctpAssociationState.ShutdownReceived);
                _sackNeeded = true;
                break;
            case SctpAssociationState.ShutdownSent:
                QueueControl((_peerTag, BuildSimpleChunk(SctpChunkType.ShutdownAck, 0)));
                _t2Deadline = _now + _t2Rto;
                SetState(SctpAssociationState.ShutdownAckSent);
                break;
            default:
                break;
        }
    }

    private void HandleShutdownAck()
    {
        if (_state == SctpAssociationState.Closed && _used)
        {
            // Our SHUTDOWN-COMPLETE was lost and the peer repeats SHUTDOWN-ACK: answer with the T bit and the tag it
            // used (RFC 9260 §8.4 item 5, §8.5.1), or it would retransmit until it aborts.
            QueueControl((_localTag, BuildSimpleChunk(SctpChunkType.ShutdownComplete, 1)));
            return;
        }

        if (_state is not (SctpAssociationState.ShutdownSent or SctpAssociationState.ShutdownAckSent))
        {
            return;
        }

        QueueControl((_peerTag, BuildSimpleChunk(SctpChunkType.ShutdownComplete, 0)));
        Log.SctpShutdownComplete(_logger);
        EnterClosed(new SctpAssociationClosed(false, "shut down"));
    }

    private void HandleShutdownComplete()
    {
        if (_state != SctpAssociationState.ShutdownAckSent)
        {
            return;
        }

        Log.SctpShutdownComplete(_logger);
        EnterClosed(new SctpAssociationClosed(false, "shut down"));
    }
}
