using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Tavus.Cvi.WebRtc.Sctp;

/// <summary>
/// The state cookie of INIT-ACK (RFC 9260 §5.1.3): everything needed to create the association when COOKIE-ECHO comes
/// back, so the INIT receiver keeps no state, protected by an HMAC-SHA-256 under a per-association secret and stamped
/// with its creation time for the lifetime check of §5.1.5.
/// </summary>
internal readonly record struct SctpStateCookie(
    uint LocalTag,
    uint PeerTag,
    uint LocalInitialTsn,
    uint PeerInitialTsn,
    uint PeerReceiveWindow,
    ushort OutboundStreams,
    ushort InboundStreams,
    bool PeerForwardTsn,
    bool PeerReconfig,
    TimeSpan CreatedAt)
{
    private const byte Version = 1;
    private const int BodySize = 1 + (5 * 4) + (2 * 2) + 1 + 8;
    private const int MacSize = 32;

    public const int Size = BodySize + MacSize;

    public byte[] Serialize(ReadOnlySpan<byte> key)
    {
        byte[] cookie = new byte[Size];
        Span<byte> s = cookie;
        s[0] = Version;
        BinaryPrimitives.WriteUInt32BigEndian(s[1..], LocalTag);
        BinaryPrimitives.WriteUInt32BigEndian(s[5..], PeerTag);
        BinaryPrimitives.WriteUInt32BigEndian(s[9..], LocalInitialTsn);
        BinaryPrimitives.WriteUInt32BigEndian(s[13..], PeerInitialTsn);
        BinaryPrimitives.WriteUInt32BigEndian(s[17..], PeerReceiveWindow);
        BinaryPrimitives.WriteUInt16BigEndian(s[21..], OutboundStreams);
        BinaryPrimitives.WriteUInt16BigEndian(s[23..], InboundStreams);
        s[25] = (byte)((PeerForwardTsn ? 1 : 0) | (PeerReconfig ? 2 : 0));
        BinaryPrimitives.WriteInt64BigEndian(s[26..], CreatedAt.Ticks);
        HMACSHA256.HashData(key, s[..BodySize], s[BodySize..]);
        return cookie;
    }

    /// <summary>Validates the MAC and the lifetime; never throws on hostile input. When <paramref name="stale"/> is set, <paramref name="result"/> holds the authentic but expired cookie.</summary>
    public static bool TryParse(ReadOnlySpan<byte> cookie, ReadOnlySpan<byte> key, TimeSpan now, TimeSpan lifetime, out SctpStateCookie result, out bool stale)
    {
        result = default;
        stale = false;
        if (cookie.Length != Size || cookie[0] != Version)
        {
            return false;
        }

        Span<byte> mac = stackalloc byte[MacSize];
        HMACSHA256.HashData(key, cookie[..BodySize], mac);
        if (!CryptographicOperations.FixedTimeEquals(mac, cookie[BodySize..]))
        {
            return false;
        }

        var createdAt = TimeSpan.FromTicks(BinaryPrimitives.ReadInt64BigEndian(cookie[26..]));
        result = new SctpStateCookie(
            BinaryPrimitives.ReadUInt32BigEndian(cookie[1..]),
            BinaryPrimitives.ReadUInt32BigEndian(cookie[5..]),
            BinaryPrimitives.ReadUInt32BigEndian(cookie[9..]),
            BinaryPrimitives.ReadUInt32BigEndian(cookie[13..]),
            BinaryPrimitives.ReadUInt32BigEndian(cookie[17..]),
            BinaryPrimitives.ReadUInt16BigEndian(cookie[21..]),
            BinaryPrimitives.ReadUInt16BigEndian(cookie[23..]),
            (cookie[25] & 1) != 0,
            (cookie[25] & 2) != 0,
            createdAt);

        // An authentic but expired cookie is returned too: its tags address the Stale Cookie error (RFC 9260 §5.2.6).
        stale = now - createdAt > lifetime;
        return !stale;
    }
}
