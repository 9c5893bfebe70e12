using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Tavus.Cvi.WebRtc.Diagnostics;
using Tavus.Cvi.WebRtc.Peer;

namespace Tavus.Cvi.WebRtc.Dtls;

/// <summary>
/// DTLS 1.2 (RFC 6347) over BouncyCastle behind queues: the only part of the stack with its own thread, because
/// BouncyCastle's handshake and receive calls block. The core hands it datagrams (<see cref="HandleDatagram"/>) and
/// application data (<see cref="Send"/>); it produces datagrams and events in thread-safe queues and calls the wake
/// callback whenever there is something to drain.
/// </summary>
internal sealed class DtlsEndpoint : IDisposable
{
    /// <summary>The UDP payload limit we keep under (no IP fragmentation on common paths); BouncyCastle then allows
    /// 1163 bytes of application data per record with AES-GCM, the SCTP MTU.</summary>
    public const int DatagramLimit = 1200;

    private const int MaxRecordPlaintext = (1 << 14) + 2048;

    private readonly RtcCertificate _certificate;
    private DtlsRole _role;
    private string? _remoteFingerprint;
    private readonly ILogger _logger;
    private readonly Action _wake;
    private readonly DtlsQueueTransport _transport;
    private readonly DtlsLockstep? _lockstep;
    private readonly ConcurrentQueue<byte[]> _outbound = new();
    private readonly ConcurrentQueue<DtlsEvent> _events = new();
    private readonly Lock _sendLock = new();
    // Not disposed: the DTLS thread may still be starting when the owner disposes, and an event nobody blocked on
    // holds no kernel handle.
    private readonly ManualResetEventSlim _go = new();
    private Thread? _thread;
    private volatile DtlsTransport? _dtls;
    private volatile bool _closing;
    private bool _receiveStopped;
    private byte[]? _receiveBuffer;

    /// <summary>Creates the endpoint; <see cref="Start"/> begins the handshake.</summary>
    /// <param name="role">Client (sends the ClientHello) or server.</param>
    /// <param name="certificate">Our certificate and key.</param>
    /// <param name="remoteFingerprint">The SHA-256 fingerprint from the remote SDP.</param>
    /// <param name="wake">Called from the DTLS thread when there is something to drain.</param>
    /// <param name="logger">Where DTLS logs go.</param>
    /// <param name="lockstep">Simulation only: run the handshake in lockstep with the caller (see <see cref="DtlsLockstep"/>).</param>
    public DtlsEndpoint(DtlsRole role, RtcCertificate certificate, string remoteFingerprint, Action wake, ILogger? logger = null, bool lockstep = false)
        : this(certificate, wake, logger, lockstep)
    {
        Configure(role, remoteFingerprint);
    }

    /// <summary>
    /// Creates an endpoint whose role and remote fingerprint are not known yet (an offerer before the answer): it can be
    /// prepared at once, and <see cref="Configure"/> must be called before <see cref="Start"/>.
    /// </summary>
    /// <param name="certificate">Our certificate and key.</param>
    /// <param name="wake">Called from the DTLS thread when there is something to drain.</param>
    /// <param name="logger">Where DTLS logs go.</param>
    /// <param name="lockstep">Simulation only: run the handshake in lockstep with the caller (see <see cref="DtlsLockstep"/>).</param>
    public DtlsEndpoint(RtcCertificate certificate, Action wake, ILogger? logger = null, bool lockstep = false)
    {
        _certificate = certificate;
        _wake = wake;
        _logger = logger ?? NullLogger.Instance;
        _lockstep = lockstep ? new DtlsLockstep() : null;
        _transport = new DtlsQueueTransport(DatagramLimit, datagram =>
        {
            _outbound.Enqueue(datagram);
            Wake();
        }, _lockstep);
    }

    public DtlsRole Role => _role;

    /// <summary>Whether the role and the remote fingerprint are set (<see cref="Start"/> needs them).</summary>
    public bool IsConfigured => _remoteFingerprint is not null;

