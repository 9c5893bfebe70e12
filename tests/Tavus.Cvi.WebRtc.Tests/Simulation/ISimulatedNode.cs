namespace Tavus.Cvi.WebRtc.Tests.Simulation;

/// <summary>
/// A sans-IO endpoint the <see cref="SimulatedNetwork"/> can drive: datagrams and time in, datagrams and a deadline out.
/// Wrap an SCTP association, a data-channel endpoint or a whole peer-connection core in one of these.
/// </summary>
public interface ISimulatedNode
{
    /// <summary>Earliest time the node wants <see cref="HandleTimeout"/>.</summary>
    TimeSpan? NextDeadline { get; }

    /// <summary>Delivers a datagram.</summary>
    void Receive(byte[] datagram, TimeSpan now);

    /// <summary>Runs due timers.</summary>
    void HandleTimeout(TimeSpan now);

    /// <summary>Takes a datagram to send.</summary>
    bool TryPollTransmit(out byte[] datagram);
}
