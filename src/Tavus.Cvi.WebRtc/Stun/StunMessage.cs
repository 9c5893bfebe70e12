using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace Tavus.Cvi.WebRtc.Stun;

/// <summary>
/// A parsed STUN message (RFC 8489). Parsing never throws: hostile or truncated input yields <c>false</c> from
/// <see cref="TryParse"/>. The raw bytes are kept so MESSAGE-INTEGRITY can be verified afterwards with the key that
/// the USERNAME selects.
/// </summary>
internal sealed class StunMessage
{
    /// <summary>The magic cookie of RFC 8489 §5, which also tells STUN from classic RFC 3489 messages.</summary>
    public const uint MagicCookie = 0x2112A442;

    /// <summary>The value FINGERPRINT's CRC-32 is XOR-ed with (RFC 8489 §14.7).</summary>
    public const uint FingerprintXor = 0x5354554E;

    public const int HeaderLength = 20;

    private readonly byte[] _raw;
    private readonly int _integrityOffset;

    private StunMessage(byte[] raw, StunMessageType type, byte[] transactionId, List<KeyValuePair<ushort, byte[]>> attributes, int integrityOffset, bool hasFingerprint)
    {
        _raw = raw;
        Type = type;
        TransactionId = transactionId;
        Attributes = attributes;
        _integrityOffset = integrityOffset;
        HasFingerprint = hasFingerprint;
    }

    public StunMessageType Type { get; }

    /// <summary>The 96-bit transaction id.</summary>
    public byte[] TransactionId { get; }

    /// <summary>Attributes in wire order, before MESSAGE-INTEGRITY (later ones are ignored as RFC 8489 §14.5 says).</summary>
    public IReadOnlyList<KeyValuePair<ushort, byte[]>> Attributes { get; }

    public bool HasMessageIntegrity => _integrityOffset >= 0;

    /// <summary>Whether a FINGERPRINT attribute was present (it was verified during parsing).</summary>
    public bool HasFingerprint { get; }

    public string? Username => Find(StunAttributeType.Username) is { } v ? Encoding.UTF8.GetString(v) : null;

    public uint? Priority => Find(StunAttributeType.Priority) is { Length: 4 } v ? BinaryPrimitives.ReadUInt32BigEndian(v) : null;

    public bool UseCandidate => Find(StunAttributeType.UseCandidate) is not null;

    public ulong? IceControlling => Find(StunAttributeType.IceControlling) is { Length: 8 } v ? BinaryPrimitives.ReadUInt64BigEndian(v) : null;

    public ulong? IceControlled => Find(StunAttributeType.IceControlled) is { Length: 8 } v ? BinaryPrimitives.ReadUInt64BigEndian(v) : null;

    /// <summary>The ERROR-CODE number (class × 100 + number), or <c>null</c>.</summary>
    public int? ErrorCode => Find(StunAttributeType.ErrorCode) is { Length: >= 4 } v ? ((v[2] & 0x7) * 100) + v[3] : null;

    /// <summary>The XOR-MAPPED-ADDRESS (or, from old servers, MAPPED-ADDRESS), or <c>null</c>.</summary>
    public IPEndPoint? MappedAddress
    {
        get
        {
            if (Find(StunAttributeType.XorMappedAddress) is { } x)
            {
                return DecodeAddress(x, xor: true, TransactionId);
            }

            return Find(StunAttributeType.MappedAddress) is { } m ? DecodeAddress(m, xor: false, TransactionId) : null;
        }
    }

    /// <summary>Whether <paramref name="data"/> looks like STUN: RFC 7983 first byte 0-3 plus the magic cookie.</summary>
    public static bool IsStun(ReadOnlySpan<byte> data) =>
        data.Length >= HeaderLength && data[0] < 4 && BinaryPrimitives.ReadUInt32BigEndian(data[4..]) == MagicCookie;

    /// <summary>The first value of an attribute, or <c>null</c>.</summary>
    public byte[]? Find(ushort type)
    {
        foreach (var a in Attributes)
        {
            if (a.Key == type)
            {
                return a.Value;
            }
        }

        return null;
    }

