namespace Tavus.Cvi.WebRtc.Sdp;

/// <summary>One <c>m=</c> section as parsed; only the data-channel one is used, others are answered as rejected.</summary>
internal sealed class SdpMediaSection
{
    public required string Kind { get; init; }

    public required int Port { get; init; }

    public required string Protocol { get; init; }

    public required string Formats { get; init; }

    public string? Mid { get; set; }

    /// <summary>Attribute lines of the section, without the <c>a=</c> prefix.</summary>
    public List<string> Attributes { get; } = [];

    /// <summary>RFC 8841 §5.1: <c>m=application ... UDP/DTLS/SCTP webrtc-datachannel</c> (TCP/DTLS/SCTP also named).</summary>
    public bool IsDataChannel =>
        Kind == "application" && Protocol.EndsWith("DTLS/SCTP", StringComparison.OrdinalIgnoreCase)
        && Formats.Contains("webrtc-datachannel", StringComparison.Ordinal);

    public string? Attribute(string name)
    {
        string prefix = name + ":";
        foreach (var a in Attributes)
        {
            if (a.StartsWith(prefix, StringComparison.Ordinal))
            {
                return a[prefix.Length..].Trim();
            }

            if (a == name)
            {
                return string.Empty;
            }
        }

        return null;
    }
}
