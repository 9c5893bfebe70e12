using Tavus.Cvi.Interactions.Daily;
using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.Interactions.Session;

// The Daily entry point: join a Tavus conversation's room from its conversation_url.
public sealed partial class CviSession
{
    /// <summary>
    /// Joins a Tavus conversation: joins its Daily room with a <see cref="DailyTransport"/> (which the session owns and
    /// disposes) and starts receiving.
    /// </summary>
    /// <param name="conversationUrl">
    /// The conversation's <c>conversation_url</c>, such as <c>https://tavus.daily.co/c123456</c>. A <c>t=</c> query
    /// parameter is used as the meeting token (unless <see cref="DailyTransportOptions.MeetingToken"/> is set) and never
    /// logged.
    /// </param>
    /// <param name="conversationId">The conversation id, filled into every interaction sent without one.</param>
    /// <param name="options">
    /// Session options; <see cref="CviSessionOptions.Daily"/> configures the room join (meeting token, display name,
    /// endpoints, <see cref="HttpClient"/>), and the logger factory and clock are shared with the transport.
    /// </param>
    /// <param name="cancellationToken">Cancels joining.</param>
    /// <returns>The running session.</returns>
    /// <exception cref="ArgumentException">The URL is not a Daily room URL the configured endpoints allow.</exception>
    /// <exception cref="CviConnectionException">
    /// Joining failed; <see cref="CviConnectionException.Failure"/> tells why (room not found, not admitted, network,
    /// unsupported peer-to-peer room).
    /// </exception>
    public static async Task<CviSession> JoinAsync(
        string conversationUrl,
        string conversationId,
        CviSessionOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(conversationUrl);
        ArgumentException.ThrowIfNullOrWhiteSpace(conversationId);
        options ??= new CviSessionOptions();
        var transport = new DailyTransport(conversationUrl, options.Daily, options.LoggerFactory, options.TimeProvider);
        CviSession session;
        try
        {
            session = new CviSession(transport, conversationId, options);
        }
        catch
        {
            // The session never took the transport: dispose it here.
            await transport.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        try
        {
            await session.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await session.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return session;
    }
}
