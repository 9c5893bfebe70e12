using Tavus.Cvi.WebRtc.Sctp;

namespace Tavus.Cvi.WebRtc.Tests.Simulation;

/// <summary>An <see cref="SctpAssociation"/> as a simulated node; events are collected and optionally reacted to.</summary>
public sealed class SctpNode : ISimulatedNode
{
    public SctpNode(SctpAssociation association) => Association = association;

    public SctpNode(int seed, Func<SctpAssociationOptions, SctpAssociationOptions>? configure = null)
        : this(new SctpAssociation((configure ?? (o => o))(new SctpAssociationOptions { Random = new Random(seed) })))
    {
    }

    public SctpAssociation Association { get; }

    public List<SctpEvent> Events { get; } = [];

    public List<SctpMessageReceived> Messages { get; } = [];

    /// <summary>Called for each event as it is drained (after it is recorded).</summary>
    public Action<SctpEvent, TimeSpan>? OnEvent { get; set; }

    public TimeSpan Now { get; private set; }

    public bool IsEstablished => Association.State == SctpAssociationState.Established;

    public TimeSpan? NextDeadline => Association.NextDeadline;

    public void Receive(byte[] datagram, TimeSpan now)
    {
        Now = now;
        Association.HandlePacket(datagram, now);
        DrainEvents();
    }

    public void HandleTimeout(TimeSpan now)
    {
        Now = now;
        Association.HandleTimeout(now);
        DrainEvents();
    }

    public bool TryPollTransmit(out byte[] datagram)
    {
        bool any = Association.TryPollTransmit(out byte[]? packet);
        datagram = packet ?? [];
        DrainEvents();
        return any;
    }

    public void DrainEvents()
    {
        while (Association.TryPollEvent(out SctpEvent? evt))
        {
            Events.Add(evt);
            if (evt is SctpMessageReceived m)
            {
                Messages.Add(m);
            }

            OnEvent?.Invoke(evt, Now);
        }
    }
}
