using System.Text;

namespace Tavus.Cvi.WebRtc.Peer;

/// <summary>One message received on a data channel: text (PPID 51/56) or binary (PPID 53/57).</summary>
public sealed class RtcDataChannelMessage
{
    private string? _text;

    internal RtcDataChannelMessage(bool isText, ReadOnlyMemory<byte> data)
    {
        IsText = isText;
        Data = data;
    }

    /// <summary>Whether the sender sent a string.</summary>
    public bool IsText { get; }

    /// <summary>The raw bytes (UTF-8 for text).</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>The text of a string message; <c>null</c> for binary ones.</summary>
    public string? Text => IsText ? _text ??= Encoding.UTF8.GetString(Data.Span) : null;

    /// <inheritdoc />
    public override string ToString() => IsText ? $"text({Data.Length} bytes)" : $"binary({Data.Length} bytes)";
}
