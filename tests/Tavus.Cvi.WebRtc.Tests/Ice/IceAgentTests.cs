using System.Net;
using Tavus.Cvi.WebRtc.Ice;

namespace Tavus.Cvi.WebRtc.Tests.Ice;

public class IceAgentTests
{
    private static readonly IPEndPoint AddressA = new(IPAddress.Parse("10.0.0.1"), 1111);
    private static readonly IPEndPoint AddressB = new(IPAddress.Parse("10.0.0.2"), 2222);

    private sealed class Net(int seed)
    {
        public readonly Random Random = new(seed);
        public TimeSpan Now;
        public double Loss;
        public Func<IPEndPoint, byte[], bool>? Filter;
        public readonly List<IceEvent> EventsA = [];
        public readonly List<IceEvent> EventsB = [];

        public void Run(IceAgent a, IceAgent b, TimeSpan duration)
        {
            var end = Now + duration;
            var inflight = new List<(TimeSpan At, bool ToB, byte[] Data)>();
            while (Now <= end)
            {
                Drain(a, true, inflight);
                Drain(b, false, inflight);
                foreach (var p in inflight.Where(p => p.At <= Now).ToList())
                {
                    inflight.Remove(p);
                    if (p.ToB) { b.HandleStun(p.Data, AddressA, Now); } else { a.HandleStun(p.Data, AddressB, Now); }
                }

                Drain(a, true, inflight);
                Drain(b, false, inflight);
                var next = new[] { a.NextDeadline, b.NextDeadline }.Concat(inflight.Select(p => (TimeSpan?)p.At)).Where(t => t is not null).Select(t => t!.Value).DefaultIfEmpty(end + TimeSpan.FromTicks(1)).Min();
                Now = next > Now ? next : Now + TimeSpan.FromMilliseconds(1);
                a.HandleTimeout(Now);
                b.HandleTimeout(Now);
            }
        }

        private void Drain(IceAgent agent, bool fromA, List<(TimeSpan, bool, byte[])> inflight)
        {
            while (agent.TryPollTransmit(out var t))
            {
                var expected = fromA ? AddressB : AddressA;
                if (!t.Destination.Equals(expected) || Random.NextDouble() < Loss || (Filter is not null && !Filter(t.Destination, t.Data)))
                {
                    continue;
                }

                inflight.Add((Now + TimeSpan.FromMilliseconds(5), fromA, t.Data));
            }

            while (agent.TryPollEvent(out var e))
            {
                (fromA ? EventsA : EventsB).Add(e!);
            }
        }
    }

    private static (IceAgent A, IceAgent B) Pair(IceRole roleA, IceRole roleB, bool bKnowsA = true, ulong tieA = 10, ulong tieB = 20)
    {
        var a = new IceAgent(new IceAgentOptions { LocalUfrag = "ufA1", LocalPassword = "passwordA-0123456789abc", Role = roleA, TieBreaker = tieA, Random = new Random(1) });
        var b = new IceAgent(new IceAgentOptions { LocalUfrag = "ufB1", LocalPassword = "passwordB-0123456789abc", Role = roleB, TieBreaker = tieB, Random = new Random(2) });
        var ca = new IceCandidate("1", IceCandidate.ComputePriority(IceCandidateType.Host, 65535), AddressA, IceCandidateType.Host);
        var cb = new IceCandidate("1", IceCandidate.ComputePriority(IceCandidateType.Host, 65535), AddressB, IceCandidateType.Host);
        a.AddLocalCandidate(ca);
        b.AddLocalCandidate(cb);
        a.SetRemoteCredentials(b.LocalUfrag, b.LocalPassword);
        b.SetRemoteCredentials(a.LocalUfrag, a.LocalPassword);
        a.AddRemoteCandidate(cb);
        if (bKnowsA)
        {
            b.AddRemoteCandidate(ca);
        }

        a.Start(TimeSpan.Zero);
        b.Start(TimeSpan.Zero);
        return (a, b);
    }

    [Fact]
    public void Controlling_and_controlled_select_the_same_pair()
    {
        var (a, b) = Pair(IceRole.Controlling, IceRole.Controlled);
        var net = new Net(1);
        net.Run(a, b, TimeSpan.FromSeconds(1));
        a.State.Should().Be(IceConnectionState.Connected);
        b.State.Should().Be(IceConnectionState.Connected);
        a.SelectedRemote.Should().Be(AddressB);
        b.SelectedRemote.Should().Be(AddressA);
        net.EventsA.OfType<IceEvent.SelectedPairChanged>().Should().ContainSingle();
    }

