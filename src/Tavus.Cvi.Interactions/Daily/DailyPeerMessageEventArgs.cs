namespace Tavus.Cvi.Interactions.Daily;

/// <summary>The arguments of <see cref="IDailyPeerConnection.MessageReceived"/>: one message of the app-message channel.</summary>
public sealed class DailyPeerMessageEventArgs : EventArgs
{
    /// <summary>Creates the arguments.</summary>
    /// <param name="utf8Text">The message's text as UTF-8 bytes; the handler copies what it keeps.</param>
    public DailyPeerMessageEventArgs(ReadOnlyMemory<byte> utf8Text)
    {
        Utf8Text = utf8Text;
    }

    /// <summary>The message's text as UTF-8 bytes (§7: the <c>JSON.stringify</c> of the app message), valid during the handler.</summary>
    public ReadOnlyMemory<byte> Utf8Text { get; }
}
