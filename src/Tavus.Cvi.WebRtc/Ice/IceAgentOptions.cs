using System.Net;

namespace Tavus.Cvi.WebRtc.Ice;

/// <summary>Settings of an <see cref="IceAgent"/>.</summary>
internal sealed class IceAgentOptions
{
    /// <summary>Local username fragment (RFC 8839 §5.4: at least 4 ice-chars).</summary>
    public required string LocalUfrag { get; init; }

    /// <summary>Local password (at least 22 ice-chars). Never logged.</summary>
    public required string LocalPassword { get; init; }

    public IceRole Role { get; init; } = IceRole.Controlling;

    /// <summary>The role-conflict tie-breaker (RFC 8445 §7.1.1: random 64 bits).</summary>
    public ulong TieBreaker { get; init; }

    /// <summary>Pacing between new checks (RFC 8445 §14.2 Ta; 5 ms is its floor, data-only sessions send little).</summary>
    public TimeSpan CheckInterval { get; init; } = TimeSpan.FromMilliseconds(10);

    /// <summary>First retransmission timeout of a check; doubled per retransmission up to <see cref="MaxRetransmitTimeout"/>.</summary>
    public TimeSpan InitialRetransmitTimeout { get; init; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan MaxRetransmitTimeout { get; init; } = TimeSpan.FromMilliseconds(1600);

    /// <summary>Transmissions of one check before the pair fails (RFC 8489 Rc = 7).</summary>
    public int MaxTransmissions { get; init; } = 7;

    /// <summary>How long the controlling agent waits for a better pair after the first valid one before nominating.</summary>
    public TimeSpan NominationDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Consent refresh period (RFC 7675 §5.1: randomized 4-6 s around 5 s).</summary>
    public TimeSpan ConsentInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Consent expires after this long without a response (RFC 7675 §5.1: 30 s).</summary>
    public TimeSpan ConsentTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Without any valid pair after this long, the agent fails.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>STUN servers asked for server-reflexive candidates (already resolved).</summary>
    public IReadOnlyList<IPEndPoint> StunServers { get; init; } = [];

    /// <summary>Randomness for consent jitter (tests pass a seeded one).</summary>
    public Random Random { get; init; } = Random.Shared;
}
