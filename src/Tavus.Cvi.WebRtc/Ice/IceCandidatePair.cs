namespace Tavus.Cvi.WebRtc.Ice;

/// <summary>A local/remote candidate pair and its check state.</summary>
internal sealed class IceCandidatePair(IceCandidate local, IceCandidate remote)
{
    public IceCandidate Local { get; } = local;

    public IceCandidate Remote { get; set; } = remote;

    public IceCandidatePairState State { get; set; }

    /// <summary>The controlled side received USE-CANDIDATE for this pair (RFC 8445 §7.3.1.5).</summary>
    public bool RemoteNominated { get; set; }

    /// <summary>The controlling side sent (or is sending) a check with USE-CANDIDATE on this pair.</summary>
    public bool Nominating { get; set; }

    /// <summary>RFC 8445 §6.1.2.3: 2^32·min(G,D) + 2·max(G,D) + (G &gt; D ? 1 : 0), G the controlling side's priority.</summary>
    public ulong Priority(IceRole role)
    {
        ulong g = role == IceRole.Controlling ? Local.Priority : Remote.Priority;
        ulong d = role == IceRole.Controlling ? Remote.Priority : Local.Priority;
        return (Math.Min(g, d) << 32) + (2 * Math.Max(g, d)) + (g > d ? 1UL : 0UL);
    }

    public override string ToString() => $"{Local.EndPoint}({Local.Type})->{Remote.EndPoint}({Remote.Type})";
}
