using System.Net;
using Tavus.Cvi.WebRtc.Ice;
using Tavus.Cvi.WebRtc.Sdp;

namespace Tavus.Cvi.WebRtc.Tests.Sdp;

public class SdpDescriptionTests
{
    // An offer as Chromium writes it for audio + data channel (trimmed), with an mDNS candidate we must skip.
    private const string ChromiumOffer =
        "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0 1\r\na=extmap-allow-mixed\r\n" +
        "a=msid-semantic: WMS\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\n" +
        "a=ice-ufrag:aud1\r\na=ice-pwd:audiopasswordaudiopass1\r\na=mid:0\r\na=sendrecv\r\na=rtpmap:111 opus/48000/2\r\n" +
        "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\nc=IN IP4 0.0.0.0\r\n" +
        "a=candidate:1 1 udp 2122260223 10.0.0.5 51000 typ host generation 0 network-id 1\r\n" +
        "a=candidate:2 1 udp 2122260223 0f6a0c3e-1111-2222-3333-444455556666.local 51001 typ host generation 0\r\n" +
        "a=candidate:3 1 tcp 1518280447 10.0.0.5 9 typ host tcptype active generation 0\r\n" +
        "a=candidate:4 1 udp 1686052607 203.0.113.9 40000 typ srflx raddr 10.0.0.5 rport 51000 generation 0\r\n" +
        "a=ice-ufrag:Xy1z\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\na=ice-options:trickle\r\n" +
        "a=fingerprint:sha-256 ab:cd:EF:01\r\na=setup:actpass\r\na=mid:1\r\na=sctp-port:5000\r\na=max-message-size:262144\r\n";

    [Fact]
    public void Parses_the_data_section_of_a_browser_offer()
    {
        var d = SdpDescription.Parse(ChromiumOffer);
        d.Mid.Should().Be("1");
        d.IceUfrag.Should().Be("Xy1z");
        d.IcePassword.Should().Be("abcdefghijklmnopqrstuvwx");
        d.FingerprintAlgorithm.Should().Be("sha-256");
        d.Fingerprint.Should().Be("AB:CD:EF:01");
        d.Setup.Should().Be(SdpSetupRole.ActPass);
        d.SctpPort.Should().Be(5000);
        d.MaxMessageSize.Should().Be(262144);
        d.Candidates.Should().HaveCount(2);
        d.Candidates[0].EndPoint.Should().Be(new IPEndPoint(IPAddress.Parse("10.0.0.5"), 51000));
        d.Candidates[1].Type.Should().Be(IceCandidateType.ServerReflexive);
        d.Candidates[1].RelatedAddress.Should().Be(new IPEndPoint(IPAddress.Parse("10.0.0.5"), 51000));
        d.Media.Should().HaveCount(2);
    }

    [Fact]
    public void Answer_rejects_audio_and_keeps_the_offered_mid()
    {
        var offer = SdpDescription.Parse(ChromiumOffer);
        var answer = new SdpDescription
        {
            SessionId = "1", Mid = offer.Mid, IceUfrag = "ufrg", IcePassword = "0123456789012345678901",
            Fingerprint = "AA:BB", Setup = SdpSetupRole.Active, MaxMessageSize = 262144, EndOfCandidates = true,
        };
        answer.Candidates.Add(new IceCandidate("1", IceCandidate.ComputePriority(IceCandidateType.Host, 65535), new IPEndPoint(IPAddress.Loopback, 5555), IceCandidateType.Host));
        string text = answer.Write(offer);
        text.Should().Contain("m=audio 0 UDP/TLS/RTP/SAVPF 111\r\n").And.Contain("a=group:BUNDLE 1\r\n");
        text.IndexOf("m=audio", StringComparison.Ordinal).Should().BeLessThan(text.IndexOf("m=application", StringComparison.Ordinal));

        var parsed = SdpDescription.Parse(text);
        parsed.Mid.Should().Be("1");
        parsed.Setup.Should().Be(SdpSetupRole.Active);
        parsed.Fingerprint.Should().Be("AA:BB");
        parsed.IceUfrag.Should().Be("ufrg");
        parsed.Candidates.Should().ContainSingle().Which.EndPoint.Port.Should().Be(5555);
        parsed.EndOfCandidates.Should().BeTrue();
        parsed.MaxMessageSize.Should().Be(262144);
    }

    [Fact]
    public void Offer_round_trips()
    {
        var offer = new SdpDescription { SessionId = "9", Mid = "0", IceUfrag = "abcd", IcePassword = "p", Fingerprint = "01:02", Setup = SdpSetupRole.ActPass, SctpPort = 5000 };
        var parsed = SdpDescription.Parse(offer.Write());
        parsed.SessionId.Should().Be("9");
        parsed.Setup.Should().Be(SdpSetupRole.ActPass);
        parsed.MaxMessageSize.Should().BeNull();
    }

    [Fact]
    public void A_description_without_a_data_channel_is_refused()
    {
        var act = () => SdpDescription.Parse("v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\n");
        act.Should().Throw<FormatException>();
    }
}