    /// <summary>Parses a STUN message; checks the header, attribute framing and FINGERPRINT when present.</summary>
    public static bool TryParse(ReadOnlySpan<byte> data, out StunMessage? message)
    {
        message = null;
        if (!IsStun(data))
        {
            return false;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
        if ((length & 3) != 0 || HeaderLength + length != data.Length)
        {
            return false;
        }

        var type = (StunMessageType)BinaryPrimitives.ReadUInt16BigEndian(data);
        byte[] transactionId = data.Slice(8, 12).ToArray();
        var attributes = new List<KeyValuePair<ushort, byte[]>>();
        int integrityOffset = -1;
        bool hasFingerprint = false;
        int offset = HeaderLength;
        while (offset < data.Length)
        {
            if (data.Length - offset < 4)
            {
                return false;
            }

            ushort attrType = BinaryPrimitives.ReadUInt16BigEndian(data[offset..]);
            int attrLength = BinaryPrimitives.ReadUInt16BigEndian(data[(offset + 2)..]);
            int padded = (attrLength + 3) & ~3;
            if (data.Length - offset - 4 < padded)
            {
                return false;
            }

            if (attrType == StunAttributeType.Fingerprint)
            {
                // RFC 8489 §14.7: FINGERPRINT is last; CRC over everything before it, length field already covering it.
                if (attrLength != 4 || offset + 8 != data.Length)
                {
                    return false;
                }

                uint expected = Crc32.Compute(data[..offset]) ^ FingerprintXor;
                if (BinaryPrimitives.ReadUInt32BigEndian(data[(offset + 4)..]) != expected)
                {
                    return false;
                }

                hasFingerprint = true;
            }
            else if (integrityOffset < 0)
            {
                if (attrType == StunAttributeType.MessageIntegrity)
                {
                    if (attrLength != 20)
                    {
                        return false;
                    }

                    integrityOffset = offset;
                }
                else
                {
                    attributes.Add(new(attrType, data.Slice(offset + 4, attrLength).ToArray()));
                }
            }

            offset += 4 + padded;
        }

        message = new StunMessage(data.ToArray(), type, transactionId, attributes, integrityOffset, hasFingerprint);
        return true;
    }

    /// <summary>Verifies MESSAGE-INTEGRITY (HMAC-SHA1, RFC 8489 §14.5) with the short-term key (the ICE password).</summary>
    public bool VerifyIntegrity(ReadOnlySpan<byte> key)
    {
        if (_integrityOffset < 0)
        {
            return false;
        }

        // The HMAC covers the message up to MESSAGE-INTEGRITY, with the header length pretending MI is the last attribute.
        byte[] covered = _raw.AsSpan(0, _integrityOffset).ToArray();
        BinaryPrimitives.WriteUInt16BigEndian(covered.AsSpan(2), (ushort)(_integrityOffset + 24 - HeaderLength));
        Span<byte> mac = stackalloc byte[20];
        #pragma warning disable CA5350 // RFC 8489 §14.5 mandates HMAC-SHA1 for MESSAGE-INTEGRITY.
        HMACSHA1.HashData(key, covered, mac);
        #pragma warning restore CA5350
        return CryptographicOperations.FixedTimeEquals(mac, _raw.AsSpan(_integrityOffset + 4, 20));
    }

    internal static IPEndPoint? DecodeAddress(ReadOnlySpan<byte> value, bool xor, ReadOnlySpan<byte> transactionId)
    {
        if (value.Length < 8)
        {
            return null;
        }

        int family = value[1];
        int port = BinaryPrimitives.ReadUInt16BigEndian(value[2..]);
        int addressLength = family == 1 ? 4 : family == 2 ? 16 : 0;
        if (addressLength == 0 || value.Length < 4 + addressLength)
        {
            return null;
        }

        Span<byte> address = stackalloc byte[addressLength];
        value.Slice(4, addressLength).CopyTo(address);
        if (xor)
        {
            port ^= (int)(MagicCookie >> 16);
            Span<byte> mask = stackalloc byte[16];
            BinaryPrimitives.WriteUInt32BigEndian(mask, MagicCookie);
            transactionId.CopyTo(mask[4..]);
            for (int i = 0; i < addressLength; i++)
            {
                address[i] ^= mask[i];
            }
        }

        return new IPEndPoint(new IPAddress(address), port);
    }

    internal static byte[] EncodeXorAddress(IPEndPoint endPoint, ReadOnlySpan<byte> transactionId)
    {
        var address = endPoint.Address.IsIPv4MappedToIPv6 ? endPoint.Address.MapToIPv4() : endPoint.Address;
        byte[] bytes = address.GetAddressBytes();
        var value = new byte[4 + bytes.Length];
        value[1] = (byte)(address.AddressFamily == AddressFamily.InterNetwork ? 1 : 2);
        BinaryPrimitives.WriteUInt16BigEndian(value.AsSpan(2), (ushort)(endPoint.Port ^ (int)(MagicCookie >> 16)));
        Span<byte> mask = stackalloc byte[16];
        BinaryPrimitives.WriteUInt32BigEndian(mask, MagicCookie);
        transactionId.CopyTo(mask[4..]);
        for (int i = 0; i < bytes.Length; i++)
        {
            value[4 + i] = (byte)(bytes[i] ^ mask[i]);
        }

        return value;
    }
}