    [Fact]
    public void Each_side_reports_its_first_valid_pair_once_and_before_selection()
    {
        var (a, b) = Pair(IceRole.Controlling, IceRole.Controlled);
        var net = new Net(1);
        net.Run(a, b, TimeSpan.FromSeconds(1));
        foreach (var (events, remote) in new[] { (net.EventsA, AddressB), (net.EventsB, AddressA) })
        {
            events.OfType<IceEvent.FirstPairValid>().Should().ContainSingle().Which.Remote.Should().Be(remote);
            int valid = events.FindIndex(e => e is IceEvent.FirstPairValid);
            int selected = events.FindIndex(e => e is IceEvent.SelectedPairChanged);
            valid.Should().BeLessThan(selected, "a DTLS client may start on a valid pair before nomination");
        }
    }

    [Fact]
    public void Controlled_side_learns_a_peer_reflexive_candidate()
    {
        var (a, b) = Pair(IceRole.Controlling, IceRole.Controlled, bKnowsA: false);
        new Net(2).Run(a, b, TimeSpan.FromSeconds(1));
        b.State.Should().Be(IceConnectionState.Connected);
        b.Pairs.Should().ContainSingle().Which.Remote.Type.Should().Be(IceCandidateType.PeerReflexive);
    }

    [Theory]
    [InlineData(true, 10UL, 20UL)]
    [InlineData(true, 20UL, 10UL)]
    [InlineData(false, 10UL, 20UL)]
    [InlineData(false, 20UL, 10UL)]
    public void Role_conflict_is_resolved_by_the_tie_breaker(bool bothControlling, ulong tieA, ulong tieB)
    {
        var both = bothControlling ? IceRole.Controlling : IceRole.Controlled;
        var (a, b) = Pair(both, both, tieA: tieA, tieB: tieB);
        new Net(3).Run(a, b, TimeSpan.FromSeconds(2));
        a.Role.Should().NotBe(b.Role);
        var expectedControlling = tieA > tieB ? a : b;
        expectedControlling.Role.Should().Be(IceRole.Controlling);
        a.State.Should().Be(IceConnectionState.Connected);
        b.State.Should().Be(IceConnectionState.Connected);
    }

    [Fact]
    public void Connects_through_heavy_loss_by_retransmitting()
    {
        var (a, b) = Pair(IceRole.Controlling, IceRole.Controlled);
        new Net(4) { Loss = 0.4 }.Run(a, b, TimeSpan.FromSeconds(10));
        a.State.Should().Be(IceConnectionState.Connected);
        b.State.Should().Be(IceConnectionState.Connected);
    }

    [Fact]
    public void Consent_expires_thirty_seconds_after_the_last_response()
    {
        var (a, b) = Pair(IceRole.Controlling, IceRole.Controlled);
        var net = new Net(5);
        net.Run(a, b, TimeSpan.FromSeconds(1));
        a.State.Should().Be(IceConnectionState.Connected);
        net.Run(a, b, TimeSpan.FromSeconds(60));
        a.State.Should().Be(IceConnectionState.Connected, "consent refreshes keep the pair alive");
        net.Filter = (_, _) => false;
        var cut = net.Now;
        net.Run(a, b, TimeSpan.FromSeconds(25));
        a.State.Should().Be(IceConnectionState.Connected);
        net.Run(a, b, TimeSpan.FromSeconds(10));
        a.State.Should().Be(IceConnectionState.Disconnected);
        a.SelectedRemote.Should().BeNull();
    }

    [Fact]
    public void Unreachable_remote_fails()
    {
        var (a, b) = Pair(IceRole.Controlling, IceRole.Controlled);
        var net = new Net(6) { Filter = (_, _) => false };
        net.Run(a, b, TimeSpan.FromSeconds(40));
        a.State.Should().Be(IceConnectionState.Failed);
    }

    [Fact]
    public void Wrong_password_is_ignored()
    {
        var (a, b) = Pair(IceRole.Controlling, IceRole.Controlled);
        b.SetRemoteCredentials(a.LocalUfrag, "not-the-password-of-a-at-all");
        var c = new IceAgent(new IceAgentOptions { LocalUfrag = "ufB1", LocalPassword = "another-password-entirely", Role = IceRole.Controlled });
        new Net(7).Run(a, c, TimeSpan.FromSeconds(3));
        a.State.Should().NotBe(IceConnectionState.Connected);
        c.State.Should().Be(IceConnectionState.New);
    }
}
