namespace Tavus.Cvi.Interactions.Daily;

/// <summary>A message waiting in a <see cref="DailyPeerLink"/>'s queue for its channel to open.</summary>
internal sealed class DailyPeerSend
{
    public DailyPeerSend(byte[] payload)
    {
        Payload = payload;
        Node = new LinkedListNode<DailyPeerSend>(this);
    }

    public byte[] Payload { get; }

    public LinkedListNode<DailyPeerSend> Node { get; }

    /// <summary>The link whose queue holds it (it moves when a connection is replaced).</summary>
    public DailyPeerLink? Owner { get; set; }

    public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
