using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Tavus.Cvi.WebRtc.Stun;

/// <summary>Writes a STUN message: attributes in order, then optional MESSAGE-INTEGRITY and FINGERPRINT.</summary>
internal sealed class StunMessageBuilder
{
    private readonly List<byte> _body = new(128);
    private readonly StunMessageType _type;

    public StunMessageBuilder(StunMessageType type, ReadOnlySpan<byte> transactionId)
    {
        if (transactionId.Length != 12)
        {
            throw new ArgumentException("A STUN transaction id is 12 bytes.", nameof(transactionId));
        }

        _type = type;
        TransactionId = transactionId.ToArray();
    }

    public byte[] TransactionId { get; }

    /// <summary>A fresh random 96-bit transaction id (RFC 8489 §6: cryptographically random).</summary>
    public static byte[] NewTransactionId() => RandomNumberGenerator.GetBytes(12);

    public StunMessageBuilder Add(ushort type, ReadOnlySpan<byte> value)
    {
        Span<byte> header = stackalloc byte[4];
        BinaryPrimitives.WriteUInt16BigEndian(header, type);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)value.Length);
        foreach (byte b in header)
        {
            _body.Add(b);
        }

        foreach (byte b in value)
        {
            _body.Add(b);
        }

        for (int pad = value.Length; (pad & 3) != 0; pad++)
        {
            _body.Add(0);
        }

        return this;
    }

    public StunMessageBuilder AddUsername(string username) => Add(StunAttributeType.Username, Encoding.UTF8.GetBytes(username));

    public StunMessageBuilder AddSoftware(string software) => Add(StunAttributeType.Software, Encoding.UTF8.GetBytes(software));

    public StunMessageBuilder AddPriority(uint priority)
    {
        Span<byte> v = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(v, priority);
        return Add(StunAttributeType.Priority, v);
    }

    public StunMessageBuilder AddUseCandidate() => Add(StunAttributeType.UseCandidate, []);

    public StunMessageBuilder AddIceControlling(ulong tieBreaker) => AddUInt64(StunAttributeType.IceControlling, tieBreaker);

    public StunMessageBuilder AddIceControlled(ulong tieBreaker) => AddUInt64(StunAttributeType.IceControlled, tieBreaker);

    public StunMessageBuilder AddXorMappedAddress(IPEndPoint endPoint) =>
        Add(StunAttributeType.XorMappedAddress, StunMessage.EncodeXorAddress(endPoint, TransactionId));

    /// <summary>ERROR-CODE (RFC 8489 §14.8): class and number plus a UTF-8 reason phrase.</summary>
    public StunMessageBuilder AddErrorCode(int code, string reason)
    {
        byte[] text = Encoding.UTF8.GetBytes(reason);
        var v = new byte[4 + text.Length];
        v[2] = (byte)(code / 100);
        v[3] = (byte)(code % 100);
        text.CopyTo(v, 4);
        return Add(StunAttributeType.ErrorCode, v);
    }

    /// <summary>Serializes; <paramref name="integrityKey"/> adds MESSAGE-INTEGRITY, <paramref name="fingerprint"/> FINGERPRINT.</summary>
    public byte[] Build(ReadOnlySpan<byte> integrityKey, bool fingerprint = true)
    {
        bool withIntegrity = !integrityKey.IsEmpty;
        int length = _body.Count + (withIntegrity ? 24 : 0) + (fingerprint ? 8 : 0);
        var message = new byte[StunMessage.HeaderLength + length];
        BinaryPrimitives.WriteUInt16BigEndian(message, (ushort)_type);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(4), StunMessage.MagicCookie);
        TransactionId.CopyTo(message, 8);
        _body.CopyTo(message, StunMessage.HeaderLength);
        int offset = StunMessage.HeaderLength + _body.Count;
        if (withIntegrity)
        {
            // RFC 8489 §14.5: the length field counts up to and including MESSAGE-INTEGRITY while the HMAC is computed.
            BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), (ushort)(offset + 24 - StunMessage.HeaderLength));
            BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(offset), StunAttributeType.MessageIntegrity);
            BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(offset + 2), 20);
            #pragma warning disable CA5350 // RFC 8489 §14.5 mandates HMAC-SHA1 for MESSAGE-INTEGRITY.
            HMACSHA1.HashData(integrityKey, message.AsSpan(0, offset), message.AsSpan(offset + 4, 20));
            #pragma warning restore CA5350
            offset += 24;
        }

        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(2), (ushort)length);
        if (fingerprint)
        {
            BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(offset), StunAttributeType.Fingerprint);
            BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(offset + 2), 4);
            uint crc = Crc32.Compute(message.AsSpan(0, offset)) ^ StunMessage.FingerprintXor;
            BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(offset + 4), crc);
        }

        return message;
    }

    private StunMessageBuilder AddUInt64(ushort type, ulong value)
    {
        Span<byte> v = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(v, value);
        return Add(type, v);
    }
}
