namespace Tavus.Cvi.Emulator.Daily;

/// <summary>
/// One server → client signaling frame, serialized once and shared by every recipient.
/// </summary>
/// <param name="Utf8">The frame's JSON text.</param>
/// <param name="Batchable">Whether it may ride in a <c>sig-batch</c> (soup replies never do, daily-protocol.md §4.2).</param>
/// <param name="AppMessage">Set when the frame carries an app message, for participants that are not sockets.</param>
/// <param name="EnqueuedAt">When it was queued, for the frame-delay fault.</param>
internal sealed record OutboundFrame(byte[] Utf8, bool Batchable, RelayedAppMessage? AppMessage, long EnqueuedAt)
{
    /// <summary>Sent as a binary WebSocket frame (only the malformed-frame fault does this).</summary>
    public bool IsBinary { get; init; }
}

/// <summary>An app message as the room relays it.</summary>
/// <param name="From">The sender's session id.</param>
/// <param name="Tag">The <c>sig-msg</c> tag (<c>x-egassem</c> for app messages).</param>
/// <param name="Payload">The <c>msgData</c> JSON text.</param>
internal sealed record RelayedAppMessage(string From, string Tag, byte[] Payload);
