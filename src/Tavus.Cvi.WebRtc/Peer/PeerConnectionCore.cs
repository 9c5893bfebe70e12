using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tavus.Cvi.WebRtc.Diagnostics;
using Tavus.Cvi.WebRtc.Dtls;
using Tavus.Cvi.WebRtc.Ice;
using Tavus.Cvi.WebRtc.Sctp;
using Tavus.Cvi.WebRtc.Sdp;
using Tavus.Cvi.WebRtc.Stun;

namespace Tavus.Cvi.WebRtc.Peer;

/// <summary>
/// The sans-IO peer connection: wires ICE → DTLS → SCTP → data channels. Feed it datagrams and the time, call
/// <see cref="Poll"/> when woken, drain <see cref="TryPollTransmit"/> and <see cref="TryPollEvent"/>, and come back at
/// <see cref="NextDeadline"/>. Not thread-safe: one driver loop owns it (only the DTLS adapter runs on its own thread,
/// behind queues).
/// </summary>
internal sealed partial class PeerConnectionCore : IDisposable
{
    private readonly PeerConnectionCoreOptions _options;
    private readonly ILogger _logger;
    private readonly IceAgent _ice;
    private readonly Queue<IceTransmit> _transmits = new();
    private readonly Queue<PeerEvent> _events = new();
    private readonly string _sessionId;
    private readonly List<byte[]> _earlyRecords = [];
    private SdpDescription? _remote;
    private SdpDescription? _offer;
    private bool _isOfferer;
    private DtlsEndpoint? _dtls;
    private DtlsRole? _dtlsRole;
    private IPEndPoint? _dtlsRemote;
    private TimeSpan? _dtlsDeadline;
    private (byte[] Datagram, IPEndPoint Source)? _earlyHandshake;
    private SctpAssociation? _sctp;
    private bool _closing;

