namespace Tavus.Cvi.WebRtc.Tests.Simulation;

/// <summary>
/// Two sans-IO nodes joined by a simulated network (loss, duplication, reordering, delay) on a fake clock. Fully
/// deterministic for a given seed: time only moves to the next delivery or node deadline.
/// </summary>
public sealed class SimulatedNetwork
{
    private readonly ISimulatedNode[] _nodes;
    private readonly Random _random;
    private readonly PriorityQueue<(int To, byte[] Datagram), (TimeSpan At, long Seq)> _inFlight = new();
    private long _seq;

    public SimulatedNetwork(ISimulatedNode a, ISimulatedNode b, int seed, NetworkConditions? conditions = null)
    {
        _nodes = [a, b];
        _random = new Random(seed);
        AToB = conditions ?? NetworkConditions.Perfect;
        BToA = conditions ?? NetworkConditions.Perfect;
    }

    /// <summary>Conditions from the first node to the second; may be changed between steps.</summary>
    public NetworkConditions AToB { get; set; }

    /// <summary>Conditions from the second node to the first.</summary>
    public NetworkConditions BToA { get; set; }

    /// <summary>The fake clock.</summary>
    public TimeSpan Now { get; private set; }

    public long Sent { get; private set; }

    public long Lost { get; private set; }

    public long Duplicated { get; private set; }

    /// <summary>Optional tap on every datagram as sent (before impairments): (from node index, datagram).</summary>
    public Action<int, byte[]>? Tap { get; set; }

    /// <summary>Optional targeted loss on top of the random one: (from node index, datagram) → drop it.</summary>
    public Func<int, byte[], bool>? Drop { get; set; }

    /// <summary>Moves every datagram the nodes want to send onto the wire.</summary>
    public void Drain()
    {
        for (int from = 0; from < 2; from++)
        {
            while (_nodes[from].TryPollTransmit(out byte[] datagram))
            {
                Sent++;
                Tap?.Invoke(from, datagram);
                NetworkConditions c = from == 0 ? AToB : BToA;
                // The random draw happens either way, so a targeted drop does not shift the rest of the run.
                if (_random.NextDouble() < c.Loss | (Drop?.Invoke(from, datagram) ?? false))
                {
                    Lost++;
                    continue;
                }

                int copies = _random.NextDouble() < c.Duplicate ? 2 : 1;
                Duplicated += copies - 1;
                for (int i = 0; i < copies; i++)
                {
                    TimeSpan delay = c.Delay + (c.Jitter * _random.NextDouble());
                    if (_random.NextDouble() < c.Reorder)
                    {
                        delay += c.ReorderDelay;
                    }

                    _inFlight.Enqueue((1 - from, datagram), (Now + delay, _seq++));
                }
            }
        }
    }

    /// <summary>Advances the clock to the next event and processes it. False when nothing is scheduled.</summary>
    public bool Step()
    {
        Drain();
        TimeSpan? next = null;
        if (_inFlight.TryPeek(out _, out (TimeSpan At, long Seq) head))
        {
            next = head.At;
        }

        foreach (ISimulatedNode node in _nodes)
        {
            if (node.NextDeadline is { } d && (next is null || d < next))
            {
                next = d;
            }
        }

        if (next is null)
        {
            return false;
        }

        if (next.Value > Now)
        {
            Now = next.Value;
        }

        while (_inFlight.TryPeek(out _, out head) && head.At <= Now)
        {
            (int to, byte[] datagram) = _inFlight.Dequeue();
            _nodes[to].Receive(datagram, Now);
            Drain();
        }

        foreach (ISimulatedNode node in _nodes)
        {
            if (node.NextDeadline is { } d && d <= Now)
            {
                node.HandleTimeout(Now);
            }
        }

        Drain();
        return true;
    }

    /// <summary>Steps until <paramref name="condition"/> holds; false if the fake time limit passes first or all goes idle.</summary>
    public bool RunUntil(Func<bool> condition, TimeSpan limit)
    {
        TimeSpan end = Now + limit;
        while (!condition())
        {
            if (Now > end || !Step())
            {
                return condition();
            }
        }

        return true;
    }

    /// <summary>Steps for a span of fake time.</summary>
    public void RunFor(TimeSpan duration)
    {
        TimeSpan end = Now + duration;
        while (Now < end && Step())
        {
        }
    }
}