    /// <summary>
    /// Sets the role and the remote SDP's SHA-256 fingerprint before <see cref="Start"/>. The DTLS thread reads them only
    /// after <see cref="Start"/> releases it, which orders these writes before its reads.
    /// </summary>
    public void Configure(DtlsRole role, string remoteFingerprint)
    {
        if (IsStarted)
        {
            throw new InvalidOperationException("The DTLS handshake has started; its role and peer are fixed.");
        }

        _role = role;
        _remoteFingerprint = remoteFingerprint;
    }

    public bool IsConnected => _dtls is not null;

    /// <summary>Whether <see cref="Start"/> was called (the handshake may begin).</summary>
    public bool IsStarted => _go.IsSet;

    /// <summary>
    /// Starts the DTLS thread and lets it do the work that does not need the peer (thread start, the ephemeral key pair)
    /// while ICE is still checking; the handshake itself waits for <see cref="Start"/>.
    /// </summary>
    public void Prepare()
    {
        if (_thread is null)
        {
            _thread = new Thread(Run) { IsBackground = true, Name = IsConfigured ? "WebRtc DTLS " + _role : "WebRtc DTLS" };
            // Thread.Start blocks until the new thread runs, which under load took milliseconds of the caller's (the
            // peer loop's) time while ICE was mid-check; a pool thread waits for it instead.
            ThreadPool.UnsafeQueueUserWorkItem(static thread => thread.Start(), _thread, preferLocal: false);
        }
    }

    /// <summary>Starts the handshake on the DTLS thread (preparing first if <see cref="Prepare"/> was not called).</summary>
    public void Start()
    {
        if (!IsConfigured)
        {
            throw new InvalidOperationException("Configure the DTLS role and the remote fingerprint before starting.");
        }

        Prepare();
        _go.Set();
        _lockstep?.WaitUntilParked();
    }

    /// <summary>Lockstep mode: the retransmission wait the handshake started since the last call, if any.</summary>
    public bool TryTakeHandshakeWait(out TimeSpan wait)
    {
        wait = default;
        return _lockstep is not null && _lockstep.TryTakeNewWait(out wait);
    }

    /// <summary>Lockstep mode: whether the handshake thread still runs (and so still has a retransmission timer).</summary>
    public bool IsHandshaking => _lockstep?.IsHandshaking ?? !IsConnected;

    /// <summary>Lockstep mode: the deadline of the handshake's wait passed; it retransmits its flight.</summary>
    public void HandshakeTimeout() => _lockstep?.Timeout();

    /// <summary>Hands a received DTLS datagram (RFC 7983: first byte 20-63) to the engine.</summary>
    public void HandleDatagram(byte[] datagram) => _transport.Deliver(datagram);

    public bool TryPollTransmit(out byte[]? datagram) => _outbound.TryDequeue(out datagram);

    public bool TryPollEvent(out DtlsEvent? evt) => _events.TryDequeue(out evt);

    /// <summary>
    /// After the handshake, decrypts the datagrams handed in so far on the caller's thread and queues their records as
    /// <see cref="DtlsEvent.Data"/>. Never blocks longer than 1 ms (when a datagram holds no application record).
    /// </summary>
    public void ReceivePending() =>
        ReceivePending(static (record, events) => events.Enqueue(new DtlsEvent.Data(record.ToArray())), _events);

