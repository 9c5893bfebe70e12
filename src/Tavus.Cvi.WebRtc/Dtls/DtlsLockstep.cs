using System.Diagnostics;

namespace Tavus.Cvi.WebRtc.Dtls;

/// <summary>
/// Lockstep mode of the DTLS adapter, for deterministic simulation: while BouncyCastle's blocking handshake runs on its
/// thread, the owner hands it one input at a time (a datagram or a timeout) and waits until the engine is parked in
/// <c>Receive</c> again (or the handshake ended), so what the engine sends never depends on thread scheduling.
/// </summary>
/// <remarks>
/// BouncyCastle 2.7 computes its retransmission timers from the wall clock (<c>DateTimeUtilities.CurrentUnixMs</c> in
/// <c>DtlsReliableHandshake</c>, <c>DtlsRecordLayer.Receive</c> and <c>Timeout</c>) and retransmits a flight only when
/// the record layer's <c>Receive</c> returns -1, which it does only once its own wall-clock wait has expired. No clock
/// can be injected, so this class maps the engine's waits onto the owner's (fake) clock instead: each time the engine
/// starts a new wait after sending (a flight, or a flight again), <see cref="TryTakeNewWait"/> reports the wait it
/// asked for, rounded to the engine's nominal timer value; the owner turns it into a deadline on its clock and calls
/// <see cref="Timeout"/> when that deadline passes. Only then does <c>Receive</c> return -1, after letting the
/// remainder of the engine's wall-clock wait elapse so the record layer sees its timer expired and the handshake
/// retransmits (RFC 6347 §4.2.4). A flight loss therefore costs real time as well as fake time.
/// </remarks>
internal sealed class DtlsLockstep
{
    /// <summary>How long the owner waits for the engine to come back before declaring it hung: 30 s beyond the
    /// longest real wait a timeout can need (BouncyCastle's timer backs off to 60 s).</summary>
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(90);

    private readonly object _gate = new();
    private readonly Queue<byte[]> _inbound = new();
    private readonly List<byte[]> _seen = [];
    private bool _parked;
    private bool _timeoutPending;
    private bool _finished;
    private bool _closed;
    private bool _newWait;
    private int? _newWaitMillis;

    /// <summary>False once the handshake thread ended: records are then read on the owner's thread, unblocked.</summary>
    public bool IsHandshaking
    {
        get
        {
            lock (_gate)
            {
                return !_finished;
            }
        }
    }

    /// <summary>
    /// Hands a datagram to the engine and waits until it has processed it. False (nothing done) once the handshake
    /// thread has ended. An exact copy of a datagram already handed in is dropped here: the engine's replay window
    /// (RFC 6347 §4.1.2.6) would discard it anyway, but only after consulting its wall clock.
    /// </summary>
    public bool Deliver(byte[] datagram)
    {
        lock (_gate)
        {
            if (_finished)
            {
                return false;
            }

            foreach (byte[] seen in _seen)
            {
                if (seen.AsSpan().SequenceEqual(datagram))
                {
                    return true;
                }
            }

            _seen.Add(datagram);
            _inbound.Enqueue(datagram);
            _parked = false;
            Monitor.PulseAll(_gate);
        }

        WaitUntilParked();
        return true;
    }

    /// <summary>The owner's deadline for the engine's current wait passed: let the engine time out and retransmit.</summary>
    public void Timeout()
    {
        lock (_gate)
        {
            if (_finished)
            {
                return;
            }

            _timeoutPending = true;
            _parked = false;
            Monitor.PulseAll(_gate);
        }

        WaitUntilParked();
    }

    /// <summary>Waits until the engine is parked in <c>Receive</c> with nothing to do, or its thread ended.</summary>
    public void WaitUntilParked()
    {
        long start = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            while (!_parked && !_finished && !_closed)
            {
                TimeSpan left = HangGuard - Stopwatch.GetElapsedTime(start);
                if (left <= TimeSpan.Zero || !Monitor.Wait(_gate, left))
                {
                    throw new TimeoutException($"The DTLS engine did not return to Receive within {HangGuard.TotalSeconds} s.");
                }
            }
        }
    }

    /// <summary>The wait the engine started since the last call, as its nominal timer value (a multiple of 50 ms).</summary>
    public bool TryTakeNewWait(out TimeSpan wait)
    {
        lock (_gate)
        {
            if (_newWaitMillis is { } millis)
            {
                _newWaitMillis = null;
                // The engine passes what is left of its timer by the wall clock: the nominal value (1 s doubling to
                // 60 s) less the few milliseconds spent since the timer started. Rounding up restores the nominal one.
                wait = TimeSpan.FromMilliseconds(Math.Max(50, (millis + 49) / 50 * 50));
                return true;
            }

            wait = default;
            return false;
        }
    }

    /// <summary>Engine thread: the transport's <c>Receive</c>.</summary>
    public int Receive(Span<byte> buffer, int waitMillis)
    {
        long entered = Stopwatch.GetTimestamp();
        lock (_gate)
        {
            while (true)
            {
                if (_closed)
                {
                    // Not a TlsTimeoutException: BouncyCastle treats that as a timeout and would retransmit forever.
                    throw new IOException("The DTLS transport was closed.");
                }

                if (_inbound.TryDequeue(out byte[]? datagram))
                {
                    int n = Math.Min(datagram.Length, buffer.Length);
                    datagram.AsSpan(0, n).CopyTo(buffer);
                    return n;
                }

                if (_timeoutPending)
                {
                    _timeoutPending = false;
                    // Let the engine's own wall-clock wait run out (plus a margin for its millisecond clock), so its
                    // record layer gives up and the handshake retransmits now rather than later.
                    TimeSpan until = TimeSpan.FromMilliseconds(waitMillis + 2);
                    for (TimeSpan left = until - Stopwatch.GetElapsedTime(entered); left > TimeSpan.Zero && !_closed; left = until - Stopwatch.GetElapsedTime(entered))
                    {
                        Monitor.Wait(_gate, left);
                    }

                    return -1;
                }

                if (!_parked)
                {
                    if (_newWait)
                    {
                        _newWait = false;
                        _newWaitMillis = waitMillis;
                    }

                    _parked = true;
                    Monitor.PulseAll(_gate);
                }

                Monitor.Wait(_gate);
            }
        }
    }

    /// <summary>
    /// Engine thread: it sent a datagram, so its retransmission timer restarts (RFC 6347 §4.2.4). Only waits after a
    /// send become deadlines: before its first flight the server's timer guards an empty flight, and firing it would
    /// only cost real time (its backoff reaches 60 s while it waits for the ClientHello).
    /// </summary>
    public void Sent()
    {
        lock (_gate)
        {
            _newWait = true;
        }
    }

    /// <summary>Engine thread: the handshake ended (connected, failed or closed).</summary>
    public void Finish()
    {
        lock (_gate)
        {
            _finished = true;
            _seen.Clear();
            Monitor.PulseAll(_gate);
        }
    }

    public void Close()
    {
        lock (_gate)
        {
            _closed = true;
            Monitor.PulseAll(_gate);
        }
    }
}
