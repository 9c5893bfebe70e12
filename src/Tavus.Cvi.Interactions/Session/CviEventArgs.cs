using Tavus.Cvi.Interactions.Protocol;

namespace Tavus.Cvi.Interactions.Session;

/// <summary>The arguments of the session's per-event C# events: the event itself.</summary>
/// <typeparam name="TEvent">The event type.</typeparam>
public sealed class CviEventArgs<TEvent> : EventArgs
    where TEvent : CviEvent
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="cviEvent">The event.</param>
    public CviEventArgs(TEvent cviEvent)
    {
        ArgumentNullException.ThrowIfNull(cviEvent);
        Event = cviEvent;
    }

    /// <summary>The event, as decoded (its raw JSON is kept on unknown and invalid events).</summary>
    public TEvent Event { get; }
}