    /// <summary>
    /// After the handshake, decrypts the datagrams handed in so far on the caller's thread and hands each record's
    /// plaintext to <paramref name="onRecord"/>, which must not keep the span (it is reused for the next record).
    /// This saves the copy and the event of <see cref="ReceivePending()"/> per datagram on the data path. Closure and
    /// failure still arrive as events, after the records that preceded them.
    /// </summary>
    public void ReceivePending<TState>(ReadOnlySpanAction<byte, TState> onRecord, TState state)
    {
        var dtls = _dtls;
        if (dtls is null || _closing || _receiveStopped)
        {
            return;
        }

        // The plaintext of one record is at most 2^14 bytes (RFC 6347 §4.1, RFC 5246 §6.2.1); the transport's receive
        // limit grows with the datagrams seen, so the buffer is sized for the protocol's limit, not today's.
        _receiveBuffer ??= new byte[MaxRecordPlaintext];
        try
        {
            // Bounded by what is queued now: BouncyCastle returns -1 without consuming once closed.
            for (int budget = _transport.PendingCount; budget > 0 && _transport.PendingCount > 0; budget--)
            {
                int n = dtls.Receive(_receiveBuffer, 0, _receiveBuffer.Length, 1);
                if (n < 0)
                {
                    break;
                }

                onRecord(_receiveBuffer.AsSpan(0, n), state);
            }
        }
        catch (TlsFatalAlertReceived ex) when (ex.AlertDescription == AlertDescription.close_notify)
        {
            _receiveStopped = true;
            _events.Enqueue(new DtlsEvent.Closed());
        }
        catch (Exception ex) when (ex is TlsException or IOException)
        {
            _receiveStopped = true;
            Log.DtlsFailed(_logger, _role, ex.Message);
            _events.Enqueue(new DtlsEvent.Failed(ex.Message));
        }
    }

    /// <summary>Encrypts and queues one application-data record; false when not connected.</summary>
    public bool Send(ReadOnlySpan<byte> data)
    {
        var dtls = _dtls;
        if (dtls is null || _closing)
        {
            return false;
        }

        try
        {
            lock (_sendLock)
            {
                dtls.Send(data);
            }

            return true;
        }
        catch (Exception ex) when (ex is TlsException or IOException or ObjectDisposedException)
        {
            Log.DtlsSendFailed(_logger, ex.Message);
            return false;
        }
    }

    /// <summary>Sends close_notify when connected and stops the thread.</summary>
    public void Close()
    {
        if (_closing)
        {
            return;
        }

        _closing = true;
        try
        {
            lock (_sendLock)
            {
                _dtls?.Close();
            }
        }
        catch (Exception ex) when (ex is TlsException or IOException)
        {
            Log.DtlsSendFailed(_logger, ex.Message);
        }

        _transport.Close();
        _go.Set();
    }

    /// <summary>Closes and waits briefly for the DTLS thread to end, so no callback runs after disposal.</summary>
    public void Dispose()
    {
        Close();
        if (_thread is { IsAlive: true } thread && thread.ManagedThreadId != Environment.CurrentManagedThreadId)
        {
            thread.Join(TimeSpan.FromSeconds(2));
        }
    }

    private void Run()
    {
        try
        {
            RunHandshake();
        }
        finally
        {
            _lockstep?.Finish();
        }
    }

