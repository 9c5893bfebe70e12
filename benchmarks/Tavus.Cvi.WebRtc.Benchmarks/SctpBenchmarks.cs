using BenchmarkDotNet.Attributes;
using Tavus.Cvi.WebRtc.Sctp;

namespace Tavus.Cvi.WebRtc.Benchmarks;

/// <summary>
/// Pure SCTP throughput: two associations pumped into each other in memory (no DTLS, no sockets, no loss). The sender
/// keeps at most 1 MiB queued, like an application honouring bufferedAmount. One operation is one message, so
/// MB/s = message size / mean time.
/// </summary>
[MemoryDiagnoser]
public class SctpBenchmarks
{
    private const int MessagesPerInvoke = 2048;
    private SctpAssociation _a = null!;
    private SctpAssociation _b = null!;
    private byte[] _message = null!;
    private TimeSpan _now;

    /// <summary>Message size in bytes.</summary>
    [Params(1024, 16384, 262144)]
    public int MessageSize { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _a = new SctpAssociation(new SctpAssociationOptions { Random = new Random(1) });
        _b = new SctpAssociation(new SctpAssociationOptions { Random = new Random(2) });
        _message = new byte[MessageSize];
        new Random(3).NextBytes(_message);
        _a.Connect(_now);
        while (_a.State != SctpAssociationState.Established || _b.State != SctpAssociationState.Established)
        {
            Pump();
        }

        while (_a.TryPollEvent(out _) || _b.TryPollEvent(out _))
        {
        }
    }

    [Benchmark(OperationsPerInvoke = MessagesPerInvoke)]
    public int Transfer()
    {
        int sent = 0;
        int received = 0;
        while (received < MessagesPerInvoke)
        {
            while (sent < MessagesPerInvoke && _a.BufferedAmount(0) < 1024 * 1024)
            {
                _a.Send(0, 53, _message, default, _now);
                sent++;
            }

            Pump();
            while (_b.TryPollEvent(out SctpEvent? evt))
            {
                received += evt is SctpMessageReceived ? 1 : 0;
            }

            while (_a.TryPollEvent(out _))
            {
            }
        }

        return received;
    }

    private void Pump()
    {
        bool moved = false;
        while (_a.TryPollTransmit(out byte[]? packet))
        {
            _b.HandlePacket(packet, _now);
            moved = true;
        }

        while (_b.TryPollTransmit(out byte[]? packet))
        {
            _a.HandlePacket(packet, _now);
            moved = true;
        }

        if (!moved)
        {
            // Nothing in flight in either direction: let the earliest timer (delayed SACK) fire.
            TimeSpan? next = Min(_a.NextDeadline, _b.NextDeadline);
            if (next is { } n)
            {
                _now = n > _now ? n : _now;
                _a.HandleTimeout(_now);
                _b.HandleTimeout(_now);
            }
        }

        static TimeSpan? Min(TimeSpan? x, TimeSpan? y) => x is null ? y : y is null ? x : x < y ? x : y;
    }
}
