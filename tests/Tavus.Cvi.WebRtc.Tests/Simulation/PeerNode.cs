using System.Net;
using Microsoft.Extensions.Logging;
using Tavus.Cvi.WebRtc.Ice;
using Tavus.Cvi.WebRtc.Peer;

namespace Tavus.Cvi.WebRtc.Tests.Simulation;

/// <summary>
/// A whole peer (<see cref="PeerConnectionCore"/>: ICE, DTLS in lockstep, SCTP, DCEP) as a simulated node with one host
/// candidate. Every event it reports is recorded.
/// </summary>
internal sealed class PeerNode : ISimulatedNode, IDisposable
{
    private readonly RtcPeerConnection _owner;
    private readonly ILoggerFactory _loggerFactory;

    public PeerNode(IPEndPoint address, int seed, RtcCertificate certificate)
    {
        Address = address;
        Log = new SimulationLog(address.ToString());
        _loggerFactory = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Information).AddProvider(Log));
        // Channel objects need an owner; this one is never started (no socket, no driver): the core is driven here.
        _owner = new RtcPeerConnection(new RtcConfiguration { Certificate = certificate });
        Core = new PeerConnectionCore(new PeerConnectionCoreOptions
        {
            Certificate = certificate,
            LockstepDtls = true,
            LoggerFactory = _loggerFactory,
            Random = new Random(seed),
            ChannelFactory = (label, options) => new RtcDataChannel(_owner, label, options),
            Ice = new IceAgentOptions
            {
                LocalUfrag = $"sim{seed:D4}",
                LocalPassword = $"simulatedpassword{seed:D8}",
                TieBreaker = (ulong)new Random(seed).NextInt64(),
                Random = new Random(seed + 1000),
            },
        });
        Core.AddLocalCandidate(new IceCandidate("1", IceCandidate.ComputePriority(IceCandidateType.Host, 65535), address, IceCandidateType.Host));
    }

    public IPEndPoint Address { get; }

    /// <summary>The peer's log at Information and above.</summary>
    public SimulationLog Log { get; }

    /// <summary>The other node's address: the source of every datagram this one receives.</summary>
    public IPEndPoint? Remote { get; set; }

    public PeerConnectionCore Core { get; }

    public TimeSpan Now { get; private set; }

    public List<RtcPeerConnectionState> States { get; } = [];

    public List<RtcDataChannel> Received { get; } = [];

    public List<RtcDataChannel> Opened { get; } = [];

    public List<RtcDataChannel> Closed { get; } = [];

    public List<(RtcDataChannel Channel, RtcDataChannelMessage Message, TimeSpan At)> Messages { get; } = [];

    /// <summary>Transmits addressed elsewhere than <see cref="Remote"/> (there should be none).</summary>
    public int Misaddressed { get; private set; }

    public TimeSpan? NextDeadline => Core.NextDeadline;

    public RtcPeerConnectionState State => Core.State;

    /// <summary>Optional tap on every datagram as it arrives.</summary>
    public Action<byte[], TimeSpan>? Arrived { get; set; }

    public void Receive(byte[] datagram, TimeSpan now)
    {
        Now = now;
        Arrived?.Invoke(datagram, now);
        Core.HandleDatagram(datagram, Remote!, now);
        Core.Poll(now);
        DrainEvents();
    }

    public void HandleTimeout(TimeSpan now)
    {
        Now = now;
        Core.HandleTimeout(now);
        DrainEvents();
    }

    public bool TryPollTransmit(out byte[] datagram)
    {
        while (Core.TryPollTransmit(out IceTransmit t))
        {
            if (!t.Destination.Equals(Remote))
            {
                Misaddressed++;
                continue;
            }

            datagram = t.Data;
            return true;
        }

        datagram = [];
        return false;
    }

    /// <summary>Creates a channel through the core as <see cref="RtcPeerConnection.CreateDataChannel"/> would.</summary>
    public RtcDataChannel CreateChannel(string label, RtcDataChannelOptions? options, TimeSpan now)
    {
        var channel = new RtcDataChannel(_owner, label, options ?? new RtcDataChannelOptions());
        Now = now;
        Core.RegisterChannel(channel, now);
        DrainEvents();
        return channel;
    }

    public void Send(RtcDataChannel channel, byte[] data, TimeSpan now)
    {
        Now = now;
        Core.SendOnChannel(channel, null, data, now);
        DrainEvents();
    }

    public void Send(RtcDataChannel channel, string text, TimeSpan now)
    {
        Now = now;
        Core.SendOnChannel(channel, text, System.Text.Encoding.UTF8.GetBytes(text), now);
        DrainEvents();
    }

    public void CloseChannel(RtcDataChannel channel, TimeSpan now)
    {
        Now = now;
        Core.CloseChannel(channel, now);
        DrainEvents();
    }

    public void DrainEvents()
    {
        while (Core.TryPollEvent(out PeerEvent? evt))
        {
            switch (evt)
            {
                case PeerEvent.StateChanged s:
                    States.Add(s.State);
                    break;
                case PeerEvent.ChannelReceived r:
                    Received.Add(r.Channel);
                    break;
                case PeerEvent.ChannelOpened o:
                    o.Channel.SetState(RtcDataChannelState.Open);
                    Opened.Add(o.Channel);
                    break;
                case PeerEvent.ChannelClosed c:
                    c.Channel.SetState(RtcDataChannelState.Closed);
                    Closed.Add(c.Channel);
                    break;
                case PeerEvent.ChannelMessage m:
                    Messages.Add((m.Channel, m.Message, Now));
                    break;
                default:
                    break;
            }
        }
    }

    public void Dispose()
    {
        Core.Dispose();
        _owner.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _loggerFactory.Dispose();
    }
}
