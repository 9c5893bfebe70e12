using System.Globalization;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tavus.Cvi.Interactions.Diagnostics;
using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.Interactions.Daily;

/// <summary>
/// An <see cref="ICviTransport"/> that joins a Daily room itself, over Daily's room lookup and signaling WebSocket, and
/// carries app messages as <c>sig-msg</c> frames (SFU rooms; daily-protocol.md §3-§6).
/// </summary>
/// <remarks>
/// <para>
/// The meeting token goes only to the room-lookup endpoint and <c>sigAuthz</c> only to allowed signaling hosts
/// (<see cref="DailyEndpoints"/>); neither is ever logged or put in an exception message.
/// </para>
/// <para>
/// A dropped or stale connection is re-established with the same session id (fresh room lookup, the alternate
/// <c>-wss</c> host form, backoff with jitter, <see cref="DailyTransportOptions.ReconnectDeadline"/>); messages sent
/// meanwhile wait in order (up to <see cref="DailyTransportOptions.MaxQueuedMessages"/>) and go out after the rejoin.
/// </para>
/// <para>
/// Peer-to-peer rooms (§7) need <see cref="DailyTransportOptions.PeerToPeer"/>: app messages then travel over a
/// WebRTC data channel (<c>app-messages</c>) to each participant, and a message to a participant whose channel is not
/// open yet waits for it. Without the option, joining a peer-to-peer room fails with
/// <see cref="CviConnectionFailure.Unsupported"/>.
/// </para>
/// </remarks>
public sealed partial class DailyTransport : ICviTransport
{
    private const int HeartbeatPeriodMs = 2000;
    private const int HeartbeatSilenceMs = 1900;
    private const int StaleSilenceMs = 10_000;
    private const int MaxBatchEntries = 256;
    private const int MaxBatchDepth = 8;
    private static readonly TimeSpan s_joinRetryDelay = TimeSpan.FromMilliseconds(1425);
    private static readonly TimeSpan s_leaveTimeout = TimeSpan.FromSeconds(2);

    private readonly DailyRoomAddress _address;
    private readonly DailyTransportOptions _options;
    private readonly string? _meetingToken;
    private readonly string _aboutClientJson;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Channel<TransportEvent> _events =
        Channel.CreateUnbounded<TransportEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _lifetime = new();
    private readonly Lock _gate = new();
    private readonly Dictionary<string, RoomParticipant> _participants = new(StringComparer.Ordinal);
    private readonly LinkedList<PendingSend> _queue = new();

    private TransportState _state;
    private DailySignalingConnection? _connection;
    private int _generation;
    private int _joinStarted;
    private int _soupSequence;
    private string _sigAuthz = string.Empty;
    private Uri? _workerUri;
    private string _meetingSessionId = Guid.NewGuid().ToString();
    private string? _topology;
    private string? _tokenUserName;
    private string? _tokenUserId;
    private long? _joinedAt;
    private long _serverClockOffsetMs;
    private bool _haveServerClock;
    private bool _supportStateLogged;
    private RoomParticipant? _local;
    private Task? _reconnectTask;
    private int _disposed;