    private void RunHandshake()
    {
        try
        {
            var crypto = new BclTlsCrypto();
            crypto.PrepareEphemeralKey();
            _go.Wait();
            if (_closing)
            {
                return; // Closed before the handshake was allowed to begin: nothing was connected, nothing to report.
            }

            DtlsTransport dtls = _role == DtlsRole.Client
                ? new DtlsClientProtocol().Connect(new Client(crypto, this), _transport)
                : new DtlsServerProtocol().Accept(new Server(crypto, this), _transport);
            _transport.HandshakeCompleted();
            _dtls = dtls;
            int limit = dtls.GetSendLimit();
            Log.DtlsConnected(_logger, _role, limit);
            Raise(new DtlsEvent.Connected(limit));

            // The handshake is done: from here the owner's loop reads records itself (ReceivePending), which saves two
            // thread hops per datagram and keeps BouncyCastle's record layer on one thread for both directions.
        }
        catch (Exception ex) when (_closing)
        {
            Log.DtlsStopped(_logger, ex);
            Raise(new DtlsEvent.Closed());
        }
        catch (TlsFatalAlertReceived ex) when (ex.AlertDescription == AlertDescription.close_notify)
        {
            Raise(new DtlsEvent.Closed());
        }
#pragma warning disable CA1031 // The DTLS thread must report any failure as an event, never crash the process.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Log.DtlsFailed(_logger, _role, ex.Message);
            Raise(new DtlsEvent.Failed(ex.Message));
        }
    }

    private void Raise(DtlsEvent evt)
    {
        _events.Enqueue(evt);
        Wake();
    }

    private void Wake()
    {
        try
        {
            _wake();
        }
        catch (ObjectDisposedException)
        {
            // The owner is gone (its loop stopped first); nothing is left to wake.
        }
    }

    /// <summary>RFC 8827 §6.5 / RFC 8122: the peer certificate must hash to the fingerprint from the remote SDP.</summary>
    private void VerifyPeer(Certificate? certificate)
    {
        if (certificate is null || certificate.IsEmpty)
        {
            throw new TlsFatalAlert(AlertDescription.certificate_required);
        }

        string actual = RtcCertificate.ComputeFingerprint(certificate.GetCertificateAt(0).GetEncoded());
        if (!string.Equals(actual, _remoteFingerprint, StringComparison.OrdinalIgnoreCase))
        {
            Log.DtlsFingerprintMismatch(_logger);
            throw new TlsFatalAlert(AlertDescription.bad_certificate);
        }
    }

    private static readonly int[] CipherSuites =
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, // 0xC02B, accepted by every WebRTC stack
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
    ];

    private static DefaultTlsCredentialedSigner Signer(TlsContext context, BclTlsCrypto crypto, RtcCertificate certificate) =>
        new DefaultTlsCredentialedSigner(
            new TlsCryptoParameters(context),
            new BclEcdsaSigner(certificate.SigningKey),
            new Certificate([crypto.CreateCertificate(certificate.DerEncoded)]),
            new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));

    private sealed class Client(BclTlsCrypto crypto, DtlsEndpoint owner) : DefaultTlsClient(crypto)
    {
        protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

        protected override int[] GetSupportedCipherSuites() => CipherSuites;

        public override TlsAuthentication GetAuthentication() => new Authentication(crypto, owner, m_context);

        public override void NotifyAlertRaised(short alertLevel, short alertDescription, string message, Exception cause) =>
            Log.DtlsAlert(owner._logger, "sent", alertDescription);

        public override void NotifyAlertReceived(short alertLevel, short alertDescription) =>
            Log.DtlsAlert(owner._logger, "received", alertDescription);
    }

    private sealed class Authentication(BclTlsCrypto crypto, DtlsEndpoint owner, TlsClientContext context) : TlsAuthentication
    {
        public void NotifyServerCertificate(TlsServerCertificate serverCertificate) => owner.VerifyPeer(serverCertificate.Certificate);

        public TlsCredentials GetClientCredentials(CertificateRequest certificateRequest) => Signer(context, crypto, owner._certificate);
    }

    private sealed class Server(BclTlsCrypto crypto, DtlsEndpoint owner) : DefaultTlsServer(crypto)
    {
        protected override ProtocolVersion[] GetSupportedVersions() => ProtocolVersion.DTLSv12.Only();

        protected override int[] GetSupportedCipherSuites() => CipherSuites;

        protected override TlsCredentialedSigner GetECDsaSignerCredentials() => Signer(m_context, crypto, owner._certificate);

        // Mutual authentication: WebRTC requires the client certificate (RFC 8827 §6.5).
        public override CertificateRequest GetCertificateRequest() => new(
            [ClientCertificateType.ecdsa_sign],
            [new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa)],
            null);

        public override void NotifyClientCertificate(Certificate clientCertificate) => owner.VerifyPeer(clientCertificate);

        public override void NotifyAlertRaised(short alertLevel, short alertDescription, string message, Exception cause) =>
            Log.DtlsAlert(owner._logger, "sent", alertDescription);

        public override void NotifyAlertReceived(short alertLevel, short alertDescription) =>
            Log.DtlsAlert(owner._logger, "received", alertDescription);
    }
}
