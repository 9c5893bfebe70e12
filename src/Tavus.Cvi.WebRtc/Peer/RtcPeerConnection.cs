using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tavus.Cvi.WebRtc.Diagnostics;
using Tavus.Cvi.WebRtc.Ice;
using Tavus.Cvi.WebRtc.Sdp;

namespace Tavus.Cvi.WebRtc.Peer;

/// <summary>
/// A data-channel-only WebRTC peer connection (ICE, DTLS 1.2, SCTP, DCEP) over one UDP socket, interoperable with
/// browsers and native WebRTC stacks. Signalling is the application's: exchange the SDP of
/// <see cref="CreateOfferAsync"/> / <see cref="CreateAnswerAsync"/> and apply the other side's with
/// <see cref="SetRemoteDescriptionAsync"/>. Descriptions are complete (non-trickle): they carry every candidate.
/// Methods are thread-safe; events are raised off the network thread, in order.
/// </summary>
public sealed class RtcPeerConnection : IAsyncDisposable
{
    private static readonly char[] IceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".ToCharArray();

    private readonly RtcConfiguration _configuration;
    private readonly ILogger _logger;
    private readonly RtcCertificate _certificate;
    private readonly Channel<Action> _dispatch = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _dispatcher;
    private readonly SemaphoreSlim _startGate = new(1, 1);
    private readonly TaskCompletionSource _gathered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _channelsGate = new();
    private readonly List<RtcDataChannel> _pendingChannels = [];
    private UdpPeerDriver? _driver;
    private PeerConnectionCore? _core;
    private int _state;
    private long _remoteMaxMessageSize = 65536;
    private int _closing;

    /// <summary>Creates a peer connection; nothing is bound until the first offer, answer or remote description.</summary>
    public RtcPeerConnection(RtcConfiguration? configuration = null)
    {
        _configuration = configuration ?? new RtcConfiguration();
        _logger = _configuration.LoggerFactory?.CreateLogger("Tavus.Cvi.WebRtc.Peer") ?? NullLogger.Instance;
        _certificate = _configuration.Certificate ?? RtcCertificate.Generate(_configuration.TimeProvider);
        _dispatcher = Task.Run(DispatchAsync);
    }

    /// <summary>The aggregate connection state.</summary>
    public RtcPeerConnectionState ConnectionState => (RtcPeerConnectionState)Volatile.Read(ref _state);

    /// <summary>The last offer or answer this side produced.</summary>
    public RtcSessionDescription? LocalDescription { get; private set; }

    /// <summary>The remote offer or answer applied.</summary>
    public RtcSessionDescription? RemoteDescription { get; private set; }

    /// <summary>The local certificate's fingerprint as announced in the SDP.</summary>
    public string CertificateFingerprint => _certificate.Fingerprint;

    /// <summary>The local UDP endpoint once bound.</summary>
    public IPEndPoint? LocalEndPoint => _driver?.LocalEndPoint;

    /// <summary>The driver and core once started, for the benchmarks' profile.</summary>
    internal (UdpPeerDriver? Driver, PeerConnectionCore? Core) Internals => (_driver, _core);

    internal long RemoteMaxMessageSize => Interlocked.Read(ref _remoteMaxMessageSize);

    internal long SendBufferHighWaterMark => _configuration.SendBufferHighWaterMark;

    /// <summary>Raised when <see cref="ConnectionState"/> changes.</summary>
    public event EventHandler<RtcConnectionStateChangedEventArgs>? ConnectionStateChanged;

    /// <summary>Raised when the remote side opens a channel in band (DCEP).</summary>
    public event EventHandler<RtcDataChannelEventArgs>? DataChannelReceived;

    /// <summary>Creates the local offer (controlling ICE agent, <c>a=setup:actpass</c>) after gathering candidates.</summary>
    public async Task<RtcSessionDescription> CreateOfferAsync(CancellationToken cancellationToken = default)
    {
        var (driver, core) = await EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        await WaitGatheredAsync(cancellationToken).ConfigureAwait(false);
        string sdp = await driver.InvokeAsync(_ => core.CreateOffer().Write()).WaitAsync(cancellationToken).ConfigureAwait(false);
        LocalDescription = new RtcSessionDescription(RtcSdpType.Offer, sdp);
        return LocalDescription;
    }

