using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.Interactions.Session;

/// <summary>Items the session itself puts on its inbound channel, next to the transport's events.</summary>
internal abstract record SessionSignal : TransportEvent
{
    /// <summary>A timer deadline passed (seq re-ordering, shutdown grace period).</summary>
    public sealed record TimerElapsed : SessionSignal;

    /// <summary>Reading the transport failed.</summary>
    public sealed record ReadFailed(Exception Exception) : SessionSignal;

    /// <summary>The transport's stream ended.</summary>
    public sealed record StreamEnded : SessionSignal;
}
