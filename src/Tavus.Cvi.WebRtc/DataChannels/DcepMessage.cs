using System.Buffers.Binary;
using System.Text;

namespace Tavus.Cvi.WebRtc.DataChannels;

/// <summary>The Data Channel Establishment Protocol messages (RFC 8832 §5), parsed without throwing.</summary>
internal static class DcepMessage
{
    public const uint Ppid = 50;
    public const byte TypeAck = 0x02;
    public const byte TypeOpen = 0x03;

    private const byte ChannelReliable = 0x00;
    private const byte ChannelPartialRexmit = 0x01;
    private const byte ChannelPartialTimed = 0x02;
    private const byte UnorderedBit = 0x80;

    public static byte[] BuildAck() => [TypeAck];

    public static byte[] BuildOpen(string label, DataChannelOptions options)
    {
        byte[] labelBytes = Encoding.UTF8.GetBytes(label);
        byte[] protocolBytes = Encoding.UTF8.GetBytes(options.Protocol);
        byte type;
        uint reliability = 0;
        if (options.MaxRetransmits is { } rexmit)
        {
            type = ChannelPartialRexmit;
            reliability = (uint)Math.Max(0, rexmit);
        }
        else if (options.MaxPacketLifetime is { } lifetime)
        {
            type = ChannelPartialTimed;
            reliability = (uint)Math.Clamp(lifetime.TotalMilliseconds, 0, uint.MaxValue);
        }
        else
        {
            type = ChannelReliable;
        }

        if (!options.Ordered)
        {
            type |= UnorderedBit;
        }

        byte[] message = new byte[12 + labelBytes.Length + protocolBytes.Length];
        Span<byte> s = message;
        s[0] = TypeOpen;
        s[1] = type;
        BinaryPrimitives.WriteUInt16BigEndian(s[2..], options.Priority);
        BinaryPrimitives.WriteUInt32BigEndian(s[4..], reliability);
        BinaryPrimitives.WriteUInt16BigEndian(s[8..], (ushort)labelBytes.Length);
        BinaryPrimitives.WriteUInt16BigEndian(s[10..], (ushort)protocolBytes.Length);
        labelBytes.CopyTo(s[12..]);
        protocolBytes.CopyTo(s[(12 + labelBytes.Length)..]);
        return message;
    }

    /// <summary>Parses DATA_CHANNEL_OPEN into a label and channel options; false on any inconsistency.</summary>
    public static bool TryParseOpen(ReadOnlySpan<byte> message, out string label, out DataChannelOptions options)
    {
        label = "";
        options = DataChannelOptions.Default;
        if (message.Length < 12 || message[0] != TypeOpen)
        {
            return false;
        }

        byte type = message[1];
        ushort priority = BinaryPrimitives.ReadUInt16BigEndian(message[2..]);
        uint reliability = BinaryPrimitives.ReadUInt32BigEndian(message[4..]);
        int labelLength = BinaryPrimitives.ReadUInt16BigEndian(message[8..]);
        int protocolLength = BinaryPrimitives.ReadUInt16BigEndian(message[10..]);
        if (12 + labelLength + protocolLength > message.Length)
        {
            return false;
        }

        int? maxRetransmits = null;
        TimeSpan? lifetime = null;
        switch (type & ~UnorderedBit)
        {
            case ChannelReliable:
                break;
            case ChannelPartialRexmit:
                maxRetransmits = (int)Math.Min(reliability, int.MaxValue);
                break;
            case ChannelPartialTimed:
                lifetime = TimeSpan.FromMilliseconds(reliability);
                break;
            default:
                return false;
        }

        label = Encoding.UTF8.GetString(message.Slice(12, labelLength));
        options = new DataChannelOptions
        {
            Ordered = (type & UnorderedBit) == 0,
            MaxRetransmits = maxRetransmits,
            MaxPacketLifetime = lifetime,
            Priority = priority,
            Protocol = Encoding.UTF8.GetString(message.Slice(12 + labelLength, protocolLength)),
        };
        return true;
    }
}
