using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Channels;

namespace Tavus.Cvi.WebRtc.Peer;

/// <summary>
/// A WebRTC data channel (RFC 8831): a bidirectional message pipe over one SCTP stream. Receive either through the
/// <see cref="MessageReceived"/> event or through <see cref="ReadMessagesAsync"/>: a message goes to the event when it
/// has handlers at arrival, otherwise it is buffered for the async stream. Methods are thread-safe.
/// </summary>
public sealed class RtcDataChannel
{
    private readonly RtcPeerConnection _owner;
    private readonly Channel<RtcDataChannelMessage> _inbox = System.Threading.Channels.Channel.CreateUnbounded<RtcDataChannelMessage>(new UnboundedChannelOptions { SingleWriter = true });
    private readonly TaskCompletionSource _opened = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _gate = new();
    private TaskCompletionSource? _drained;
    private int _state;
    private long _sctpBuffered;
    private long _queued;
    private int _dispatching;

    internal RtcDataChannel(RtcPeerConnection owner, string label, RtcDataChannelOptions options)
    {
        _owner = owner;
        Label = label;
        Options = options;
        Id = options.Id;
    }

    /// <summary>The channel's label.</summary>
    public string Label { get; }

    /// <summary>The sub-protocol announced in DCEP.</summary>
    public string Protocol => Options.Protocol;

    /// <summary>Whether delivery is in order.</summary>
    public bool Ordered => Options.Ordered;

    /// <summary>The retransmission limit, when partially reliable by count.</summary>
    public int? MaxRetransmits => Options.MaxRetransmits;

    /// <summary>The lifetime limit, when partially reliable by time.</summary>
    public TimeSpan? MaxPacketLifeTime => Options.MaxPacketLifeTime;

    /// <summary>Whether the application negotiated the channel out of band (no DCEP).</summary>
    public bool Negotiated => Options.Negotiated;

    /// <summary>The SCTP stream id; <c>null</c> until the DTLS role decides the parity (RFC 8832 §6).</summary>
    public ushort? Id { get; internal set; }

    /// <summary>The current state.</summary>
    public RtcDataChannelState State => (RtcDataChannelState)Volatile.Read(ref _state);

    /// <summary>Bytes queued on this channel and not yet acknowledged by the remote SCTP.</summary>
    public long BufferedAmount => Interlocked.Read(ref _sctpBuffered) + Interlocked.Read(ref _queued);

    internal RtcDataChannelOptions Options { get; }

    /// <summary>Bytes queued above which <see cref="SendAsync(ReadOnlyMemory{byte}, CancellationToken)"/> waits.</summary>
    internal long HighWaterMark => _owner.SendBufferHighWaterMark;

    /// <summary>Raised once when the channel opens.</summary>
    public event EventHandler? Opened;

    /// <summary>Raised once when the channel closes.</summary>
    public event EventHandler? Closed;

    /// <summary>Raised for each message, off the network thread, in arrival order.</summary>
    public event EventHandler<RtcDataChannelMessageEventArgs>? MessageReceived;

    /// <summary>Completes when the channel is open; fails when it closes first.</summary>
    public Task WaitUntilOpenAsync(CancellationToken cancellationToken = default) => _opened.Task.WaitAsync(cancellationToken);

