using System.Diagnostics;
using System.Net;
using Tavus.Cvi.WebRtc.Dtls;
using Tavus.Cvi.WebRtc.Ice;
using Tavus.Cvi.WebRtc.Peer;
using Tavus.Cvi.WebRtc.Sdp;

namespace Tavus.Cvi.WebRtc.Tests.Peer;

/// <summary>
/// A native answerer (libdatachannel, for one) starts its DTLS client as soon as its ICE check succeeds, so its
/// ClientHello can reach the offerer before the answer does. The offerer's core must keep it for its DTLS server:
/// here that ClientHello is the only one it ever gets, so the handshake completes only if it was kept.
/// </summary>
public class EarlyClientHelloTests
{
    private static readonly IPEndPoint AddressA = new(IPAddress.Parse("10.0.0.1"), 5001);
    private static readonly IPEndPoint AddressB = new(IPAddress.Parse("10.0.0.2"), 5002);

    private static PeerConnectionCore Core(string ufrag, IPEndPoint address, RtcCertificate certificate, SemaphoreSlim wake)
    {
        var core = new PeerConnectionCore(new PeerConnectionCoreOptions
        {
            Certificate = certificate,
            Wake = () => wake.Release(),
            Random = new Random(address.Port),
            Ice = new IceAgentOptions { LocalUfrag = ufrag, LocalPassword = ufrag + "-password-0123456789", TieBreaker = (ulong)address.Port },
        });
        core.AddLocalCandidate(new IceCandidate("1", IceCandidate.ComputePriority(IceCandidateType.Host, 65535), address, IceCandidateType.Host));
        return core;
    }

    private static bool IsClientHello(byte[] d) => d.Length > 13 && d[0] == 22 && d[13] == 1;

    [Fact]
    public async Task A_ClientHello_that_arrives_before_the_answer_is_kept_for_the_DTLS_server()
    {
        using var wake = new SemaphoreSlim(0);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var certificateB = RtcCertificate.Generate();
        var clock = Stopwatch.StartNew();
        using var a = Core("ufraga", AddressA, RtcCertificate.Generate(), wake);
        using var b = Core("ufragb", AddressB, certificateB, wake);
        a.StartGathering(clock.Elapsed);
        b.StartGathering(clock.Elapsed);
        var offer = a.CreateOffer();
        b.SetRemoteDescription(offer, RtcSdpType.Offer, clock.Elapsed);
        var answer = b.CreateAnswer(clock.Elapsed);
        answer.Setup.Should().Be(SdpSetupRole.Active, "the answerer is the DTLS client");

        // The answerer's DTLS client, standing in for a native stack that starts before its answer has arrived.
        using var client = new DtlsEndpoint(DtlsRole.Client, certificateB, offer.Fingerprint!, () => wake.Release());
        client.Start();
        byte[]? clientHello = null;
        while (clientHello is null)
        {
            await wake.WaitAsync(TimeSpan.FromMilliseconds(50), timeout.Token);
            if (client.TryPollTransmit(out var d))
            {
                clientHello = d;
            }
        }

        IsClientHello(clientHello!).Should().BeTrue();
        a.HandleDatagram(clientHello, AddressB, clock.Elapsed);
        a.SetRemoteDescription(answer, RtcSdpType.Answer, clock.Elapsed);

        // From here every retransmitted ClientHello is dropped: only the early one can have started the handshake.
        var clientEvents = new List<DtlsEvent>();
        while (!clientEvents.OfType<DtlsEvent.Connected>().Any() || a.Sctp is null)
        {
            a.HandleTimeout(clock.Elapsed);
            while (a.TryPollTransmit(out var t))
            {
                if (t.Data[0] is >= 20 and <= 63)
                {
                    t.Destination.Should().Be(AddressB);
                    client.HandleDatagram(t.Data);
                }
            }

            client.ReceivePending();
            while (client.TryPollTransmit(out var d))
            {
                if (!IsClientHello(d!))
                {
                    a.HandleDatagram(d!, AddressB, clock.Elapsed);
                }
            }

            while (client.TryPollEvent(out var e))
            {
                clientEvents.Add(e!);
            }

            while (a.TryPollEvent(out _))
            {
            }

            clientEvents.OfType<DtlsEvent.Failed>().Should().BeEmpty();
            await wake.WaitAsync(TimeSpan.FromMilliseconds(5), timeout.Token);
        }

        a.DtlsRole.Should().Be(DtlsRole.Server);
    }
}
