using System.Text;
using System.Threading.Channels;
using Tavus.Cvi.Interactions.Daily;

namespace Tavus.Cvi.Interactions.Tests.Daily;

/// <summary>
/// A scripted <see cref="IDailyPeerConnection"/>: SDP is fixed text, the test decides when the channel opens, a message
/// arrives or the connection fails, and every call is recorded. Sending before the channel opened throws, as a real
/// data channel does.
/// </summary>
internal sealed class FakeDailyPeerConnection(string remoteId, int number) : IDailyPeerConnection
{
    private readonly TaskCompletionSource _disposed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private volatile bool _open;

    public event EventHandler? ChannelOpened;

    public event EventHandler<DailyPeerMessageEventArgs>? MessageReceived;

    public event EventHandler? ChannelClosed;

    public event EventHandler<DailyPeerConnectionFailedEventArgs>? ConnectionFailed;

    public string RemoteId { get; } = remoteId;

    public string OfferSdp { get; } = "v=0\r\ns=fake-offer-" + number + "\r\n";

    public string AnswerSdp { get; } = "v=0\r\ns=fake-answer-" + number + "\r\n";

    public Channel<(DailySdpType Type, string Sdp)> RemoteDescriptions { get; } = Channel.CreateUnbounded<(DailySdpType, string)>();

    public Channel<string> Sent { get; } = Channel.CreateUnbounded<string>();

    public Task Disposed => _disposed.Task;

    public Task<string> CreateOfferAsync(CancellationToken cancellationToken = default) => Task.FromResult(OfferSdp);

    public Task<string> CreateAnswerAsync(CancellationToken cancellationToken = default) => Task.FromResult(AnswerSdp);

    public Task SetRemoteDescriptionAsync(DailySdpType type, string sdp, CancellationToken cancellationToken = default)
    {
        RemoteDescriptions.Writer.TryWrite((type, sdp));
        return Task.CompletedTask;
    }

    public Task AddRemoteCandidateAsync(string candidate, string? sdpMid, int? sdpMLineIndex, CancellationToken cancellationToken = default) =>
        Task.CompletedTask;

    public Task SendAsync(string text, CancellationToken cancellationToken = default)
    {
        if (!_open)
        {
            throw new InvalidOperationException("The channel is not open.");
        }

        Sent.Writer.TryWrite(text);
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _open = false;
        _disposed.TrySetResult();
        return ValueTask.CompletedTask;
    }

    public void Open()
    {
        _open = true;
        ChannelOpened?.Invoke(this, EventArgs.Empty);
    }

    public void Receive(string text) => MessageReceived?.Invoke(this, new DailyPeerMessageEventArgs(Encoding.UTF8.GetBytes(text)));

    public void CloseChannel() => ChannelClosed?.Invoke(this, EventArgs.Empty);

    public void Fail(string reason) => ConnectionFailed?.Invoke(this, new DailyPeerConnectionFailedEventArgs(reason));
}