    public PeerConnectionCore(PeerConnectionCoreOptions options)
    {
        _options = options;
        _logger = options.LoggerFactory?.CreateLogger("Tavus.Cvi.WebRtc.Peer") ?? NullLogger.Instance;
        _ice = new IceAgent(options.Ice, options.LoggerFactory?.CreateLogger("Tavus.Cvi.WebRtc.Ice"));
        _sessionId = ((ulong)RandomNumberGenerator.GetInt32(int.MaxValue) << 20).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    public RtcPeerConnectionState State { get; private set; } = RtcPeerConnectionState.New;

    public IceAgent Ice => _ice;

    public DtlsRole? DtlsRole => _dtlsRole;

    /// <summary>The DTLS endpoint once prepared (an offerer's from <see cref="CreateOffer"/> on, configured by the answer).</summary>
    public DtlsEndpoint? DtlsEndpoint => _dtls;

    /// <summary>The SCTP association once DTLS is up.</summary>
    public SctpAssociation? Sctp => _sctp;

    /// <summary>The remote side's <c>a=max-message-size</c> (RFC 8841 §6.1: absent means 65536, 0 unlimited).</summary>
    public long RemoteMaxMessageSize => _remote?.MaxMessageSize switch
    {
        null => 65536,
        0 => long.MaxValue,
        long v => v,
    };

    public TimeSpan? NextDeadline
    {
        get
        {
            TimeSpan? next = _ice.NextDeadline;
            if (_sctp?.NextDeadline is { } s && (next is null || s < next))
            {
                next = s;
            }

            if (_dtlsDeadline is { } d && (next is null || d < next))
            {
                next = d;
            }

            return next;
        }
    }

    public void AddLocalCandidate(IceCandidate candidate) => _ice.AddLocalCandidate(candidate);

    public void StartGathering(TimeSpan now)
    {
        _ice.StartGathering(now);
        Poll(now);
    }

    public bool IsGatheringComplete => _ice.IsGatheringComplete;

    /// <summary>The local offer (RFC 8842 §5.2: an offer carries <c>a=setup:actpass</c>; the offerer controls ICE).</summary>
    public SdpDescription CreateOffer()
    {
        _isOfferer = true;
        _offer = null;
        if (!_options.LockstepDtls)
        {
            // The DTLS role and the peer's fingerprint come with the answer, but the thread start and the ephemeral key
            // pair do not need them: done now, they are off the answer → open path. Prepared only when the answer
            // arrived, the server's thread was ready 0.5-0.7 ms after the answer, behind the early ClientHello.
            _dtls ??= NewDtlsEndpoint();
            _dtls.Prepare();
        }

        return LocalDescription(_options.ForcedSetup ?? SdpSetupRole.ActPass, mid: "0");
    }

    /// <summary>The local answer to the remote offer.</summary>
    public SdpDescription CreateAnswer(TimeSpan now)
    {
        if (_remote is null || _isOfferer)
        {
            throw new InvalidOperationException("An answer needs a remote offer first.");
        }

        // RFC 8842 §5.3: answer actpass with active (be the DTLS client, as browsers do) and mirror the others.
        var setup = _remote.Setup switch
        {
            SdpSetupRole.Active => SdpSetupRole.Passive,
            SdpSetupRole.Passive => SdpSetupRole.Active,
            _ => _options.ForcedSetup ?? SdpSetupRole.Active,
        };
        _dtlsRole = setup == SdpSetupRole.Active ? Dtls.DtlsRole.Client : Dtls.DtlsRole.Server;
        if (_dtlsRole == Dtls.DtlsRole.Server && _dtls is not { IsStarted: true })
        {
            StartDtls(now);
        }
        else if (_dtlsRole == Dtls.DtlsRole.Client)
        {
            PrepareDtls();
        }

        // The answerer checks once its answer exists (its credentials are then on the way to the offerer).
        var answer = LocalDescription(setup, _remote.Mid ?? "0");
        _ice.Start(now);
        Poll(now);
        return answer;
    }

    /// <summary>Applies the remote offer or answer: ICE credentials and candidates, DTLS role and fingerprint.</summary>
    public void SetRemoteDescription(SdpDescription remote, RtcSdpType type, TimeSpan now)
    {
        if (_remote is not null)
        {
            throw new InvalidOperationException("Renegotiation is not supported: the remote description is already set.");
        }

        if (remote.IceUfrag is null || remote.IcePassword is null)
        {
            throw new FormatException("The remote description has no ICE credentials.");
        }

        if (remote.FingerprintAlgorithm != "sha-256" || remote.Fingerprint is null)
        {
            throw new FormatException("The remote description needs an a=fingerprint with sha-256.");
        }

        if (type == RtcSdpType.Offer)
        {
            _isOfferer = false;
            _offer = remote;
            _ice.SwitchInitialRole(remote.IceLite ? IceRole.Controlling : IceRole.Controlled);
            // Provisional: CreateAnswer fixes the role (RFC 8842 §5.3); an active offerer makes us the server.
            _dtlsRole = remote.Setup == SdpSetupRole.Active ? Dtls.DtlsRole.Server : Dtls.DtlsRole.Client;
        }
        else
        {
            if (!_isOfferer)
            {
                throw new InvalidOperationException("An answer needs a local offer first.");
            }

            // Our offer said actpass; the answer decides (RFC 8842 §5.3). An actpass answer is invalid; treat as active.
            _dtlsRole = remote.Setup == SdpSetupRole.Passive ? Dtls.DtlsRole.Client : Dtls.DtlsRole.Server;
        }

        _remote = remote;
        _ice.SetRemoteCredentials(remote.IceUfrag, remote.IcePassword);
        foreach (var c in remote.Candidates)
        {
            _ice.AddRemoteCandidate(c);
        }

        Log.RemoteDescriptionApplied(_logger, type, remote.Candidates.Count, _dtlsRole.Value);
        if (_dtlsRole == Dtls.DtlsRole.Server)
        {
            // The server waits for the ClientHello, which may arrive as soon as ICE connects on the other side.
            StartDtls(now);
        }
        else if (type == RtcSdpType.Answer)
        {
            PrepareDtls();
        }

        SetState(RtcPeerConnectionState.Connecting);
        if (type == RtcSdpType.Answer)
        {
            _ice.Start(now);
        }

        Poll(now);
    }

    /// <summary>Adds a trickled remote candidate.</summary>
    public void AddRemoteCandidate(IceCandidate candidate, TimeSpan now)
    {
        _ice.AddRemoteCandidate(candidate);
        Poll(now);
    }

    /// <summary>
    /// Handles one received UDP datagram, demultiplexed by its first byte (RFC 7983 §7). It does not poll: hand in
    /// every datagram that is ready, then call <see cref="Poll"/> once, so the batch is processed in one pass (one SACK
    /// for the batch's DATA, one flush of the replies) instead of one pass per datagram.
    /// </summary>
    public void HandleDatagram(byte[] datagram, IPEndPoint source, TimeSpan now)
    {
        if (datagram.Length == 0)
        {
            return;
        }

        byte first = datagram[0];
        if (first <= 3)
        {
            _ice.HandleStun(datagram, source, now);
        }
        else if (first is >= 20 and <= 63)
        {
            if (_dtls is { IsStarted: true } && (_ice.IsKnownRemote(source) || source.Equals(_ice.SelectedRemote)))
            {
                _dtlsRemote = source;
                _dtls.HandleDatagram(datagram);
                ReceiveRecords(now);
                TrackDtlsDeadline(now);
            }
            else if (_dtls is not { IsStarted: true } && first == 22 && datagram.Length <= 2048)
            {
                // A native answerer's ClientHello can beat its answer to us: its ICE check succeeds on our response, which
                // needs only our own credentials, and it starts DTLS at once. Dropping it cost the peer's first DTLS
                // retransmission timer (1 s against libdatachannel); like libwebrtc's cached ClientHello, the latest one
                // is kept and handed to our DTLS server when it starts, if ICE knows its source by then.
                _earlyHandshake = (datagram, source);
            }
        }

        // Anything else (RTP/RTCP 128-191, TURN channels 64-79) has no consumer in a data-channel-only peer.
    }

    /// <summary>Decrypts what DTLS holds: straight into SCTP once the association exists, else as queued events.</summary>
    private void ReceiveRecords(TimeSpan now)
    {
        if (_endpoint is null)
        {
            _dtls!.ReceivePending();
            return;
        }

        _dtls!.ReceivePending(static (record, state) => state.Core.HandleRecord(record, state.Now), (Core: this, Now: now));
    }

    private void HandleRecord(ReadOnlySpan<byte> record, TimeSpan now)
    {
        try
        {
            _endpoint!.HandlePacket(record, now);
        }
        catch (InvalidOperationException ex)
        {
            // A packet the SCTP/DCEP layer cannot act on in its current state (e.g. a DCEP OPEN during shutdown) must
            // not take the connection down.
            Log.SctpPacketRejected(_logger, ex.Message);
        }
    }

    public void HandleTimeout(TimeSpan now)
    {
        _ice.HandleTimeout(now);
        if (_dtlsDeadline <= now)
        {
            _dtlsDeadline = null;
            _dtls?.HandshakeTimeout();
            TrackDtlsDeadline(now);
        }

        try
        {
            _endpoint?.HandleTimeout(now);
        }
        catch (InvalidOperationException ex)
        {
            Log.SctpPacketRejected(_logger, ex.Message);
        }

        Poll(now);
    }

    /// <summary>Moves data and events between the layers until nothing is left to move.</summary>
    public void Poll(TimeSpan now)
    {
        bool progress = true;
        while (progress)
        {
            progress = false;
            while (_ice.TryPollEvent(out var iceEvent))
            {
                progress = true;
                OnIceEvent(iceEvent!, now);
            }

            while (_ice.TryPollTransmit(out var t))
            {
                progress = true;
                _transmits.Enqueue(t);
            }

            if (_dtls is not null)
            {
                while (_dtls.TryPollEvent(out var dtlsEvent))
                {
                    progress = true;
                    OnDtlsEvent(dtlsEvent!, now);
                }

                while (_dtls.TryPollTransmit(out var datagram))
                {
                    progress = true;
                    if ((_ice.SelectedRemote ?? _dtlsRemote) is { } destination)
                    {
                        _transmits.Enqueue(new IceTransmit(destination, datagram!));
                    }
                }
            }

            progress |= PollChannels(now);
        }

        RefreshBufferedAmounts();
    }

    public bool TryPollTransmit(out IceTransmit transmit) => _transmits.TryDequeue(out transmit);

    /// <summary>The next transmit without taking it, so the driver can send a run of datagrams to one destination at once.</summary>
    public bool TryPeekTransmit(out IceTransmit transmit) => _transmits.TryPeek(out transmit);

    public bool TryPollEvent(out PeerEvent? evt) => _events.TryDequeue(out evt);

    /// <summary>Closes gracefully: SCTP SHUTDOWN, DTLS close_notify, then ICE stops.</summary>
    public void Close(TimeSpan now)
    {
        if (State == RtcPeerConnectionState.Closed)
        {
            return;
        }

        _closing = true;
        if (_sctp is not null && _sctp.State is not SctpAssociationState.Closed)
        {
            _sctp.Abort(now);
        }

        Poll(now);
        _dtls?.Close();
        Poll(now);
        _ice.Close();
        SetState(RtcPeerConnectionState.Closed);
    }

    /// <summary>Stops the DTLS thread if still running.</summary>
    public void Dispose() => _dtls?.Dispose();

    private SdpDescription LocalDescription(SdpSetupRole setup, string mid)
    {
        var d = new SdpDescription
        {
            SessionId = _sessionId,
            Mid = mid,
            IceUfrag = _ice.LocalUfrag,
            IcePassword = _ice.LocalPassword,
            FingerprintAlgorithm = "sha-256",
            Fingerprint = _options.Certificate.Fingerprint,
            Setup = setup,
            MaxMessageSize = _options.MaxMessageSize,
            EndOfCandidates = _ice.IsGatheringComplete,
        };
        d.Candidates.AddRange(_ice.LocalCandidates);
        if (_offer is not null && !_isOfferer)
        {
            // Answers keep the offer's m-line order (RFC 3264 §6); SdpDescription.Write rejects the non-data ones.
            d.Media.AddRange(_offer.Media);
        }

        return d;
    }

    /// <summary>The offer this answer responds to, so the writer can reject its audio/video sections.</summary>
    public SdpDescription? RemoteOffer => _isOfferer ? null : _offer;

    private void OnIceEvent(IceEvent evt, TimeSpan now)
    {
        switch (evt)
        {
            case IceEvent.FirstPairValid valid:
                // The DTLS client need not wait for nomination (one more round trip): the pair is valid, and selection
                // later moves the datagrams to the selected pair. The server then usually holds our ClientHello before
                // it holds our answer (see _earlyHandshake).
                if (_dtlsRole == Dtls.DtlsRole.Client && _remote is not null && _dtls is not { IsStarted: true })
                {
                    _dtlsRemote ??= valid.Remote;
                    StartDtls(now);
                }

                break;
            case IceEvent.SelectedPairChanged:
                if (_dtlsRole == Dtls.DtlsRole.Client && _dtls is not { IsStarted: true })
                {
                    StartDtls(now);
                }

                break;
            case IceEvent.StateChanged { State: IceConnectionState.Failed }:
                SetState(RtcPeerConnectionState.Failed);
                break;
            case IceEvent.StateChanged { State: IceConnectionState.Disconnected }:
                SetState(RtcPeerConnectionState.Disconnected);
                break;
            case IceEvent.GatheringComplete:
                _events.Enqueue(new PeerEvent.GatheringComplete());
                break;
            default:
                break;
        }
    }

    private void StartDtls(TimeSpan now)
    {
        PrepareDtls();
        _dtls!.Start();
        if (_earlyHandshake is var (datagram, source) && _dtlsRole == Dtls.DtlsRole.Server &&
            (_ice.IsKnownRemote(source) || source.Equals(_ice.SelectedRemote)))
        {
            _dtlsRemote = source;
            _dtls.HandleDatagram(datagram);
        }

        _earlyHandshake = null;
        TrackDtlsDeadline(now);
    }

    /// <summary>Lockstep DTLS: turns the handshake's retransmission wait into a deadline on the core's clock.</summary>
    private void TrackDtlsDeadline(TimeSpan now)
    {
        if (_dtls is null || !_options.LockstepDtls)
        {
            return;
        }

        if (!_dtls.IsHandshaking)
        {
            _dtlsDeadline = null;
        }
        else if (_dtls.TryTakeHandshakeWait(out TimeSpan wait))
        {
            _dtlsDeadline = now + wait;
        }
    }

    /// <summary>The DTLS client's thread and key pair get ready while ICE checks; the ClientHello waits for a pair.</summary>
    private void PrepareDtls()
    {
        _dtls ??= NewDtlsEndpoint();
        if (!_dtls.IsStarted)
        {
            _dtls.Configure(_dtlsRole!.Value, _remote!.Fingerprint!);
        }

        _dtls.Prepare();
    }

    private DtlsEndpoint NewDtlsEndpoint() =>
        new(_options.Certificate, _options.Wake, _options.LoggerFactory?.CreateLogger("Tavus.Cvi.WebRtc.Dtls"), _options.LockstepDtls);

    private void OnDtlsEvent(DtlsEvent evt, TimeSpan now)
    {
        switch (evt)
        {
            case DtlsEvent.Connected connected:
                _sctp = new SctpAssociation(new SctpAssociationOptions
                {
                    LocalPort = (ushort)5000,
                    RemotePort = (ushort)(_remote?.SctpPort ?? 5000),
                    Mtu = Math.Min(connected.MaxApplicationData, 1163),
                    MaxMessageSize = _options.MaxMessageSize,
                    Random = _options.Random,
                    LoggerFactory = _options.LoggerFactory,
                });
                CreateEndpoint(now);
                foreach (byte[] early in _earlyRecords)
                {
                    HandleRecord(early, now);
                }

                _earlyRecords.Clear();
                ReceiveRecords(now);
                break;
            case DtlsEvent.Data data when _endpoint is null:
                // Decrypted between BouncyCastle finishing the handshake and this loop seeing Connected: the peer's
                // first SCTP packet (often its INIT) is kept for the association instead of waiting for a resend.
                _earlyRecords.Add(data.Payload);
                break;
            case DtlsEvent.Data data:
                HandleRecord(data.Payload, now);
                break;
            case DtlsEvent.Failed:
                SetState(RtcPeerConnectionState.Failed);
                break;
            case DtlsEvent.Closed:
                if (State != RtcPeerConnectionState.Failed)
                {
                    SetState(RtcPeerConnectionState.Closed);
                }

                break;
            default:
                break;
        }
    }

    private void SetState(RtcPeerConnectionState state)
    {
        if (State != state && State != RtcPeerConnectionState.Closed)
        {
            Log.PeerStateChanged(_logger, State, state);
            State = state;
            _events.Enqueue(new PeerEvent.StateChanged(state));
        }
    }
}