    /// <summary>Sends a text message (PPID 51, or 56 when empty; RFC 8831 §6.6).</summary>
    /// <exception cref="InvalidOperationException">The channel is not open.</exception>
    /// <exception cref="ArgumentException">The message exceeds the remote side's maximum message size.</exception>
    public Task SendAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return SendCoreAsync(text, Encoding.UTF8.GetBytes(text), cancellationToken);
    }

    /// <summary>Sends a binary message (PPID 53, or 57 when empty).</summary>
    /// <exception cref="InvalidOperationException">The channel is not open.</exception>
    /// <exception cref="ArgumentException">The message exceeds the remote side's maximum message size.</exception>
    public Task SendAsync(ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default) =>
        SendCoreAsync(null, data.ToArray(), cancellationToken);

    /// <summary>The messages that arrive while no <see cref="MessageReceived"/> handler is attached; ends when the channel closes.</summary>
    public async IAsyncEnumerable<RtcDataChannelMessage> ReadMessagesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await _inbox.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
        {
            while (_inbox.Reader.TryRead(out var message))
            {
                yield return message;
            }
        }
    }

    /// <summary>Closes the channel by resetting its stream (RFC 8831 §6.7) and waits until the reset completes.</summary>
    public async Task CloseAsync(CancellationToken cancellationToken = default)
    {
        if (State == RtcDataChannelState.Closed)
        {
            return;
        }

        await _owner.CloseChannelAsync(this).ConfigureAwait(false);
        await _closed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override string ToString() => $"RtcDataChannel({Label}, id {Id?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"}, {State})";

    private async Task SendCoreAsync(string? text, byte[] data, CancellationToken cancellationToken)
    {
        if (State != RtcDataChannelState.Open)
        {
            throw new InvalidOperationException($"The data channel '{Label}' is {State}, not open.");
        }

        long max = _owner.RemoteMaxMessageSize;
        if (data.Length > max)
        {
            throw new ArgumentException($"The message has {data.Length} bytes; the remote side accepts at most {max} (a=max-message-size).", nameof(data));
        }

        // Backpressure: wait while the channel holds more than the high-water mark.
        while (BufferedAmount > _owner.SendBufferHighWaterMark && State == RtcDataChannelState.Open)
        {
            Task drained;
            lock (_gate)
            {
                _drained ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                drained = _drained.Task;
            }

            if (BufferedAmount <= _owner.SendBufferHighWaterMark)
            {
                break;
            }

            await drained.WaitAsync(cancellationToken).ConfigureAwait(false);
        }

        Interlocked.Add(ref _queued, data.Length);
        await _owner.SendOnChannelAsync(this, text, data).ConfigureAwait(false);
    }

    // ---- Called by the owner, on the loop thread or the event dispatcher. ----

    internal void SetState(RtcDataChannelState state) => Volatile.Write(ref _state, (int)state);

    /// <summary>Sets the bytes SCTP holds for this channel (loop thread).</summary>
    internal void UpdateBufferedAmount(long amount)
    {
        Interlocked.Exchange(ref _sctpBuffered, amount);
        ReleaseWaitersIfDrained();
    }

    /// <summary>A send left the loop's work queue (handed to SCTP or dropped).</summary>
    internal void Dequeued(int length)
    {
        Interlocked.Add(ref _queued, -length);
        ReleaseWaitersIfDrained();
    }

    private void ReleaseWaitersIfDrained()
    {
        if (BufferedAmount <= _owner.SendBufferHighWaterMark)
        {
            TaskCompletionSource? drained;
            lock (_gate)
            {
                drained = _drained;
                _drained = null;
            }

            drained?.TrySetResult();
        }
    }

    /// <summary>
    /// Called on the loop thread for each received message: when nothing would run on the dispatcher for it (no
    /// <see cref="MessageReceived"/> handler, no earlier message of this channel still queued there), the message goes
    /// straight into the async stream, saving the dispatcher's thread hop on a round trip; otherwise false, and the
    /// caller dispatches <see cref="Deliver"/>, which keeps the arrival order.
    /// </summary>
    internal bool TryDeliverDirect(RtcDataChannelMessage message)
    {
        if (MessageReceived is not null || Volatile.Read(ref _dispatching) != 0)
        {
            Interlocked.Increment(ref _dispatching);
            return false;
        }

        _inbox.Writer.TryWrite(message);
        return true;
    }

    /// <summary>Routes a message: to the event when it has handlers now, else to the async stream. Runs on the dispatcher.</summary>
    internal void Deliver(RtcDataChannelMessage message, Action<Exception> onHandlerError)
    {
        try
        {
            DeliverCore(message, onHandlerError);
        }
        finally
        {
            Interlocked.Decrement(ref _dispatching);
        }
    }

    private void DeliverCore(RtcDataChannelMessage message, Action<Exception> onHandlerError)
    {
        var handler = MessageReceived;
        if (handler is null)
        {
            _inbox.Writer.TryWrite(message);
            return;
        }

        try
        {
            handler(this, new RtcDataChannelMessageEventArgs(message));
        }
#pragma warning disable CA1031 // A user handler's exception is logged and never kills the receive loop.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            onHandlerError(ex);
        }
    }

    internal void RaiseOpened(Action<Exception> onHandlerError)
    {
        _opened.TrySetResult();
        Invoke(Opened, onHandlerError);
    }

    internal void RaiseClosed(Action<Exception> onHandlerError)
    {
        SetState(RtcDataChannelState.Closed);
        _inbox.Writer.TryComplete();
        _opened.TrySetException(new InvalidOperationException($"The data channel '{Label}' closed before it opened."));
        _ = _opened.Task.Exception; // observed: a channel that never opened is not an unobserved-task error
        UpdateBufferedAmount(0);
        if (_closed.TrySetResult())
        {
            Invoke(Closed, onHandlerError);
        }
    }

    private void Invoke(EventHandler? handler, Action<Exception> onHandlerError)
    {
        try
        {
            handler?.Invoke(this, EventArgs.Empty);
        }
#pragma warning disable CA1031 // A user handler's exception is logged and never kills the receive loop.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            onHandlerError(ex);
        }
    }
}
