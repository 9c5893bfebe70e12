using System.Text;

namespace Tavus.Cvi.WebRtc.DataChannels;

/// <summary>A message arrived on a channel.</summary>
/// <param name="ChannelId">Stream id of the channel.</param>
/// <param name="Data">The payload (empty for the empty-message PPIDs 56/57).</param>
/// <param name="IsText">True for a string message (PPID 51 or 56), false for binary (53 or 57).</param>
public sealed record DataChannelMessageReceived(ushort ChannelId, ReadOnlyMemory<byte> Data, bool IsText) : DataChannelEvent
{
    /// <summary>The payload decoded as UTF-8.</summary>
    public string Text => Encoding.UTF8.GetString(Data.Span);
}