    /// <summary>Creates the answer to the applied remote offer, rejecting its audio/video sections.</summary>
    /// <exception cref="InvalidOperationException">No remote offer was applied.</exception>
    public async Task<RtcSessionDescription> CreateAnswerAsync(CancellationToken cancellationToken = default)
    {
        var (driver, core) = await EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        await WaitGatheredAsync(cancellationToken).ConfigureAwait(false);
        string sdp = await driver.InvokeAsync(now => core.CreateAnswer(now).Write(core.RemoteOffer)).WaitAsync(cancellationToken).ConfigureAwait(false);
        LocalDescription = new RtcSessionDescription(RtcSdpType.Answer, sdp);
        return LocalDescription;
    }

    /// <summary>Applies the remote offer or answer; connectivity checks start right away.</summary>
    /// <exception cref="ArgumentException">The SDP has no usable data-channel section, ICE credentials or sha-256 fingerprint.</exception>
    public async Task SetRemoteDescriptionAsync(RtcSessionDescription description, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(description);
        SdpDescription parsed;
        try
        {
            parsed = SdpDescription.Parse(description.Sdp);
            if (parsed.IceUfrag is null || parsed.IcePassword is null || parsed.FingerprintAlgorithm != "sha-256")
            {
                throw new FormatException("The description lacks ICE credentials or a sha-256 fingerprint.");
            }
        }
        catch (FormatException ex)
        {
            throw new ArgumentException(ex.Message, nameof(description), ex);
        }

        var (driver, core) = await EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        await driver.InvokeAsync(now =>
        {
            core.SetRemoteDescription(parsed, description.Type, now);
            Interlocked.Exchange(ref _remoteMaxMessageSize, core.RemoteMaxMessageSize);
            return true;
        }).WaitAsync(cancellationToken).ConfigureAwait(false);
        RemoteDescription = description;
    }

