using System.Net;
using Tavus.Cvi.WebRtc.Peer;
using Tavus.Cvi.WebRtc.Sdp;

namespace Tavus.Cvi.WebRtc.Tests.Simulation;

/// <summary>
/// Two whole peers joined by a <see cref="SimulatedNetwork"/>: the offerer is node 0, the answerer node 1. Descriptions
/// go through their SDP text, as they would between two browsers.
/// </summary>
internal sealed class PeerPair : IDisposable
{
    private static readonly RtcCertificate CertificateA = RtcCertificate.Generate();
    private static readonly RtcCertificate CertificateB = RtcCertificate.Generate();

    public PeerPair(int seed, NetworkConditions? conditions = null)
    {
        Offerer = new PeerNode(new IPEndPoint(IPAddress.Parse("10.0.0.1"), 40001), (seed * 2) + 1, CertificateA);
        Answerer = new PeerNode(new IPEndPoint(IPAddress.Parse("10.0.0.2"), 40002), (seed * 2) + 2, CertificateB);
        Offerer.Remote = Answerer.Address;
        Answerer.Remote = Offerer.Address;
        Network = new SimulatedNetwork(Offerer, Answerer, seed, conditions);
        Network.Tap = (from, datagram) => Trace.Add((Network.Now, from, (ushort)((datagram[0] << 8) | (datagram.Length > 1 ? datagram[1] : 0)), datagram.Length));
    }

    public PeerNode Offerer { get; }

    public PeerNode Answerer { get; }

    public SimulatedNetwork Network { get; }

    public TimeSpan Now => Network.Now;

    /// <summary>Every datagram sent: (fake time, from node, first two bytes, length).</summary>
    public List<(TimeSpan At, int From, ushort Kind, int Length)> Trace { get; } = [];

    /// <summary>The DTLS client (RFC 8842: the answerer answers actpass with active).</summary>
    public PeerNode DtlsClient => Answerer;

    public PeerNode DtlsServer => Offerer;

    /// <summary>Offer/answer through SDP text, then runs the network until both peers are connected.</summary>
    public void Connect(TimeSpan? limit = null)
    {
        Exchange();
        Network.RunUntil(() => Offerer.State == RtcPeerConnectionState.Connected && Answerer.State == RtcPeerConnectionState.Connected, limit ?? TimeSpan.FromMinutes(2))
            .Should().BeTrue($"both peers must connect (offerer {Offerer.State}, answerer {Answerer.State}, at {Now}); log:\n{string.Join('\n', Offerer.Log.Lines.Concat(Answerer.Log.Lines))}");
    }

    public void Exchange()
    {
        Offerer.Core.StartGathering(Now);
        Answerer.Core.StartGathering(Now);
        string offer = Offerer.Core.CreateOffer().Write();
        Answerer.Core.SetRemoteDescription(SdpDescription.Parse(offer), RtcSdpType.Offer, Now);
        string answer = Answerer.Core.CreateAnswer(Now).Write(Answerer.Core.RemoteOffer);
        Offerer.Core.SetRemoteDescription(SdpDescription.Parse(answer), RtcSdpType.Answer, Now);
        Offerer.DrainEvents();
        Answerer.DrainEvents();
    }

    /// <summary>Opens a channel from <paramref name="from"/> and runs until both ends have it open.</summary>
    public (RtcDataChannel Local, RtcDataChannel Remote) Open(PeerNode from, string label, RtcDataChannelOptions? options = null)
    {
        PeerNode to = from == Offerer ? Answerer : Offerer;
        RtcDataChannel local = from.CreateChannel(label, options, Now);
        Network.RunUntil(() => from.Opened.Contains(local) && to.Opened.Any(c => c.Label == label && c.Id == local.Id && c.State == RtcDataChannelState.Open), TimeSpan.FromMinutes(1))
            .Should().BeTrue($"channel {label} must open");
        return (local, to.Opened.Last(c => c.Label == label && c.Id == local.Id));
    }

    public void Dispose()
    {
        Offerer.Dispose();
        Answerer.Dispose();
    }
}
