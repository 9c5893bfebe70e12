namespace Tavus.Cvi.WebRtc.Tests.Simulation;

/// <summary>Impairments of one direction of a <see cref="SimulatedNetwork"/>.</summary>
public sealed record NetworkConditions
{
    /// <summary>A perfect link with no delay.</summary>
    public static NetworkConditions Perfect { get; } = new();

    /// <summary>Probability a datagram is lost.</summary>
    public double Loss { get; init; }

    /// <summary>Probability a datagram is delivered twice.</summary>
    public double Duplicate { get; init; }

    /// <summary>Probability a datagram is held back by an extra <see cref="ReorderDelay"/> (so later ones overtake it).</summary>
    public double Reorder { get; init; }

    /// <summary>Base one-way delay.</summary>
    public TimeSpan Delay { get; init; }

    /// <summary>Uniform random extra delay in [0, Jitter).</summary>
    public TimeSpan Jitter { get; init; }

    /// <summary>Extra delay of reordered datagrams.</summary>
    public TimeSpan ReorderDelay { get; init; } = TimeSpan.FromMilliseconds(30);

    /// <summary>The usual hostile mix: 10% loss, 5% duplication, 10% reordering, 20-30 ms delay.</summary>
    public static NetworkConditions Lossy(double loss = 0.10) => new()
    {
        Loss = loss,
        Duplicate = 0.05,
        Reorder = 0.10,
        Delay = TimeSpan.FromMilliseconds(20),
        Jitter = TimeSpan.FromMilliseconds(10),
    };
}
