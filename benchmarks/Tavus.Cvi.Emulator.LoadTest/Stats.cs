namespace Tavus.Cvi.Emulator.LoadTest;

/// <summary>Counters and relay-latency samples of one load step.</summary>
internal sealed class Stats
{
    private readonly object _gate = new();
    private readonly List<double> _latenciesMs = new(1 << 16);
    public long Sent;
    public long Received;
    public long ReplicaTurns;
    public long Disconnects;

    public void Record(TimeSpan latency)
    {
        lock (_gate)
        {
            _latenciesMs.Add(latency.TotalMilliseconds);
        }
    }

    public (int Count, double P50, double P90, double P99, double Max) Percentiles()
    {
        double[] sorted;
        lock (_gate)
        {
            sorted = [.. _latenciesMs];
        }

        Array.Sort(sorted);
        if (sorted.Length == 0)
        {
            return (0, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        double At(double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)];
        return (sorted.Length, At(0.50), At(0.90), At(0.99), sorted[^1]);
    }

    public void Reset()
    {
        lock (_gate)
        {
            _latenciesMs.Clear();
        }

        Interlocked.Exchange(ref Sent, 0);
        Interlocked.Exchange(ref Received, 0);
        Interlocked.Exchange(ref ReplicaTurns, 0);
        Interlocked.Exchange(ref Disconnects, 0);
    }
}
