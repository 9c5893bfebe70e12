using System.Net;
using Tavus.Cvi.WebRtc.Ice;
using Tavus.Cvi.WebRtc.Stun;

namespace Tavus.Cvi.WebRtc.Tests.Ice;

public class IceGatheringTests
{
    private static readonly IPEndPoint Server = new(IPAddress.Parse("198.51.100.1"), 3478);
    private static readonly IPEndPoint Host = new(IPAddress.Parse("10.0.0.7"), 5000);

    private static IceAgent NewAgent() => new(new IceAgentOptions { LocalUfrag = "ufrg", LocalPassword = "0123456789012345678901", StunServers = [Server] });

    [Fact]
    public void A_stun_server_answer_adds_a_server_reflexive_candidate()
    {
        var agent = NewAgent();
        agent.AddLocalCandidate(new IceCandidate("1", IceCandidate.ComputePriority(IceCandidateType.Host, 65535), Host, IceCandidateType.Host));
        agent.StartGathering(TimeSpan.Zero);
        agent.IsGatheringComplete.Should().BeFalse();
        agent.TryPollTransmit(out var request).Should().BeTrue();
        request.Destination.Should().Be(Server);
        StunMessage.TryParse(request.Data, out var parsed).Should().BeTrue();
        parsed!.Type.Should().Be(StunMessageType.BindingRequest);

        var mapped = new IPEndPoint(IPAddress.Parse("203.0.113.50"), 61000);
        var response = new StunMessageBuilder(StunMessageType.BindingSuccess, parsed.TransactionId).AddXorMappedAddress(mapped).Build([]);
        agent.HandleStun(response, Server, TimeSpan.FromMilliseconds(30)).Should().BeTrue();

        agent.IsGatheringComplete.Should().BeTrue();
        var srflx = agent.LocalCandidates.Should().ContainSingle(c => c.Type == IceCandidateType.ServerReflexive).Subject;
        srflx.EndPoint.Should().Be(mapped);
        srflx.RelatedAddress.Should().Be(Host);
        srflx.Priority.Should().BeLessThan(agent.LocalCandidates[0].Priority);
        var events = new List<IceEvent>();
        while (agent.TryPollEvent(out var e)) { events.Add(e!); }
        events.Should().ContainSingle(e => e is IceEvent.CandidateGathered).And.ContainSingle(e => e is IceEvent.GatheringComplete);
    }

    [Fact]
    public void A_silent_stun_server_ends_gathering_after_its_retransmissions()
    {
        var agent = NewAgent();
        agent.AddLocalCandidate(new IceCandidate("1", IceCandidate.ComputePriority(IceCandidateType.Host, 65535), Host, IceCandidateType.Host));
        agent.StartGathering(TimeSpan.Zero);
        int sent = 0;
        var now = TimeSpan.Zero;
        while (!agent.IsGatheringComplete && now < TimeSpan.FromSeconds(30))
        {
            while (agent.TryPollTransmit(out _)) { sent++; }
            now = agent.NextDeadline ?? now + TimeSpan.FromSeconds(1);
            agent.HandleTimeout(now);
        }

        agent.IsGatheringComplete.Should().BeTrue();
        sent.Should().Be(7, "RFC 8489 Rc = 7 transmissions");
        agent.LocalCandidates.Should().ContainSingle();
    }

    [Fact]
    public void An_unsolicited_response_is_ignored()
    {
        var agent = NewAgent();
        agent.StartGathering(TimeSpan.Zero);
        var stray = new StunMessageBuilder(StunMessageType.BindingSuccess, StunMessageBuilder.NewTransactionId()).AddXorMappedAddress(Host).Build([]);
        agent.HandleStun(stray, Server, TimeSpan.Zero).Should().BeFalse();
        agent.IsGatheringComplete.Should().BeFalse();
    }
}
