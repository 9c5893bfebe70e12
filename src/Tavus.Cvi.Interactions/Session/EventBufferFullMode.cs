namespace Tavus.Cvi.Interactions.Session;

/// <summary>
/// What happens when a consumer of a <c>CviSession</c> (a <c>ReadEventsAsync</c> reader or a C# event handler) falls
/// <see cref="CviSessionOptions.EventBufferCapacity"/> events behind. The receive loop itself never waits for a consumer.
/// </summary>
public enum EventBufferFullMode
{
    /// <summary>The consumer's oldest unread event is dropped (and a warning is logged) to make room for the newest.</summary>
    DropOldest = 0,

    /// <summary>
    /// The lagging <c>ReadEventsAsync</c> reader fails: after the events it still holds, its enumeration throws a
    /// <see cref="Transport.CviException"/>. C# event handlers fall back to <see cref="DropOldest"/>.
    /// </summary>
    FailReader,
}
