using System.Threading.Channels;
using Tavus.Cvi.Interactions.Daily;

namespace Tavus.Cvi.Interactions.Tests.Daily;

/// <summary>Creates <see cref="FakeDailyPeerConnection"/>s and hands each to the test in creation order.</summary>
internal sealed class FakeDailyPeerConnectionFactory : IDailyPeerConnectionFactory
{
    private readonly Channel<FakeDailyPeerConnection> _created = Channel.CreateUnbounded<FakeDailyPeerConnection>();
    private int _count;

    public IDailyPeerConnection Create(string remoteParticipantId)
    {
        var connection = new FakeDailyPeerConnection(remoteParticipantId, Interlocked.Increment(ref _count));
        _created.Writer.TryWrite(connection);
        return connection;
    }

    /// <summary>The next connection the transport creates (30 s hang guard).</summary>
    public async Task<FakeDailyPeerConnection> NextAsync()
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Io);
        return await _created.Reader.ReadAsync(timeout.Token);
    }
}
