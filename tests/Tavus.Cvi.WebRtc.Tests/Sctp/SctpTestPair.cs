using Tavus.Cvi.WebRtc.Sctp;
using Tavus.Cvi.WebRtc.Tests.Simulation;

namespace Tavus.Cvi.WebRtc.Tests.Sctp;

/// <summary>Two associations over a simulated network.</summary>
internal sealed class SctpTestPair
{
    public SctpTestPair(int seed, NetworkConditions? conditions = null, Func<SctpAssociationOptions, SctpAssociationOptions>? configure = null)
    {
        A = new SctpNode(seed * 2 + 1, configure);
        B = new SctpNode(seed * 2 + 2, configure);
        Network = new SimulatedNetwork(A, B, seed, conditions);
    }

    public SctpNode A { get; }

    public SctpNode B { get; }

    public SimulatedNetwork Network { get; }

    public TimeSpan Now => Network.Now;

    public void Connect(bool both = false)
    {
        A.Association.Connect(Now);
        if (both)
        {
            B.Association.Connect(Now);
        }

        Network.RunUntil(() => A.IsEstablished && B.IsEstablished, TimeSpan.FromMinutes(2)).Should().BeTrue("the association must come up");
    }
}
