using Tavus.Cvi.WebRtc.DataChannels;
using Tavus.Cvi.WebRtc.Sctp;

namespace Tavus.Cvi.WebRtc.Tests.Simulation;

/// <summary>A <see cref="DataChannelEndpoint"/> as a simulated node; events are collected.</summary>
public sealed class DataChannelNode : ISimulatedNode
{
    public DataChannelNode(int seed, bool isDtlsClient, Func<SctpAssociationOptions, SctpAssociationOptions>? configure = null)
    {
        var options = (configure ?? (o => o))(new SctpAssociationOptions { Random = new Random(seed) });
        Endpoint = new DataChannelEndpoint(new SctpAssociation(options), isDtlsClient);
    }

    public DataChannelEndpoint Endpoint { get; }

    public List<DataChannelEvent> Events { get; } = [];

    public List<DataChannelMessageReceived> Messages { get; } = [];

    public Action<DataChannelEvent, TimeSpan>? OnEvent { get; set; }

    public TimeSpan Now { get; private set; }

    public TimeSpan? NextDeadline => Endpoint.NextDeadline;

    public void Receive(byte[] datagram, TimeSpan now)
    {
        Now = now;
        Endpoint.HandlePacket(datagram, now);
        DrainEvents();
    }

    public void HandleTimeout(TimeSpan now)
    {
        Now = now;
        Endpoint.HandleTimeout(now);
        DrainEvents();
    }

    public bool TryPollTransmit(out byte[] datagram)
    {
        bool any = Endpoint.TryPollTransmit(out byte[]? packet);
        datagram = packet ?? [];
        DrainEvents();
        return any;
    }

    public void DrainEvents()
    {
        while (Endpoint.TryPollEvent(out DataChannelEvent? evt))
        {
            Events.Add(evt);
            if (evt is DataChannelMessageReceived m)
            {
                Messages.Add(m);
            }

            OnEvent?.Invoke(evt, Now);
        }
    }
}
