using System.Text;
using BenchmarkDotNet.Attributes;
using Tavus.Cvi.Interactions.Protocol;
using Tavus.Cvi.Interactions.Session;
using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.Interactions.Benchmarks.Session;

/// <summary>
/// The session's receive path over the in-memory transport: 1,000 utterance events from the replica peer until the
/// session's reader has them all (decode, duplicate folding, fan-out to the reader's queue, the reader's await), against
/// a baseline that only decodes the same 1,000 payloads.
/// </summary>
[MemoryDiagnoser]
public class SessionReceiveBenchmarks
{
    private const int Events = 1_000;
    private byte[][] _payloads = [];
    private InMemoryRoom _room = null!;
    private InMemoryTransport _replica = null!;
    private CviSession _session = null!;
    private IAsyncEnumerator<CviEvent> _reader = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        _payloads = Enumerable.Range(0, Events).Select(i => Encoding.UTF8.GetBytes(
            $$"""{"message_type":"conversation","event_type":"conversation.utterance","conversation_id":"c123","inference_id":"inf-{{i}}","seq":{{i}},"turn_idx":3,"properties":{"role":"pal","speech":"Hello there, this is utterance number {{i}}."} }""")).ToArray();
        _room = new InMemoryRoom { RecordMessages = false };
        _replica = _room.CreateReplicaTransport();
        await _replica.JoinAsync();
        _session = await CviSession.ConnectAsync(_room.CreateTransport("client"), "c123", new CviSessionOptions());
        _reader = _session.ReadEventsAsync().GetAsyncEnumerator();
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _reader.DisposeAsync();
        await _session.DisposeAsync();
        await _replica.DisposeAsync();
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Events)]
    public int DecodeOnly()
    {
        int n = 0;
        foreach (var payload in _payloads)
        {
            if (CviJson.DecodeEvent(payload) is UtteranceEvent) n++;
        }

        return n;
    }

    [Benchmark(OperationsPerInvoke = Events)]
    public async Task<int> ThroughSession()
    {
        int n = 0;
        foreach (var payload in _payloads)
        {
            await _replica.SendAsync(payload);
        }

        while (n < Events && await _reader.MoveNextAsync())
        {
            n++;
        }

        return n;
    }
}

/// <summary>Echo audio: one second of 24 kHz PCM chunked, base64-encoded and sent under Daily's 4096-unit limit.</summary>
[MemoryDiagnoser]
public class EchoAudioBenchmarks
{
    private readonly byte[] _oneSecond = new byte[48_000];
    private InMemoryRoom _room = null!;
    private InMemoryTransport _replica = null!;
    private CviSession _session = null!;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        new Random(42).NextBytes(_oneSecond);
        _room = new InMemoryRoom { RecordMessages = false };
        _replica = _room.CreateReplicaTransport();
        await _replica.JoinAsync();
        _session = await CviSession.ConnectAsync(_room.CreateTransport("client"), "c123");
    }

    [GlobalCleanup]
    public async Task CleanupAsync()
    {
        await _session.DisposeAsync();
        await _replica.DisposeAsync();
    }

    [Benchmark]
    public async Task<int> OneSecondOfAudio()
    {
        var result = await _session.EchoAudioAsync(_oneSecond);

        // Drain what the replica received so the in-memory queue does not grow across iterations.
        for (int i = 0; i < result.ChunksSent; i++)
        {
            await _replica.ReceiveAppMessageAsync();
        }

        return result.ChunksSent;
    }
}
