using System.Net;
using Tavus.Cvi.WebRtc.Ice;
using Tavus.Cvi.WebRtc.Tests.Simulation;

namespace Tavus.Cvi.WebRtc.Tests.Ice;

/// <summary>ICE agent pairs through the shared simulated network (loss, duplication, reordering, delay) on a virtual clock.</summary>
public class IceSimulationTests
{
    /// <summary>An agent at one address; datagrams addressed anywhere but the peer are lost, as on a real network.</summary>
    private sealed class IceNode(IceAgent agent, IPEndPoint self, IPEndPoint peer) : ISimulatedNode
    {
        public IceAgent Agent { get; } = agent;

        public List<IceEvent> Events { get; } = [];

        public TimeSpan? NextDeadline => Agent.NextDeadline;

        public void Receive(byte[] datagram, TimeSpan now)
        {
            Agent.HandleStun(datagram, peer, now);
            Collect();
        }

        public void HandleTimeout(TimeSpan now)
        {
            Agent.HandleTimeout(now);
            Collect();
        }

        public bool TryPollTransmit(out byte[] datagram)
        {
            while (Agent.TryPollTransmit(out var t))
            {
                if (t.Destination.Equals(peer))
                {
                    datagram = t.Data;
                    return true;
                }
            }

            datagram = [];
            return false;
        }

        private void Collect()
        {
            while (Agent.TryPollEvent(out var e))
            {
                Events.Add(e!);
            }
        }

        public override string ToString() => self.ToString();
    }

    private static (IceNode A, IceNode B) Build(int seed, IceRole roleA, IceRole roleB, bool signalBoth)
    {
        var addressA = new IPEndPoint(IPAddress.Parse("192.168.1.10"), 40000);
        var addressB = new IPEndPoint(IPAddress.Parse("192.168.1.20"), 50000);
        var random = new Random(seed);
        var a = new IceAgent(new IceAgentOptions { LocalUfrag = "aaaa", LocalPassword = "a-password-of-22-chars", Role = roleA, TieBreaker = (ulong)random.NextInt64(), Random = new Random(seed + 1) });
        var b = new IceAgent(new IceAgentOptions { LocalUfrag = "bbbb", LocalPassword = "b-password-of-22-chars", Role = roleB, TieBreaker = (ulong)random.NextInt64(), Random = new Random(seed + 2) });
        var ca = new IceCandidate("1", IceCandidate.ComputePriority(IceCandidateType.Host, 65535), addressA, IceCandidateType.Host);
        var cb = new IceCandidate("1", IceCandidate.ComputePriority(IceCandidateType.Host, 65535), addressB, IceCandidateType.Host);
        a.AddLocalCandidate(ca);
        b.AddLocalCandidate(cb);
        // A candidate of B that leads nowhere, so checks on a failing pair run beside the good one.
        a.AddRemoteCandidate(new IceCandidate("9", IceCandidate.ComputePriority(IceCandidateType.Host, 65000), new IPEndPoint(IPAddress.Parse("192.168.1.99"), 9), IceCandidateType.Host));
        a.SetRemoteCredentials("bbbb", "b-password-of-22-chars");
        b.SetRemoteCredentials("aaaa", "a-password-of-22-chars");
        a.AddRemoteCandidate(cb);
        if (signalBoth)
        {
            b.AddRemoteCandidate(ca);
        }

        a.Start(TimeSpan.Zero);
        b.Start(TimeSpan.Zero);
        return (new IceNode(a, addressA, addressB), new IceNode(b, addressB, addressA));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Connects_over_a_lossy_reordering_duplicating_network(int seed)
    {
        var (a, b) = Build(seed, IceRole.Controlling, IceRole.Controlled, signalBoth: seed % 2 == 0);
        var net = new SimulatedNetwork(a, b, seed, NetworkConditions.Lossy(0.2));
        bool connected = net.RunUntil(() => a.Agent.State == IceConnectionState.Connected && b.Agent.State == IceConnectionState.Connected, TimeSpan.FromSeconds(20));
        connected.Should().BeTrue($"seed {seed}: sent {net.Sent}, lost {net.Lost}");
        a.Agent.SelectedRemote.Should().Be(new IPEndPoint(IPAddress.Parse("192.168.1.20"), 50000));
        b.Agent.SelectedRemote.Should().Be(new IPEndPoint(IPAddress.Parse("192.168.1.10"), 40000));

        // Consent freshness keeps both sides connected for minutes of virtual time despite the loss.
        net.RunFor(TimeSpan.FromMinutes(3));
        a.Agent.State.Should().Be(IceConnectionState.Connected);
        b.Agent.State.Should().Be(IceConnectionState.Connected);
    }

    [Fact]
    public void Both_controlling_resolve_the_conflict_under_loss()
    {
        var (a, b) = Build(7, IceRole.Controlling, IceRole.Controlling, signalBoth: true);
        var net = new SimulatedNetwork(a, b, 7, NetworkConditions.Lossy(0.1));
        net.RunUntil(() => a.Agent.State == IceConnectionState.Connected && b.Agent.State == IceConnectionState.Connected, TimeSpan.FromSeconds(20)).Should().BeTrue();
        a.Agent.Role.Should().NotBe(b.Agent.Role);
    }

    [Fact]
    public void A_partition_expires_consent_on_both_sides()
    {
        var (a, b) = Build(8, IceRole.Controlling, IceRole.Controlled, signalBoth: true);
        var net = new SimulatedNetwork(a, b, 8);
        net.RunUntil(() => a.Agent.State == IceConnectionState.Connected && b.Agent.State == IceConnectionState.Connected, TimeSpan.FromSeconds(5)).Should().BeTrue();
        net.AToB = new NetworkConditions { Loss = 1 };
        net.BToA = new NetworkConditions { Loss = 1 };
        net.RunFor(TimeSpan.FromSeconds(40));
        a.Agent.State.Should().Be(IceConnectionState.Disconnected);
        b.Agent.State.Should().Be(IceConnectionState.Disconnected);
        a.Events.OfType<IceEvent.StateChanged>().Select(e => e.State).Should().Equal(IceConnectionState.Checking, IceConnectionState.Connected, IceConnectionState.Disconnected);
    }
}
