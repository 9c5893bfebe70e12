using System.Net;
using Tavus.Cvi.WebRtc.Dtls;
using Tavus.Cvi.WebRtc.Ice;
using Tavus.Cvi.WebRtc.Peer;
using Tavus.Cvi.WebRtc.Sdp;

namespace Tavus.Cvi.WebRtc.Tests.Peer;

/// <summary>
/// The offerer learns its DTLS role and the peer's fingerprint only from the answer, but its DTLS thread and ephemeral
/// key need neither: they are prepared at <see cref="PeerConnectionCore.CreateOffer"/>, so the answer → open path no
/// longer waits for them (docs/performance.md, "Setup").
/// </summary>
public class OffererDtlsPreparationTests
{
    private static PeerConnectionCore Core(string ufrag, int port, RtcCertificate certificate)
    {
        var core = new PeerConnectionCore(new PeerConnectionCoreOptions
        {
            Certificate = certificate,
            Wake = () => { },
            Random = new Random(port),
            Ice = new IceAgentOptions { LocalUfrag = ufrag, LocalPassword = ufrag + "-password-0123456789", TieBreaker = (ulong)port },
        });
        core.AddLocalCandidate(new IceCandidate("1", IceCandidate.ComputePriority(IceCandidateType.Host, 65535), new IPEndPoint(IPAddress.Parse("10.0.0.1"), port), IceCandidateType.Host));
        return core;
    }

    [Fact]
    public void CreateOffer_prepares_an_unconfigured_DTLS_endpoint_that_the_answer_configures_and_starts()
    {
        var certificateB = RtcCertificate.Generate();
        using var a = Core("ufraga", 5001, RtcCertificate.Generate());
        using var b = Core("ufragb", 5002, certificateB);
        var offer = a.CreateOffer();

        a.DtlsEndpoint.Should().NotBeNull("the offerer prepares DTLS with its offer");
        a.DtlsEndpoint!.IsConfigured.Should().BeFalse("neither the role nor the peer's fingerprint is known before the answer");
        a.DtlsEndpoint.IsStarted.Should().BeFalse();
        a.DtlsRole.Should().BeNull();

        b.SetRemoteDescription(offer, RtcSdpType.Offer, TimeSpan.Zero);
        var answer = b.CreateAnswer(TimeSpan.Zero);
        answer.Setup.Should().Be(SdpSetupRole.Active);
        var prepared = a.DtlsEndpoint;
        a.SetRemoteDescription(answer, RtcSdpType.Answer, TimeSpan.Zero);

        a.DtlsEndpoint.Should().BeSameAs(prepared, "the endpoint prepared with the offer is the one the handshake uses");
        a.DtlsEndpoint.IsConfigured.Should().BeTrue();
        a.DtlsEndpoint.Role.Should().Be(DtlsRole.Server, "an active answerer makes the offerer the DTLS server");
        a.DtlsEndpoint.IsStarted.Should().BeTrue("the server starts with the answer, ready for the ClientHello");
    }

    [Fact]
    public void A_passive_answer_makes_the_prepared_endpoint_a_client_that_waits_for_a_valid_pair()
    {
        using var a = Core("ufraga", 5001, RtcCertificate.Generate());
        using var b = new PeerConnectionCore(new PeerConnectionCoreOptions
        {
            Certificate = RtcCertificate.Generate(),
            Wake = () => { },
            Random = new Random(5002),
            ForcedSetup = SdpSetupRole.Passive,
            Ice = new IceAgentOptions { LocalUfrag = "ufragb", LocalPassword = "ufragb-password-0123456789", TieBreaker = 5002 },
        });
        var offer = a.CreateOffer();
        b.SetRemoteDescription(offer, RtcSdpType.Offer, TimeSpan.Zero);
        var answer = b.CreateAnswer(TimeSpan.Zero);
        answer.Setup.Should().Be(SdpSetupRole.Passive);

        a.SetRemoteDescription(answer, RtcSdpType.Answer, TimeSpan.Zero);

        a.DtlsEndpoint!.IsConfigured.Should().BeTrue();
        a.DtlsEndpoint.Role.Should().Be(DtlsRole.Client);
        a.DtlsEndpoint.IsStarted.Should().BeFalse("the client starts on the first valid ICE pair, which needs a check round trip");
    }

    [Fact]
    public void An_unconfigured_endpoint_refuses_to_start()
    {
        using var endpoint = new DtlsEndpoint(RtcCertificate.Generate(), () => { });
        endpoint.Prepare();
        var start = () => endpoint.Start();
        start.Should().Throw<InvalidOperationException>();
        endpoint.IsStarted.Should().BeFalse();
    }
}
