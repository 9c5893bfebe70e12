using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tavus.Cvi.WebRtc.Diagnostics;
using Tavus.Cvi.WebRtc.Stun;

namespace Tavus.Cvi.WebRtc.Ice;

/// <summary>
/// A sans-IO full ICE agent (RFC 8445) for one component over one UDP socket: connectivity checks with pacing and
/// retransmission, regular nomination, role-conflict repair, peer-reflexive candidates, server-reflexive gathering and
/// consent freshness (RFC 7675). Feed it STUN messages and the time; drain datagrams and events; wake it at
/// <see cref="NextDeadline"/>.
/// </summary>
/// <remarks>
/// All local host candidates share one socket bound to the wildcard address, so the kernel picks the source address by
/// route. A remote candidate is therefore paired with one local candidate only: the loopback one for a loopback
/// remote, otherwise the first non-loopback candidate of the same family.
/// </remarks>
internal sealed class IceAgent
{
    private readonly IceAgentOptions _options;
    private readonly ILogger _logger;
    private readonly byte[] _localKey;
    private readonly List<IceCandidate> _localCandidates = [];
    private readonly List<IceCandidate> _remoteCandidates = [];
    private readonly List<IceCandidatePair> _pairs = [];
    private readonly Queue<IceCandidatePair> _triggered = new();
    private readonly Dictionary<string, Transaction> _transactions = new(StringComparer.Ordinal);
    private readonly Queue<IceTransmit> _transmits = new();
    private readonly Queue<IceEvent> _events = new();
    private byte[]? _remoteKey;
    private string? _remoteUfrag;
    private TimeSpan? _startedAt;
    private TimeSpan _nextCheckAt;
    private TimeSpan? _firstValidAt;
    private IceCandidatePair? _selected;
    private TimeSpan _nextConsentAt;
    private TimeSpan _lastConsentResponse;
    private int _pendingGathering;
    private bool _gatheringStarted;

    public IceAgent(IceAgentOptions options, ILogger? logger = null)
    {
        _options = options;
        _logger = logger ?? NullLogger.Instance;
        Role = options.Role;
        _localKey = Encoding.UTF8.GetBytes(options.LocalPassword);
    }

    public IceRole Role { get; private set; }

    public string LocalUfrag => _options.LocalUfrag;

    public string LocalPassword => _options.LocalPassword;

    public IceConnectionState State { get; private set; } = IceConnectionState.New;

    public IReadOnlyList<IceCandidate> LocalCandidates => _localCandidates;

    public IReadOnlyList<IceCandidatePair> Pairs => _pairs;

    /// <summary>The remote address of the selected pair, where application data goes.</summary>
    public IPEndPoint? SelectedRemote => _selected?.Remote.EndPoint;

    /// <summary>True when gathering was started and every STUN server answered or gave up.</summary>
    public bool IsGatheringComplete => _gatheringStarted && _pendingGathering == 0;

    /// <summary>When <see cref="HandleTimeout"/> must next be called, or <c>null</c> when nothing is pending.</summary>
    public TimeSpan? NextDeadline
    {
        get
        {
            if (State is IceConnectionState.Closed or IceConnectionState.Failed or IceConnectionState.Disconnected)
            {
                return null;
            }

            TimeSpan? next = null;
            foreach (var t in _transactions.Values)
            {
                next = Min(next, t.NextRetransmitAt);
            }

            if (_startedAt is { } started && _remoteKey is not null)
            {
                if (_triggered.Count > 0 || _pairs.Exists(p => p.State == IceCandidatePairState.Waiting))
                {
                    next = Min(next, _nextCheckAt);
                }

                if (_selected is null)
                {
                    next = Min(next, started + _options.ConnectTimeout);
                    // Only while nothing is being nominated: a due deadline that HandleTimeout cannot act on would spin.
                    if (Role == IceRole.Controlling && _firstValidAt is { } fv && !_pairs.Exists(p => p.Nominating))
                    {
                        next = Min(next, fv + _options.NominationDelay);
                    }
                }
                else
                {
                    next = Min(next, _nextConsentAt);
                    next = Min(next, _lastConsentResponse + _options.ConsentTimeout);
                }
            }

            return next;
        }
    }

