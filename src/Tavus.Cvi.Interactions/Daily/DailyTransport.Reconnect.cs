using System.Globalization;
using System.Net.WebSockets;
using Tavus.Cvi.Interactions.Diagnostics;
using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.Interactions.Daily;

// Reconnecting (daily-protocol.md §4.10) and flushing the messages queued meanwhile.
public sealed partial class DailyTransport
{
    /// <summary>
    /// Starts re-establishing a lost connection, once: only the current, connected connection can start it.
    /// </summary>
    private bool BeginReconnectLocked(DailySignalingConnection connection, string why, Uri? moveUri, bool graceful = false)
    {
        if (connection != _connection || connection.Retired || _state != TransportState.Connected)
        {
            return false;
        }

        connection.Retired = true;
        _connection = null;
        Log.DailyConnectionLost(_logger, _address.MeetingString, why);
        SetStateLocked(TransportState.Reconnecting, TransportCloseReason.None, "Reconnecting: " + why + ".", null);
        _reconnectTask = Task.Run(() => ReconnectAsync(connection, moveUri, graceful), CancellationToken.None);
        return true;
    }

    private async Task ReconnectAsync(DailySignalingConnection old, Uri? moveUri, bool graceful)
    {
        var token = _lifetime.Token;
        if (graceful)
        {
            // §4.8 new-style move: close-connection, sig-bye, then close the socket.
            using var timeout = new CancellationTokenSource(s_leaveTimeout, _time);
            try
            {
                await old.SendAsync(DailyFrames.Soup("close-connection", NextSendTs(), null), timeout.Token).ConfigureAwait(false);
                await old.SendAsync(DailyFrames.Bye(), timeout.Token).ConfigureAwait(false);
                await old.Socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
            {
                Log.DailyLeaveFailed(_logger, _address.MeetingString, ex);
            }
        }

        old.Abort();
        old.Dispose();

        var deadline = _time.GetUtcNow() + _options.ReconnectDeadline;
        Exception? last = null;
        for (var attempt = 1; ; attempt++)
        {
            var useMove = attempt == 1 && moveUri is not null;
            var delay = useMove ? TimeSpan.Zero : Backoff(attempt);
            var remaining = deadline - _time.GetUtcNow();
            if (remaining <= TimeSpan.Zero)
            {
                break;
            }

            if (delay > remaining)
            {
                delay = remaining;
            }

            Log.DailyReconnectAttempt(_logger, attempt, _address.MeetingString, delay.TotalMilliseconds, !useMove);
            try
            {
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, _time, token).ConfigureAwait(false);
                }

                remaining = deadline - _time.GetUtcNow();
                if (remaining <= TimeSpan.Zero)
                {
                    break;
                }

                using var attemptTimeout = new CancellationTokenSource(remaining, _time);
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(token, attemptTimeout.Token);
                var connection = await ConnectOnceAsync(lookup: !useMove, overrideUri: useMove ? moveUri : null,
                    alternateHost: !useMove && attempt % 2 == 0, attempt, linked.Token).ConfigureAwait(false);
                var flushed = await FlushQueueAndGoOnlineAsync(connection, linked.Token).ConfigureAwait(false);
                Log.DailyReconnected(_logger, _address.MeetingString, attempt, flushed);
                return;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                // Closed meanwhile (left, disposed, ended): nothing more to do.
                return;
            }
            catch (CviConnectionException ex) when (ex.Failure is CviConnectionFailure.RoomNotFound or CviConnectionFailure.NotAdmitted
                                                        or CviConnectionFailure.Unsupported or CviConnectionFailure.Closed)
            {
                // Fatal: retrying cannot help. A room that existed and is gone now was deleted (the conversation ended).
                Log.DailyReconnectAttemptFailed(_logger, attempt, _address.MeetingString, ex);
                var reason = ex.Failure switch
                {
                    CviConnectionFailure.RoomNotFound => TransportCloseReason.RoomDeleted,
                    CviConnectionFailure.Closed => TransportCloseReason.Left,
                    _ => TransportCloseReason.Error,
                };
                Close(reason, ex.Message, ex);
                return;
            }
            catch (Exception ex)
            {
                last = ex;
                Log.DailyReconnectAttemptFailed(_logger, attempt, _address.MeetingString, ex);
            }
        }

        var lost = new CviConnectionException(CviConnectionFailure.ReconnectDeadlineExceeded,
            string.Create(CultureInfo.InvariantCulture,
                $"The connection to the Daily room was lost and not re-established within {_options.ReconnectDeadline.TotalSeconds:0.###} s."),
            last!);
        Close(TransportCloseReason.ConnectionLost, lost.Message, lost);
    }

    /// <summary>Backoff with jitter: initial × 2^(attempt-1), capped, ±20 % so many clients do not retry in step.</summary>
    private TimeSpan Backoff(int attempt)
    {
        var initial = _options.ReconnectInitialDelay.TotalMilliseconds;
        var cap = Math.Max(initial, _options.ReconnectMaxDelay.TotalMilliseconds);
        var baseMs = Math.Min(cap, initial * Math.Pow(2, Math.Min(attempt - 1, 20)));
#pragma warning disable CA5394 // Jitter, not security.
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
#pragma warning restore CA5394
        return TimeSpan.FromMilliseconds(baseMs * jitter);
    }

    /// <summary>
    /// Sends the queued messages in order on the new connection, then goes <see cref="TransportState.Connected"/>.
    /// New sends keep queuing behind them until then, so order is kept and nothing is sent twice.
    /// </summary>
    private async Task<int> FlushQueueAndGoOnlineAsync(DailySignalingConnection connection, CancellationToken cancellationToken)
    {
        var flushed = 0;
        while (true)
        {
            PendingSend next;
            DailyPeerLinks? peers;
            lock (_gate)
            {
                if (_state == TransportState.Closed)
                {
                    throw ClosedException();
                }

                if (connection.Ended || connection.Retired)
                {
                    throw new CviConnectionException(CviConnectionFailure.Network, "The signaling connection closed while sending queued messages.");
                }

                if (_queue.First is null)
                {
                    SetStateLocked(TransportState.Connected, TransportCloseReason.None, null, null);
                    return flushed;
                }

                next = _queue.First.Value;
                peers = _peerLinks;
                if (peers is not null)
                {
                    // A peer-to-peer room: the message goes to the links' queues (in order), which send it once each
                    // channel is open; its SendAsync completes then.
                    _queue.Remove(next.Node);
                }
            }

            if (peers is not null)
            {
                SendQueuedOverPeers(peers, next);
                flushed++;
                continue;
            }

            await connection.SendAsync(DailyFrames.AppMessage(next.Payload, next.RecipientId, NextSendTs()), cancellationToken).ConfigureAwait(false);
            LogSent(next.Payload, next.RecipientId);
            lock (_gate)
            {
                if (next.Node.List is not null)
                {
                    _queue.Remove(next.Node);
                }
            }

            next.Completion.TrySetResult();
            flushed++;
        }
    }
}
