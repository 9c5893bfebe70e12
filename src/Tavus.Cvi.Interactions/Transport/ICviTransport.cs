namespace Tavus.Cvi.Interactions.Transport;

/// <summary>
/// A room that carries app messages: the abstraction a <c>CviSession</c> runs over.
/// </summary>
/// <remarks>
/// <para>
/// Implementations are the Daily transport (which joins a Daily room itself), the in-memory pair used by tests, and
/// whatever a user plugs in (for example a bridge to daily-python). Payloads are opaque UTF-8 JSON texts: the
/// transport never parses the Tavus protocol.
/// </para>
/// <para>
/// Everything that happens in the room reaches the session through one ordered stream,
/// <see cref="ReadEventsAsync"/>, so a message and the presence change before it are never seen out of order.
/// <see cref="SendAsync"/> may be called concurrently; implementations serialize it.
/// </para>
/// </remarks>
public interface ICviTransport : IAsyncDisposable
{
    /// <summary>The connection state right now.</summary>
    TransportState State { get; }

    /// <summary>The local participant once joined; <see langword="null"/> before.</summary>
    RoomParticipant? LocalParticipant { get; }

    /// <summary>A snapshot of the other participants in the room.</summary>
    IReadOnlyList<RoomParticipant> RemoteParticipants { get; }

    /// <summary>
    /// The largest payload the room accepts, counted as Daily counts it: UTF-16 code units of the JSON text.
    /// </summary>
    int MaxMessageSize { get; }

    /// <summary>Joins the room. Completes once the participant list is known and messages can be sent.</summary>
    /// <param name="cancellationToken">Cancels the join.</param>
    Task JoinAsync(CancellationToken cancellationToken = default);

    /// <summary>Sends one app message.</summary>
    /// <param name="utf8Json">The payload: one JSON object as UTF-8.</param>
    /// <param name="recipientId">A participant id, or <see langword="null"/> for everyone but the sender.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <exception cref="CviMessageTooLargeException">The payload exceeds <see cref="MaxMessageSize"/>; nothing was sent.</exception>
    /// <exception cref="CviConnectionException">The transport is not connected and cannot queue the message.</exception>
    ValueTask SendAsync(ReadOnlyMemory<byte> utf8Json, string? recipientId = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The ordered stream of everything that happens in the room. It has a single reader, and it completes after the
    /// transport reached <see cref="TransportState.Closed"/> (the last event is then a <see cref="TransportStateChanged"/>).
    /// </summary>
    /// <param name="cancellationToken">Stops reading; the transport stays joined.</param>
    IAsyncEnumerable<TransportEvent> ReadEventsAsync(CancellationToken cancellationToken = default);

    /// <summary>Leaves the room cleanly. Idempotent.</summary>
    /// <param name="cancellationToken">Cancels the graceful part of leaving; the transport is closed either way.</param>
    Task LeaveAsync(CancellationToken cancellationToken = default);
}