    public void AddLocalCandidate(IceCandidate candidate)
    {
        _localCandidates.Add(candidate);
        foreach (var remote in _remoteCandidates)
        {
            TryAddPair(remote);
        }
    }

    /// <summary>Asks each configured STUN server for our server-reflexive address (RFC 8445 §5.1.1.2).</summary>
    public void StartGathering(TimeSpan now)
    {
        _gatheringStarted = true;
        foreach (var server in _options.StunServers)
        {
            var builder = new StunMessageBuilder(StunMessageType.BindingRequest, StunMessageBuilder.NewTransactionId());
            byte[] request = builder.Build([], fingerprint: true);
            var t = new Transaction(builder.TransactionId, request, server, null, false, TransactionKind.Gathering, now + _options.InitialRetransmitTimeout, _options.InitialRetransmitTimeout);
            _transactions[Key(builder.TransactionId)] = t;
            _transmits.Enqueue(new IceTransmit(server, request));
            _pendingGathering++;
        }

        if (_pendingGathering == 0)
        {
            _events.Enqueue(new IceEvent.GatheringComplete());
        }
    }

    public void SetRemoteCredentials(string ufrag, string password)
    {
        if (_remoteUfrag is not null && (_remoteUfrag != ufrag))
        {
            throw new InvalidOperationException("ICE restart is not supported.");
        }

        _remoteUfrag = ufrag;
        _remoteKey = Encoding.UTF8.GetBytes(password);
    }

    public void AddRemoteCandidate(IceCandidate candidate)
    {
        var existing = _remoteCandidates.Find(c => c.EndPoint.Equals(candidate.EndPoint));
        if (existing is not null)
        {
            if (existing.Type == IceCandidateType.PeerReflexive)
            {
                // RFC 8445 §7.3.1.3: a signalled candidate replaces the peer-reflexive one learned earlier.
                _remoteCandidates.Remove(existing);
                _remoteCandidates.Add(candidate);
                foreach (var p in _pairs.Where(p => ReferenceEquals(p.Remote, existing)))
                {
                    p.Remote = candidate;
                }
            }

            return;
        }

        if (candidate.Type == IceCandidateType.Relayed)
        {
            return;
        }

        _remoteCandidates.Add(candidate);
        TryAddPair(candidate);
    }

    /// <summary>Sets the role before checks start (the answerer is controlled, RFC 8445 §6.1.1).</summary>
    public void SwitchInitialRole(IceRole role)
    {
        if (_startedAt is null)
        {
            Role = role;
        }
    }

    /// <summary>Starts connectivity checks (once remote credentials are known) at <paramref name="now"/>.</summary>
    public void Start(TimeSpan now)
    {
        if (_startedAt is not null)
        {
            return;
        }

        _startedAt = now;
        _nextCheckAt = now;
        SetState(IceConnectionState.Checking);
        HandleTimeout(now);
    }

    public void Close()
    {
        _transactions.Clear();
        _triggered.Clear();
        SetState(IceConnectionState.Closed);
    }

