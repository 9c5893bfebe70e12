using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Tavus.Cvi.WebRtc.Ice;

/// <summary>One ICE candidate of component 1 over UDP (RFC 8445 §5.1, SDP grammar of RFC 8839 §5.1).</summary>
internal sealed record IceCandidate(string Foundation, uint Priority, IPEndPoint EndPoint, IceCandidateType Type, IPEndPoint? RelatedAddress = null)
{
    /// <summary>RFC 8445 §5.1.2.1: priority = 2^24 type preference + 2^8 local preference + (256 - component).</summary>
    public static uint ComputePriority(IceCandidateType type, int localPreference) =>
        ((uint)type << 24) + ((uint)(localPreference & 0xFFFF) << 8) + (256 - 1);

    /// <summary>The <c>candidate:</c> attribute value (without <c>a=</c>).</summary>
    public string ToSdpAttribute()
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"candidate:{Foundation} 1 udp {Priority} {EndPoint.Address} {EndPoint.Port} typ {TypeName(Type)}");
        if (RelatedAddress is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $" raddr {RelatedAddress.Address} rport {RelatedAddress.Port}");
        }

        return sb.ToString();
    }

    /// <summary>
    /// Parses <c>candidate:...</c> (with or without <c>a=</c>). Returns <c>false</c> for TCP candidates, other components,
    /// and addresses this agent cannot use such as mDNS <c>.local</c> names (RFC 8839 §5.1: ignore what is not understood).
    /// </summary>
    public static bool TryParse(string text, out IceCandidate? candidate)
    {
        candidate = null;
        string s = text.Trim();
        if (s.StartsWith("a=", StringComparison.Ordinal))
        {
            s = s[2..];
        }

        if (!s.StartsWith("candidate:", StringComparison.Ordinal))
        {
            return false;
        }

        string[] parts = s["candidate:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 8 || parts[1] != "1" || !parts[2].Equals("udp", StringComparison.OrdinalIgnoreCase) || parts[6] != "typ")
        {
            return false;
        }

        if (!uint.TryParse(parts[3], NumberStyles.None, CultureInfo.InvariantCulture, out uint priority)
            || !IPAddress.TryParse(parts[4], out var address)
            || !int.TryParse(parts[5], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is <= 0 or > 65535)
        {
            return false;
        }

        if (address.AddressFamily is not (AddressFamily.InterNetwork or AddressFamily.InterNetworkV6))
        {
            return false;
        }

        IceCandidateType? type = parts[7] switch
        {
            "host" => IceCandidateType.Host,
            "srflx" => IceCandidateType.ServerReflexive,
            "prflx" => IceCandidateType.PeerReflexive,
            "relay" => IceCandidateType.Relayed,
            _ => null,
        };
        if (type is null)
        {
            return false;
        }

        IPEndPoint? related = null;
        for (int i = 8; i + 1 < parts.Length; i += 2)
        {
            if (parts[i] == "raddr" && IPAddress.TryParse(parts[i + 1], out var raddr))
            {
                related = new IPEndPoint(raddr, 0);
            }
            else if (parts[i] == "rport" && related is not null && int.TryParse(parts[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int rport) && rport <= 65535)
            {
                related.Port = rport;
            }
        }

        candidate = new IceCandidate(parts[0], priority, new IPEndPoint(address, port), type.Value, related);
        return true;
    }

    private static string TypeName(IceCandidateType type) => type switch
    {
        IceCandidateType.Host => "host",
        IceCandidateType.ServerReflexive => "srflx",
        IceCandidateType.PeerReflexive => "prflx",
        _ => "relay",
    };
}