    /// <summary>
    /// Adds a remote candidate trickled after the remote description (RFC 8838), as the <c>candidate:...</c> attribute
    /// value with or without <c>a=</c>. Candidates this peer cannot use (TCP, mDNS <c>.local</c> names, other components)
    /// are ignored, as RFC 8839 §5.1 asks.
    /// </summary>
    /// <exception cref="InvalidOperationException">No remote description was applied yet.</exception>
    public async Task AddIceCandidateAsync(string candidate, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (RemoteDescription is null)
        {
            throw new InvalidOperationException("Apply the remote description before adding its candidates.");
        }

        if (!IceCandidate.TryParse(candidate, out var parsed))
        {
            return;
        }

        var (driver, core) = await EnsureStartedAsync(cancellationToken).ConfigureAwait(false);
        await driver.InvokeAsync(now => { core.AddRemoteCandidate(parsed!, now); return true; }).WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates a channel. In-band channels (the default) are announced with DCEP once the association is up; negotiated
    /// ones (<see cref="RtcDataChannelOptions.Negotiated"/>) need the same id on both sides.
    /// </summary>
    /// <exception cref="ArgumentException">Both partial-reliability limits were given, or a negotiated channel has no id.</exception>
    public RtcDataChannel CreateDataChannel(string label, RtcDataChannelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(label);
        options ??= new RtcDataChannelOptions();
        if (options.MaxRetransmits is not null && options.MaxPacketLifeTime is not null)
        {
            throw new ArgumentException("MaxRetransmits and MaxPacketLifeTime are mutually exclusive.", nameof(options));
        }

        if (options.Negotiated && options.Id is null)
        {
            throw new ArgumentException("A negotiated channel needs an Id.", nameof(options));
        }

        ObjectDisposedException.ThrowIf(Volatile.Read(ref _closing) != 0, this);
        var channel = new RtcDataChannel(this, label, options);
        lock (_channelsGate)
        {
            if (_core is null)
            {
                _pendingChannels.Add(channel);
                return channel;
            }
        }

        var core = _core;
        _driver!.Post(now => core.RegisterChannel(channel, now));
        return channel;
    }

    /// <summary>Completes when the connection is <see cref="RtcPeerConnectionState.Connected"/>; fails if it fails or closes first.</summary>
    public Task WaitUntilConnectedAsync(CancellationToken cancellationToken = default) => _connected.Task.WaitAsync(cancellationToken);

    /// <summary>Closes the association gracefully, then the DTLS link and the socket.</summary>
    public async Task CloseAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _closing, 1) != 0)
        {
            return;
        }

        if (_driver is { } driver && _core is { } core)
        {
            try
            {
                await driver.InvokeAsync(now => { core.BeginClose(now); return true; }).WaitAsync(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                await core.ShutdownComplete.WaitAsync(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                // The remote did not finish the SHUTDOWN handshake in time; abort below.
            }

            await driver.InvokeAsync(now => { core.Close(now); return true; }).WaitAsync(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
            await driver.DisposeAsync().ConfigureAwait(false);
            core.Dispose();
        }

        OnStateChanged(RtcPeerConnectionState.Closed);
        _dispatch.Writer.TryComplete();
        await _dispatcher.ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        try
        {
            await CloseAsync().ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        _startGate.Dispose();
    }

    // ---- Used by RtcDataChannel ----

    internal Task SendOnChannelAsync(RtcDataChannel channel, string? text, byte[] data)
    {
        var driver = _driver ?? throw new InvalidOperationException("The peer connection is not started.");
        var core = _core!;
        // Fire and forget onto the loop: the work queue keeps per-caller order, the channel's state and size were
        // checked by the caller, and backpressure comes from BufferedAmount. Not waiting for the loop thread makes a
        // send cost a queue write instead of two thread hops, which dominates for small messages.
        driver.Post(now =>
        {
            try
            {
                core.SendOnChannel(channel, text, data, now);
            }
            catch (InvalidOperationException ex)
            {
                // The channel closed between the caller's check and the loop running the send.
                Log.SendDropped(_logger, channel.Label, ex.Message);
            }
            finally
            {
                channel.Dequeued(data.Length);
            }
        });
        return Task.CompletedTask;
    }

    internal Task CloseChannelAsync(RtcDataChannel channel)
    {
        if (_driver is not { } driver || _core is not { } core)
        {
            channel.RaiseClosed(LogHandlerError);
            return Task.CompletedTask;
        }

        return driver.InvokeAsync(now => { core.CloseChannel(channel, now); return true; });
    }

    private async Task<(UdpPeerDriver Driver, PeerConnectionCore Core)> EnsureStartedAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _closing) != 0, this);
        if (_driver is not null)
        {
            return (_driver, _core!);
        }

        await _startGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_driver is not null)
            {
                return (_driver, _core!);
            }

            var stunServers = await ResolveStunServersAsync(cancellationToken).ConfigureAwait(false);
            var driver = new UdpPeerDriver(_configuration.BindAddress, _configuration.Port, _configuration.TimeProvider, _configuration.LoggerFactory);
            var core = new PeerConnectionCore(new PeerConnectionCoreOptions
            {
                Certificate = _certificate,
                MaxMessageSize = _configuration.MaxMessageSize,
                ForcedSetup = _configuration.ForcedSetup,
                LoggerFactory = _configuration.LoggerFactory,
                Wake = driver.Wake,
                ChannelFactory = (label, options) => new RtcDataChannel(this, label, options),
                Ice = new IceAgentOptions
                {
                    LocalUfrag = RandomIceString(8),
                    LocalPassword = RandomIceString(24),
                    TieBreaker = BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(8)),
                    StunServers = stunServers,
                },
            });
            var candidates = driver.HostCandidates(_configuration.IncludeLoopbackCandidate, _configuration.IncludeInterfaceCandidates);
            List<RtcDataChannel> pending;
            lock (_channelsGate)
            {
                _core = core;
                pending = [.. _pendingChannels];
                _pendingChannels.Clear();
            }

            driver.Start(core, OnCoreEvent);
            driver.Post(now =>
            {
                foreach (var c in candidates)
                {
                    core.AddLocalCandidate(c);
                }

                foreach (var channel in pending)
                {
                    core.RegisterChannel(channel, now);
                }

                core.StartGathering(now);
            });
            _driver = driver;
            return (driver, core);
        }
        finally
        {
            _startGate.Release();
        }
    }

    private async Task WaitGatheredAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _gathered.Task.WaitAsync(_configuration.GatheringTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Produce the description with what was gathered; a silent STUN server must not block signalling.
        }
    }

    private async Task<IReadOnlyList<IPEndPoint>> ResolveStunServersAsync(CancellationToken cancellationToken)
    {
        var result = new List<IPEndPoint>();
        foreach (var url in _configuration.IceServers.SelectMany(s => s.Urls))
        {
            // RFC 7064: stun:host[:port]; TURN is not supported by this peer.
            if (!url.StartsWith("stun:", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            string hostPort = url[5..];
            int port = 3478;
            int colon = hostPort.LastIndexOf(':');
            if (colon > 0 && !hostPort.EndsWith(']') && int.TryParse(hostPort[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture, out int p))
            {
                port = p;
                hostPort = hostPort[..colon];
            }

            hostPort = hostPort.Trim('[', ']');
            try
            {
                var addresses = IPAddress.TryParse(hostPort, out var ip) ? [ip] : await Dns.GetHostAddressesAsync(hostPort, cancellationToken).ConfigureAwait(false);
                if (addresses.FirstOrDefault(a => a.AddressFamily == _configuration.BindAddress.AddressFamily) is { } address)
                {
                    result.Add(new IPEndPoint(address, port));
                }
            }
            catch (SocketException)
            {
                Log.StunServerUnresolved(_logger, url);
            }
        }

        return result;
    }

    /// <summary>Runs on the loop thread: update state at once, hand user-visible work to the dispatcher.</summary>
    private void OnCoreEvent(PeerEvent evt)
    {
        switch (evt)
        {
            case PeerEvent.StateChanged s:
                OnStateChanged(s.State);
                break;
            case PeerEvent.GatheringComplete:
                _gathered.TrySetResult();
                break;
            case PeerEvent.ChannelReceived r:
                Dispatch(() => DataChannelReceived?.Invoke(this, new RtcDataChannelEventArgs(r.Channel)));
                break;
            case PeerEvent.ChannelOpened o:
                o.Channel.SetState(RtcDataChannelState.Open);
                Dispatch(() => o.Channel.RaiseOpened(LogHandlerError));
                break;
            case PeerEvent.ChannelClosed c:
                c.Channel.SetState(RtcDataChannelState.Closed);
                Dispatch(() => c.Channel.RaiseClosed(LogHandlerError));
                break;
            case PeerEvent.ChannelMessage m:
                if (!m.Channel.TryDeliverDirect(m.Message))
                {
                    Dispatch(() => m.Channel.Deliver(m.Message, LogHandlerError));
                }

                break;
            default:
                break;
        }
    }

    private void OnStateChanged(RtcPeerConnectionState state)
    {
        int previous = Interlocked.Exchange(ref _state, (int)state);
        if (previous == (int)state || previous == (int)RtcPeerConnectionState.Closed)
        {
            Volatile.Write(ref _state, previous);
            return;
        }

        switch (state)
        {
            case RtcPeerConnectionState.Connected:
                _connected.TrySetResult();
                break;
            case RtcPeerConnectionState.Failed or RtcPeerConnectionState.Closed:
                _connected.TrySetException(new InvalidOperationException($"The peer connection is {state}."));
                _ = _connected.Task.Exception;
                break;
            default:
                break;
        }

        Dispatch(() => ConnectionStateChanged?.Invoke(this, new RtcConnectionStateChangedEventArgs(state)));
    }

    private void Dispatch(Action action) => _dispatch.Writer.TryWrite(action);

    private async Task DispatchAsync()
    {
        await foreach (var action in _dispatch.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                action();
            }
#pragma warning disable CA1031 // A user handler's exception is logged and never kills the event loop.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                LogHandlerError(ex);
            }
        }
    }

    private void LogHandlerError(Exception ex) => Log.HandlerFailed(_logger, ex);

    private static string RandomIceString(int length)
    {
        // RFC 8839 §5.4: ice-char = ALPHA / DIGIT / "+" / "/"; ufrag ≥ 4 chars (24 bits), pwd ≥ 22 chars (128 bits).
        return new string(RandomNumberGenerator.GetItems<char>(IceChars, length));
    }
}
