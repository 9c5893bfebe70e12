namespace Tavus.Cvi.Interactions.Session;

/// <summary>A consumer the receive loop publishes to: a handler, a reader, or a waiter.</summary>
internal interface IPublisher
{
    /// <summary>Offers a notification without blocking. Returns false when the consumer is done and can be removed.</summary>
    bool Publish(SessionNotification notification);

    /// <summary>The session ended: no more notifications.</summary>
    void Complete(CviSessionEndedEventArgs ended);
}