    /// <summary>Creates a transport for a Daily room. Nothing is sent until <see cref="JoinAsync"/>.</summary>
    /// <param name="roomUrl">
    /// The room URL, such as a Tavus <c>conversation_url</c> (<c>https://tavus.daily.co/{room}</c>). A <c>t=</c> query
    /// parameter is taken as the meeting token and stripped.
    /// </param>
    /// <param name="options">The transport options; defaults when null.</param>
    /// <param name="loggerFactory">Where to log; nothing is logged when null.</param>
    /// <param name="timeProvider">The clock for heartbeats, timeouts and backoff; the system clock when null.</param>
    /// <exception cref="ArgumentException">The URL is not a room URL the endpoints allow (the message never repeats it).</exception>
    public DailyTransport(
        string roomUrl,
        DailyTransportOptions? options = null,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(roomUrl);
        _options = options ?? new DailyTransportOptions();
        ArgumentNullException.ThrowIfNull(_options.Endpoints, "options.Endpoints");
        ArgumentNullException.ThrowIfNull(_options.ClientInfo, "options.ClientInfo");
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxMessageSize, 1, "options.MaxMessageSize");
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.JoinAttempts, 1, "options.JoinAttempts");
        ArgumentOutOfRangeException.ThrowIfNegative(_options.MaxQueuedMessages, "options.MaxQueuedMessages");
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_options.StepTimeout, TimeSpan.Zero, "options.StepTimeout");
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.ReconnectInitialDelay, TimeSpan.Zero, "options.ReconnectInitialDelay");
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.ReconnectMaxDelay, TimeSpan.Zero, "options.ReconnectMaxDelay");
        ArgumentOutOfRangeException.ThrowIfLessThan(_options.MaxInboundFrameBytes, 1024, "options.MaxInboundFrameBytes");

        _address = DailyRoomAddress.Parse(roomUrl, _options.Endpoints);
        _meetingToken = string.IsNullOrEmpty(_options.MeetingToken) ? _address.UrlToken : _options.MeetingToken;
        _aboutClientJson = DailyFrames.AboutClientJson(_options.ClientInfo);
        _logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<DailyTransport>();
        _time = timeProvider ?? TimeProvider.System;
        if (_options.HttpClient is { } http)
        {
            _http = http;
        }
        else
        {
            // Redirects are not followed: a redirected POST would carry the meeting token to another host (§2).
            _http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
            _ownsHttp = true;
        }
    }

    /// <summary>The local participant's session id, chosen by the client and kept across reconnects (§3).</summary>
    public string SessionId { get; } = Guid.NewGuid().ToString();

    /// <summary>The room as <c>{domain}/{room}</c>.</summary>
    public string MeetingString => _address.MeetingString;

    /// <summary>The room's meeting-session id (from <c>sig-ack</c>), kept across reconnects.</summary>
    public string MeetingSessionId
    {
        get
        {
            lock (_gate)
            {
                return _meetingSessionId;
            }
        }
    }

    /// <inheritdoc />
    public TransportState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    /// <inheritdoc />
    public RoomParticipant? LocalParticipant
    {
        get
        {
            lock (_gate)
            {
                return _local;
            }
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<RoomParticipant> RemoteParticipants
    {
        get
        {
            lock (_gate)
            {
                return [.. _participants.Values];
            }
        }
    }

    /// <inheritdoc />
    public int MaxMessageSize => _options.MaxMessageSize;

    /// <inheritdoc />
    public async Task JoinAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _joinStarted, 1) != 0)
        {
            throw new InvalidOperationException("JoinAsync was already called; a Daily transport joins once.");
        }

        lock (_gate)
        {
            SetStateLocked(TransportState.Connecting, TransportCloseReason.None, null, null);
        }

        Log.DailyJoining(_logger, _address.MeetingString, SessionId);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        try
        {
            DailySignalingConnection connection;
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    // daily-js tries the alternate "-wss" host form on the second attempt of an initial join (§4.1).
                    connection = await ConnectOnceAsync(lookup: true, overrideUri: null, alternateHost: attempt % 2 == 0, attempt, linked.Token).ConfigureAwait(false);
                    break;
                }
                catch (CviConnectionException ex) when (ex.Failure == CviConnectionFailure.Network && attempt < _options.JoinAttempts)
                {
                    Log.DailyJoinAttemptFailed(_logger, _address.MeetingString, attempt, ex);
                    await Task.Delay(s_joinRetryDelay, _time, linked.Token).ConfigureAwait(false);
                }
            }

            // Messages sent while joining went to the queue: they go first.
            await FlushQueueAndGoOnlineAsync(connection, linked.Token).ConfigureAwait(false);
            Log.DailyJoined(_logger, _address.MeetingString, SessionId, _topology ?? "sfu", RemoteParticipants.Count);
        }
        catch (Exception ex)
        {
            if (cancellationToken.IsCancellationRequested)
            {
                Close(TransportCloseReason.Left, "The join was cancelled.", null);
                throw new OperationCanceledException("The join was cancelled.", ex, cancellationToken);
            }

            if (State == TransportState.Closed)
            {
                // Left, ejected or ended while joining: report the recorded outcome.
                throw ex as CviConnectionException ??
                      new CviConnectionException(CviConnectionFailure.Closed, "The Daily transport was closed while joining.", ex);
            }

            var failure = ex as CviConnectionException ??
                          new CviConnectionException(CviConnectionFailure.Unknown, "Joining the Daily room failed.", ex);
            Close(TransportCloseReason.Error, failure.Message, failure);
            throw failure;
        }
    }

    /// <inheritdoc />
    public async ValueTask SendAsync(ReadOnlyMemory<byte> utf8Json, string? recipientId = null, CancellationToken cancellationToken = default)
    {
        if (utf8Json.IsEmpty)
        {
            throw new ArgumentException("The payload is empty.", nameof(utf8Json));
        }

        if (recipientId is { Length: 0 })
        {
            throw new ArgumentException("The recipient id is empty; pass null to send to everyone.", nameof(recipientId));
        }

        // Measured as daily-js measures (§6), before anything is queued or sent.
        var size = DailyAppMessageSize.Measure(utf8Json.Span);
        if (size > _options.MaxMessageSize)
        {
            throw new CviMessageTooLargeException(size, _options.MaxMessageSize);
        }

        cancellationToken.ThrowIfCancellationRequested();
        PendingSend? queued = null;
        DailySignalingConnection? connection = null;
        DailyPeerLinks? peers = null;
        lock (_gate)
        {
            switch (_state)
            {
                case TransportState.Disconnected:
                    throw new InvalidOperationException("The Daily transport has not joined yet; call JoinAsync first.");
                case TransportState.Closed:
                    throw ClosedException();
                case TransportState.Connected or TransportState.Reconnecting when _peerLinks is not null:
                    // §7: the data channels do not depend on the signaling socket, so a reconnect does not hold them up.
                    peers = _peerLinks;
                    break;
                case TransportState.Connected when _connection is not null:
                    connection = _connection;
                    break;
                default:
                    queued = EnqueueLocked(utf8Json, recipientId, atFront: false);
                    break;
            }
        }

        if (queued is not null)
        {
            await AwaitQueuedAsync(queued, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (peers is not null)
        {
            await peers.SendAsync(utf8Json, recipientId, cancellationToken).ConfigureAwait(false);
            return;
        }

        await SendDirectAsync(connection!, utf8Json, recipientId, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<TransportEvent> ReadEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var item in _events.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            yield return item;
        }
    }

    /// <inheritdoc />
    public async Task LeaveAsync(CancellationToken cancellationToken = default)
    {
        DailySignalingConnection? connection;
        DailyPeerLinks? peers;
        lock (_gate)
        {
            if (_state == TransportState.Closed)
            {
                return;
            }

            peers = _peerLinks;
            _peerLinks = null;
            connection = _state == TransportState.Connected ? _connection : null;
            if (connection is not null)
            {
                // Its end must not look like a lost connection.
                connection.Retired = true;
            }
        }

        if (peers is not null)
        {
            // Leaving closes every peer connection (SCTP shutdown, then DTLS close_notify) before the signaling leave.
            await peers.CloseAllAsync().ConfigureAwait(false);
        }

        if (connection is not null)
        {
            using var timeout = new CancellationTokenSource(s_leaveTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
            try
            {
                // §4.9: close-connection (no reply awaited), the "sig-disconnect" presence, then close the socket.
                await connection.SendAsync(DailyFrames.Soup("close-connection", NextSendTs(), null), linked.Token).ConfigureAwait(false);
                await connection.SendAsync(DailyFrames.Disconnect(), linked.Token).ConfigureAwait(false);
                await connection.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, linked.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException or InvalidOperationException)
            {
                Log.DailyLeaveFailed(_logger, _address.MeetingString, ex);
            }
        }

        Close(TransportCloseReason.Left, "Left the room.", null);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await LeaveAsync().ConfigureAwait(false);
        }
        finally
        {
            var reconnect = _reconnectTask;
            if (reconnect is not null)
            {
                // The lifetime token is cancelled by now, so it ends promptly.
                await reconnect.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            if (_ownsHttp)
            {
                _http.Dispose();
            }

            _lifetime.Dispose();
        }
    }

    private async Task<DailySignalingConnection> ConnectOnceAsync(bool lookup, Uri? overrideUri, bool alternateHost, int attempt, CancellationToken cancellationToken)
    {
        if (lookup)
        {
            var result = await DailyRoomLookup.LookupAsync(
                _http, _address, _options.Endpoints, SessionId, _meetingToken, _aboutClientJson,
                _options.StepTimeout, _time, _logger, cancellationToken).ConfigureAwait(false);
            lock (_gate)
            {
                _sigAuthz = result.SigAuthz;
                _workerUri = result.WssUri;
                _tokenUserName = result.TokenUserName;
                _tokenUserId = result.TokenUserId;
            }
        }

        var uri = overrideUri ?? _workerUri ?? throw new CviConnectionException(CviConnectionFailure.Unknown, "No signaling worker is known.");
        if (alternateHost)
        {
            uri = DailyRoomAddress.AlternateWorkerUri(uri) ?? uri;
        }

        if (!DailyRoomAddress.IsAllowedSignalingUri(uri, _options.Endpoints))
        {
            Log.DailySignalingHostRejected(_logger, _address.MeetingString, uri.Host);
            throw new CviConnectionException(CviConnectionFailure.Unknown,
                $"Refusing to send credentials to signaling host {uri.Host}, which the endpoints do not allow.");
        }

        Log.DailySignalingConnecting(_logger, uri.Host, attempt);
        var socket = new ClientWebSocket();
        using (var timeout = new CancellationTokenSource(_options.StepTimeout, _time))
        using (var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token))
        {
            try
            {
                await socket.ConnectAsync(uri, linked.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or HttpRequestException or IOException ||
                                       (ex is OperationCanceledException && timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested))
            {
                socket.Dispose();
                throw new CviConnectionException(CviConnectionFailure.Network,
                    $"Could not open the signaling connection to {uri.Host}.", ex);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }

        var connection = new DailySignalingConnection(socket, Interlocked.Increment(ref _generation), _time.GetTimestamp());
        string sigAuthz;
        DailyLocalPresence presence;
        bool rejoin;
        lock (_gate)
        {
            if (_state == TransportState.Closed)
            {
                connection.Dispose();
                throw ClosedException();
            }

            var previous = _connection;
            if (previous is not null)
            {
                previous.Retired = true;
            }

            _connection = connection;
            sigAuthz = _sigAuthz;
            presence = LocalPresenceLocked();
            rejoin = _topology is not null;
        }

        try
        {
            connection.ReceiveLoop = Task.Run(() => ReceiveLoopAsync(connection), CancellationToken.None);
            connection.HeartbeatTimer = _time.CreateTimer(
                static state => ((HeartbeatState)state!).Tick(),
                new HeartbeatState(this, connection),
                TimeSpan.FromMilliseconds(HeartbeatPeriodMs),
                TimeSpan.FromMilliseconds(HeartbeatPeriodMs));

            // §4.10: a rejoin sends the same session id, the last presence, the known meeting session and topology.
            var join = DailyFrames.JoinForSig(_address.MeetingString, presence, fullPresence: rejoin, sigAuthz,
                MeetingSessionId, _options.ClientInfo, rejoin ? _topology : null, sfuRequired: _options.PeerToPeer is null);
            await connection.SendAsync(join, cancellationToken).ConfigureAwait(false);
            await WaitStepAsync(connection.SigAck.Task, "the signaling join (sig-ack)", cancellationToken).ConfigureAwait(false);

            // §4.6: one full presence with name and joinedAt after sig-ack, so others see a normal participant.
            bool peerToPeer;
            lock (_gate)
            {
                _joinedAt ??= ServerNowLocked();
                presence = LocalPresenceLocked();
                sigAuthz = _sigAuthz;
                peerToPeer = _topology == "peer";
            }

            await connection.SendAsync(DailyFrames.Presence(presence), cancellationToken).ConfigureAwait(false);

            // §5 "minimal path without media": join-as-new-peer before any app message. A peer-to-peer room has no
            // SFU to join (§7): its app messages go over the peers' data channels.
            if (!peerToPeer)
            {
                var reply = await SoupRequestAsync(connection, "join-as-new-peer",
                    writer => writer.WriteString("sigAuthz", sigAuthz), cancellationToken).ConfigureAwait(false);
                if (reply.Failed)
                {
                    Log.DailySoupRequestFailed(_logger, "join-as-new-peer");
                    throw new CviConnectionException(CviConnectionFailure.Unknown, "The Daily SFU refused to join this participant.");
                }
            }

            lock (_gate)
            {
                if (connection.Ended || connection.Retired)
                {
                    throw new CviConnectionException(CviConnectionFailure.Network, "The signaling connection closed during the join.");
                }
            }

            return connection;
        }
        catch (Exception ex)
        {
            lock (_gate)
            {
                connection.Retired = true;
                if (_connection == connection)
                {
                    _connection = null;
                }
            }

            connection.Abort();
            connection.Dispose();
            if (ex is WebSocketException or IOException)
            {
                throw new CviConnectionException(CviConnectionFailure.Network, "The signaling connection failed during the join.", ex);
            }

            throw;
        }
    }

    private async Task<DailySoupReply> SoupRequestAsync(
        DailySignalingConnection connection, string command, Action<System.Text.Json.Utf8JsonWriter>? fields, CancellationToken cancellationToken)
    {
        var id = NextSendTs();
        var pending = connection.AddPendingSoup(id);
        try
        {
            await connection.SendAsync(DailyFrames.Soup(command, id, fields), cancellationToken).ConfigureAwait(false);
            return await WaitStepAsync(pending.Task, "the SFU reply to " + command, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            connection.RemovePendingSoup(id);
        }
    }

    private async Task WaitStepAsync(Task task, string what, CancellationToken cancellationToken)
    {
        try
        {
            await task.WaitAsync(_options.StepTimeout, _time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            throw new CviConnectionException(CviConnectionFailure.Network,
                string.Create(CultureInfo.InvariantCulture, $"Daily did not complete {what} within {_options.StepTimeout.TotalSeconds:0.#} s."), ex);
        }
    }

    private async Task<T> WaitStepAsync<T>(Task<T> task, string what, CancellationToken cancellationToken)
    {
        await WaitStepAsync((Task)task, what, cancellationToken).ConfigureAwait(false);
        return await task.ConfigureAwait(false);
    }

    private async Task SendDirectAsync(DailySignalingConnection connection, ReadOnlyMemory<byte> payload, string? recipientId, CancellationToken cancellationToken)
    {
        try
        {
            await connection.SendAsync(DailyFrames.AppMessage(payload.Span, recipientId, NextSendTs()), cancellationToken).ConfigureAwait(false);
            LogSent(payload, recipientId);
            return;
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException ||
                                   (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // The socket failed under this send, so it did not go out whole: it goes first in the queue and the
            // connection is re-established.
            PendingSend queued;
            DailySignalingConnection? replacement = null;
            lock (_gate)
            {
                if (_state == TransportState.Closed)
                {
                    throw ClosedException(ex);
                }

                if (_state == TransportState.Connected && _connection is not null && _connection != connection)
                {
                    replacement = _connection;
                    queued = null!;
                }
                else
                {
                    queued = EnqueueLocked(payload, recipientId, atFront: true, force: true);
                    BeginReconnectLocked(connection, "a send failed", moveUri: null);
                }
            }

            if (replacement is not null)
            {
                await SendDirectAsync(replacement, payload, recipientId, cancellationToken).ConfigureAwait(false);
                return;
            }

            await AwaitQueuedAsync(queued, cancellationToken).ConfigureAwait(false);
        }
    }

    private PendingSend EnqueueLocked(ReadOnlyMemory<byte> payload, string? recipientId, bool atFront, bool force = false)
    {
        if (!force && _queue.Count >= _options.MaxQueuedMessages)
        {
            throw new CviConnectionException(CviConnectionFailure.Network,
                string.Create(CultureInfo.InvariantCulture,
                    $"The Daily transport is reconnecting and already holds {_queue.Count} queued messages (the limit). Nothing was sent."));
        }

        // The caller's buffer may be reused once SendAsync returns, but a queued message outlives that: copy it.
        var pending = new PendingSend(payload.ToArray(), recipientId);
        if (atFront)
        {
            _queue.AddFirst(pending.Node);
        }
        else
        {
            _queue.AddLast(pending.Node);
        }

        Log.DailyMessageQueued(_logger, _queue.Count);
        return pending;
    }

    private async Task AwaitQueuedAsync(PendingSend pending, CancellationToken cancellationToken)
    {
        try
        {
            await pending.Completion.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            lock (_gate)
            {
                if (pending.Node.List is not null)
                {
                    // Not sent yet: withdraw it.
                    _queue.Remove(pending.Node);
                }
            }

            throw;
        }
    }

    private void LogSent(ReadOnlyMemory<byte> payload, string? recipientId)
    {
        if (_logger.IsEnabled(LogLevel.Trace))
        {
#pragma warning disable CA1873 // Guarded by IsEnabled above.
            Log.DailyAppMessageSent(_logger, recipientId ?? "*", Encoding.UTF8.GetString(payload.Span));
#pragma warning restore CA1873
        }
    }

    private DailyLocalPresence LocalPresenceLocked() =>
        new(SessionId, _options.DisplayName ?? _tokenUserName, _tokenUserId, _joinedAt, PeerToPeer: _topology == "peer");

    private long ServerNowLocked()
    {
        var local = _time.GetUtcNow().ToUnixTimeMilliseconds();
        return _haveServerClock ? local + _serverClockOffsetMs : local;
    }

    private string NextSendTs()
    {
        // §5: "<epoch ms>.<seq>", seq incremented before each send and wrapping at 10^9; shared by soup and sig-msg.
        var sequence = (uint)Interlocked.Increment(ref _soupSequence) % 1_000_000_000u;
        return string.Create(CultureInfo.InvariantCulture, $"{_time.GetUtcNow().ToUnixTimeMilliseconds()}.{sequence}");
    }

    private void SetStateLocked(TransportState state, TransportCloseReason reason, string? message, Exception? exception)
    {
        if (_state == state)
        {
            return;
        }

        _state = state;
        _events.Writer.TryWrite(new TransportStateChanged(state, reason, message, exception));
    }

    private static CviConnectionException ClosedException(Exception? inner = null) =>
        new(CviConnectionFailure.Closed, "The Daily transport is closed; nothing was sent.", inner);

    /// <summary>Ends the transport for good: Closed event, queued sends failed, sockets dropped, events completed.</summary>
    private void Close(TransportCloseReason reason, string message, Exception? exception)
    {
        List<PendingSend> failed;
        DailySignalingConnection? connection;
        DailyPeerLinks? peers;
        lock (_gate)
        {
            if (_state == TransportState.Closed)
            {
                return;
            }

            SetStateLocked(TransportState.Closed, reason, message, exception);
            failed = [.. _queue];
            _queue.Clear();
            peers = _peerLinks;
            _peerLinks = null;
            connection = _connection;
            _connection = null;
            if (connection is not null)
            {
                connection.Retired = true;
            }

            _events.Writer.TryComplete();
        }

        Log.DailyTransportClosed(_logger, _address.MeetingString, reason);
        var queueFailure = reason == TransportCloseReason.ConnectionLost && exception is CviConnectionException lost
            ? lost
            : new CviConnectionException(CviConnectionFailure.Closed, "The Daily transport closed before this message could be sent: " + message, exception!);
        foreach (var pending in failed)
        {
            pending.Completion.TrySetException(queueFailure);
        }

        _lifetime.Cancel();
        if (connection is not null)
        {
            connection.Abort();
            connection.Dispose();
        }

        if (peers is not null)
        {
            // Ended by the room (deleted, ejected) or a failure: the peer connections go too; their queued messages fail.
            _ = peers.CloseAllAsync();
        }
    }

    /// <summary>A message waiting for the connection to come back.</summary>
    private sealed class PendingSend
    {
        public PendingSend(byte[] payload, string? recipientId)
        {
            Payload = payload;
            RecipientId = recipientId;
            Node = new LinkedListNode<PendingSend>(this);
        }

        public byte[] Payload { get; }

        public string? RecipientId { get; }

        public LinkedListNode<PendingSend> Node { get; }

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>The heartbeat timer's state: the timer must not keep a retired connection's transport busy.</summary>
    private sealed class HeartbeatState(DailyTransport transport, DailySignalingConnection connection)
    {
        public void Tick() => transport.HeartbeatTick(connection);
    }
}