    /// <summary>Whether application data from <paramref name="source"/> may be accepted (a remote candidate or pair address).</summary>
    public bool IsKnownRemote(IPEndPoint source)
    {
        foreach (var p in _pairs)
        {
            if (p.Remote.EndPoint.Equals(source))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Handles a received STUN datagram. Returns false when it was not acceptable STUN for this agent.</summary>
    public bool HandleStun(ReadOnlySpan<byte> datagram, IPEndPoint source, TimeSpan now)
    {
        if (State == IceConnectionState.Closed || !StunMessage.TryParse(datagram, out var message))
        {
            return false;
        }

        switch (message!.Type)
        {
            case StunMessageType.BindingRequest:
                return HandleRequest(message, source, now);
            case StunMessageType.BindingSuccess:
            case StunMessageType.BindingError:
                return HandleResponse(message, source, now);
            default:
                // Binding indications are keep-alives (RFC 8445 §11); nothing to do.
                return true;
        }
    }

    public void HandleTimeout(TimeSpan now)
    {
        if (State is IceConnectionState.Closed or IceConnectionState.Failed or IceConnectionState.Disconnected)
        {
            return;
        }

        RetransmitDue(now);
        if (_startedAt is null || _remoteKey is null)
        {
            return;
        }

        if (_nextCheckAt <= now)
        {
            if (_triggered.TryDequeue(out var pair) || (pair = NextWaitingPair()) is not null)
            {
                SendCheck(pair, now, pair.Nominating);
                _nextCheckAt = now + _options.CheckInterval;
            }
        }

        if (_selected is null)
        {
            if (Role == IceRole.Controlling && _firstValidAt is { } fv)
            {
                bool pending = _pairs.Exists(p => p.State is IceCandidatePairState.Waiting or IceCandidatePairState.InProgress);
                if (!pending || now >= fv + _options.NominationDelay)
                {
                    Nominate(now);
                }
            }

            if (now >= _startedAt.Value + _options.ConnectTimeout)
            {
                Log.Failed(_logger, "no valid pair before the connect timeout");
                SetState(IceConnectionState.Failed);
            }
        }
        else
        {
            if (now >= _lastConsentResponse + _options.ConsentTimeout)
            {
                // RFC 7675 §5.1: consent expired; stop sending on this pair.
                Log.ConsentExpired(_logger, _selected);
                SetState(IceConnectionState.Disconnected);
                _selected = null;
                return;
            }

            if (now >= _nextConsentAt)
            {
                SendCheck(_selected, now, useCandidate: false, TransactionKind.Consent);
                ScheduleConsent(now);
            }
        }
    }

    public bool TryPollTransmit(out IceTransmit transmit) => _transmits.TryDequeue(out transmit);

    public bool TryPollEvent(out IceEvent? evt) => _events.TryDequeue(out evt);

    private bool HandleRequest(StunMessage request, IPEndPoint source, TimeSpan now)
    {
        // RFC 8445 §7.3: USERNAME is "local:remote" and MESSAGE-INTEGRITY uses our password; otherwise ignore silently.
        string? username = request.Username;
        if (username is null || !request.HasMessageIntegrity
            || !username.StartsWith(_options.LocalUfrag + ":", StringComparison.Ordinal)
            || !request.VerifyIntegrity(_localKey))
        {
            Log.IgnoredStun(_logger, source, "request without valid USERNAME/MESSAGE-INTEGRITY");
            return false;
        }

        // RFC 8445 §7.3.1.1: role conflict.
        if (Role == IceRole.Controlling && request.IceControlling is { } theirs)
        {
            if (_options.TieBreaker >= theirs)
            {
                SendError(request, source, 487, "Role Conflict");
                return true;
            }

            SwitchRole(IceRole.Controlled);
        }
        else if (Role == IceRole.Controlled && request.IceControlled is { } theirs2)
        {
            if (_options.TieBreaker >= theirs2)
            {
                SwitchRole(IceRole.Controlling);
            }
            else
            {
                SendError(request, source, 487, "Role Conflict");
                return true;
            }
        }

        byte[] response = new StunMessageBuilder(StunMessageType.BindingSuccess, request.TransactionId)
            .AddXorMappedAddress(source)
            .Build(_localKey);
        _transmits.Enqueue(new IceTransmit(source, response));

        var remote = _remoteCandidates.Find(c => c.EndPoint.Equals(source));
        if (remote is null)
        {
            // RFC 8445 §7.3.1.3: a peer-reflexive remote candidate with the priority from the request.
            remote = new IceCandidate("prflx" + _remoteCandidates.Count, request.Priority ?? 0, source, IceCandidateType.PeerReflexive);
            _remoteCandidates.Add(remote);
            Log.PeerReflexive(_logger, source);
        }

        var pair = _pairs.Find(p => ReferenceEquals(p.Remote, remote)) ?? TryAddPair(remote);
        if (pair is null)
        {
            return true;
        }

        if (request.UseCandidate && Role == IceRole.Controlled)
        {
            pair.RemoteNominated = true;
        }

        // RFC 8445 §7.3.1.4: triggered check unless the pair already succeeded.
        if (pair.State == IceCandidatePairState.Succeeded)
        {
            if (pair.RemoteNominated && Role == IceRole.Controlled)
            {
                Select(pair, now);
            }
        }
        else if (pair.State != IceCandidatePairState.InProgress && !_triggered.Contains(pair))
        {
            pair.State = IceCandidatePairState.Waiting;
            _triggered.Enqueue(pair);
        }

        return true;
    }

    private bool HandleResponse(StunMessage response, IPEndPoint source, TimeSpan now)
    {
        if (!_transactions.TryGetValue(Key(response.TransactionId), out var t))
        {
            return false;
        }

        if (t.Kind == TransactionKind.Gathering)
        {
            _transactions.Remove(Key(response.TransactionId));
            if (response.Type == StunMessageType.BindingSuccess && response.MappedAddress is { } mapped && _localCandidates.Count > 0
                && !_localCandidates.Exists(c => c.EndPoint.Equals(mapped)))
            {
                var host = _localCandidates[0];
                var srflx = new IceCandidate("srflx" + _localCandidates.Count, IceCandidate.ComputePriority(IceCandidateType.ServerReflexive, 65535 - _localCandidates.Count), mapped, IceCandidateType.ServerReflexive, host.EndPoint);
                _localCandidates.Add(srflx);
                _events.Enqueue(new IceEvent.CandidateGathered(srflx));
            }

            GatheringDone();
            return true;
        }

        // Responses to checks are authenticated with the remote password (RFC 8445 §7.2.5.2).
        if (_remoteKey is null || !response.HasMessageIntegrity || !response.VerifyIntegrity(_remoteKey))
        {
            Log.IgnoredStun(_logger, source, "response without valid MESSAGE-INTEGRITY");
            return false;
        }

        _transactions.Remove(Key(response.TransactionId));
        var pair = t.Pair!;
        if (response.Type == StunMessageType.BindingError)
        {
            if (response.ErrorCode == 487 && t.Kind == TransactionKind.Check)
            {
                // RFC 8445 §7.2.5.1: switch to the role opposite to the one the request claimed and check again.
                SwitchRole(t.SentAs == IceRole.Controlling ? IceRole.Controlled : IceRole.Controlling);
                pair.State = IceCandidatePairState.Waiting;
                _triggered.Enqueue(pair);
            }
            else
            {
                pair.State = IceCandidatePairState.Failed;
                CheckAllFailed();
            }

            return true;
        }

        // RFC 8445 §7.2.5.2.1: the response must come from where the request went (symmetric addresses).
        if (!source.Equals(t.Destination))
        {
            pair.State = IceCandidatePairState.Failed;
            CheckAllFailed();
            return true;
        }

        if (ReferenceEquals(pair, _selected))
        {
            _lastConsentResponse = now;
        }

        if (pair.State != IceCandidatePairState.Succeeded)
        {
            pair.State = IceCandidatePairState.Succeeded;
            Log.PairSucceeded(_logger, pair);
            if (_firstValidAt is null)
            {
                _firstValidAt = now;
                _events.Enqueue(new IceEvent.FirstPairValid(pair.Remote.EndPoint));
            }
        }

        // Nominate as soon as no better pair is still being checked, rather than at the next timer tick.
        if (Role == IceRole.Controlling && _selected is null && !t.UseCandidate
            && !_pairs.Exists(p => p.State is IceCandidatePairState.Waiting or IceCandidatePairState.InProgress && p.Priority(Role) > pair.Priority(Role)))
        {
            Nominate(now);
        }

        if (_selected is null || !ReferenceEquals(_selected, pair))
        {
            if (Role == IceRole.Controlling && t.UseCandidate)
            {
                Select(pair, now);
            }
            else if (Role == IceRole.Controlled && pair.RemoteNominated)
            {
                Select(pair, now);
            }
        }

        return true;
    }

    private void Nominate(TimeSpan now)
    {
        if (_pairs.Exists(p => p.Nominating))
        {
            return;
        }

        IceCandidatePair? best = null;
        foreach (var p in _pairs)
        {
            if (p.State == IceCandidatePairState.Succeeded && (best is null || p.Priority(Role) > best.Priority(Role)))
            {
                best = p;
            }
        }

        if (best is not null)
        {
            best.Nominating = true;
            SendCheck(best, now, useCandidate: true);
        }
    }

    private void Select(IceCandidatePair pair, TimeSpan now)
    {
        _selected = pair;
        _lastConsentResponse = now;
        ScheduleConsent(now);
        Log.Selected(_logger, pair, Role);
        _events.Enqueue(new IceEvent.SelectedPairChanged(pair.Remote.EndPoint));
        SetState(IceConnectionState.Connected);
    }

    private void ScheduleConsent(TimeSpan now)
    {
        // RFC 7675 §5.1: uniformly random in [0.8, 1.2] × the interval.
        double factor = 0.8 + (0.4 * _options.Random.NextDouble());
        _nextConsentAt = now + (_options.ConsentInterval * factor);
    }

    private void SendCheck(IceCandidatePair pair, TimeSpan now, bool useCandidate, TransactionKind kind = TransactionKind.Check)
    {
        var builder = new StunMessageBuilder(StunMessageType.BindingRequest, StunMessageBuilder.NewTransactionId())
            .AddUsername(_remoteUfrag + ":" + _options.LocalUfrag)
            // RFC 8445 §7.1.1: PRIORITY is what a peer-reflexive candidate of ours would get.
            .AddPriority(IceCandidate.ComputePriority(IceCandidateType.PeerReflexive, (int)((pair.Local.Priority >> 8) & 0xFFFF)));
        builder = Role == IceRole.Controlling ? builder.AddIceControlling(_options.TieBreaker) : builder.AddIceControlled(_options.TieBreaker);
        if (useCandidate && Role == IceRole.Controlling)
        {
            builder.AddUseCandidate();
        }

        byte[] request = builder.Build(_remoteKey);
        if (kind == TransactionKind.Check)
        {
            pair.State = pair.State == IceCandidatePairState.Succeeded ? pair.State : IceCandidatePairState.InProgress;
        }

        _transactions[Key(builder.TransactionId)] = new Transaction(builder.TransactionId, request, pair.Remote.EndPoint, pair, useCandidate, kind, now + _options.InitialRetransmitTimeout, _options.InitialRetransmitTimeout)
        {
            SentAs = Role,
        };
        _transmits.Enqueue(new IceTransmit(pair.Remote.EndPoint, request));
    }

    private void SendError(StunMessage request, IPEndPoint source, int code, string reason)
    {
        byte[] response = new StunMessageBuilder(StunMessageType.BindingError, request.TransactionId)
            .AddErrorCode(code, reason)
            .Build(_localKey);
        _transmits.Enqueue(new IceTransmit(source, response));
    }

    private void RetransmitDue(TimeSpan now)
    {
        List<string>? expired = null;
        foreach (var (key, t) in _transactions)
        {
            if (t.NextRetransmitAt > now)
            {
                continue;
            }

            if (t.Transmissions >= _options.MaxTransmissions)
            {
                (expired ??= []).Add(key);
                continue;
            }

            t.Transmissions++;
            t.Rto = TimeSpan.FromTicks(Math.Min(t.Rto.Ticks * 2, _options.MaxRetransmitTimeout.Ticks));
            t.NextRetransmitAt = now + t.Rto;
            _transmits.Enqueue(new IceTransmit(t.Destination, t.Request));
        }

        foreach (var key in expired ?? [])
        {
            var t = _transactions[key];
            _transactions.Remove(key);
            switch (t.Kind)
            {
                case TransactionKind.Gathering:
                    GatheringDone();
                    break;
                case TransactionKind.Check when t.Pair!.State != IceCandidatePairState.Succeeded:
                    t.Pair.State = IceCandidatePairState.Failed;
                    t.Pair.Nominating = false;
                    CheckAllFailed();
                    break;
                case TransactionKind.Check:
                    // A nomination that never got its answer: try again on the next tick.
                    t.Pair.Nominating = false;
                    break;
                default:
                    break; // Consent: the 30 s expiry decides.
            }
        }
    }

    private void GatheringDone()
    {
        if (--_pendingGathering == 0)
        {
            _events.Enqueue(new IceEvent.GatheringComplete());
        }
    }

    private void CheckAllFailed()
    {
        if (_selected is null && _pairs.Count > 0 && _pairs.TrueForAll(p => p.State == IceCandidatePairState.Failed) && _triggered.Count == 0)
        {
            Log.Failed(_logger, "every candidate pair failed");
            SetState(IceConnectionState.Failed);
        }
    }

    private IceCandidatePair? NextWaitingPair()
    {
        IceCandidatePair? best = null;
        foreach (var p in _pairs)
        {
            if (p.State == IceCandidatePairState.Waiting && (best is null || p.Priority(Role) > best.Priority(Role)))
            {
                best = p;
            }
        }

        return best;
    }

    private IceCandidatePair? TryAddPair(IceCandidate remote)
    {
        var local = ChooseLocal(remote);
        if (local is null || _pairs.Exists(p => ReferenceEquals(p.Remote, remote)))
        {
            return null;
        }

        var pair = new IceCandidatePair(local, remote);
        _pairs.Add(pair);
        return pair;
    }

    private IceCandidate? ChooseLocal(IceCandidate remote)
    {
        var family = remote.EndPoint.AddressFamily;
        bool remoteLoopback = IPAddress.IsLoopback(remote.EndPoint.Address);
        IceCandidate? fallback = null;
        foreach (var c in _localCandidates)
        {
            if (c.Type != IceCandidateType.Host || c.EndPoint.AddressFamily != family)
            {
                continue;
            }

            if (IPAddress.IsLoopback(c.EndPoint.Address) == remoteLoopback)
            {
                return c;
            }

            fallback ??= c;
        }

        return fallback;
    }

    private void SwitchRole(IceRole role)
    {
        if (Role != role)
        {
            Log.RoleSwitched(_logger, role);
            Role = role;
        }
    }

    private void SetState(IceConnectionState state)
    {
        if (State != state)
        {
            State = state;
            _events.Enqueue(new IceEvent.StateChanged(state));
        }
    }

    private static TimeSpan? Min(TimeSpan? a, TimeSpan b) => a is null || b < a ? b : a;

    private static string Key(byte[] transactionId) => Convert.ToHexString(transactionId);

    private enum TransactionKind
    {
        Check,
        Consent,
        Gathering,
    }

    private sealed class Transaction(byte[] id, byte[] request, IPEndPoint destination, IceCandidatePair? pair, bool useCandidate, TransactionKind kind, TimeSpan nextRetransmitAt, TimeSpan rto)
    {
        public byte[] Id { get; } = id;

        public byte[] Request { get; } = request;

        public IPEndPoint Destination { get; } = destination;

        public IceCandidatePair? Pair { get; } = pair;

        public bool UseCandidate { get; } = useCandidate;

        public TransactionKind Kind { get; } = kind;

        public IceRole SentAs { get; init; }

        public TimeSpan NextRetransmitAt { get; set; } = nextRetransmitAt;

        public TimeSpan Rto { get; set; } = rto;

        public int Transmissions { get; set; } = 1;
    }
}
