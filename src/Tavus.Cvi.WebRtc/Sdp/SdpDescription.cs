using System.Globalization;
using System.Text;
using Tavus.Cvi.WebRtc.Ice;

namespace Tavus.Cvi.WebRtc.Sdp;

/// <summary>
/// The parts of an SDP offer or answer a data-channel peer needs (RFC 8841, RFC 8839, RFC 8842, RFC 8122): ICE
/// credentials and candidates, the DTLS fingerprint and setup role, the SCTP port and maximum message size. Parsing is
/// tolerant: audio/video sections and unknown attributes are kept only to be answered as rejected.
/// </summary>
internal sealed class SdpDescription
{
    public string SessionId { get; init; } = "0";

    public string? IceUfrag { get; set; }

    public string? IcePassword { get; set; }

    /// <summary>The hash function name of <c>a=fingerprint</c>, lower case (<c>sha-256</c>).</summary>
    public string? FingerprintAlgorithm { get; set; }

    public string? Fingerprint { get; set; }

    public SdpSetupRole? Setup { get; set; }

    public string? Mid { get; set; }

    public int SctpPort { get; set; } = 5000;

    /// <summary><c>a=max-message-size</c>; 0 means unlimited (RFC 8841 §6.1), absent means 64 KiB.</summary>
    public long? MaxMessageSize { get; set; }

    public List<IceCandidate> Candidates { get; } = [];

    public bool EndOfCandidates { get; set; }

    public bool IceLite { get; set; }

    /// <summary>All media sections in order (the writer emits the data-channel one plus any to reject).</summary>
    public List<SdpMediaSection> Media { get; } = [];

    /// <summary>Parses an SDP blob; throws <see cref="FormatException"/> when it has no usable data-channel section.</summary>
    public static SdpDescription Parse(string sdp)
    {
        ArgumentNullException.ThrowIfNull(sdp);
        var result = new SdpDescription();
        var session = new List<string>();
        SdpMediaSection? current = null;
        string? sessionId = null;
        foreach (var rawLine in sdp.Split('\n'))
        {
            string line = rawLine.TrimEnd('\r');
            if (line.Length < 2 || line[1] != '=')
            {
                continue;
            }

            string value = line[2..];
            switch (line[0])
            {
                case 'o':
                    string[] o = value.Split(' ');
                    sessionId = o.Length > 1 ? o[1] : null;
                    break;
                case 'm':
                    string[] m = value.Split(' ', 4, StringSplitOptions.RemoveEmptyEntries);
                    current = new SdpMediaSection
                    {
                        Kind = m.Length > 0 ? m[0] : string.Empty,
                        Port = m.Length > 1 && int.TryParse(m[1].Split('/')[0], NumberStyles.None, CultureInfo.InvariantCulture, out int port) ? port : 0,
                        Protocol = m.Length > 2 ? m[2] : string.Empty,
                        Formats = m.Length > 3 ? m[3] : string.Empty,
                    };
                    result.Media.Add(current);
                    break;
                case 'a':
                    (current?.Attributes ?? session).Add(value);
                    if (current is not null && value.StartsWith("mid:", StringComparison.Ordinal))
                    {
                        current.Mid = value[4..].Trim();
                    }

                    break;
                default:
                    break;
            }
        }

        var data = result.Media.Find(s => s.IsDataChannel && s.Port != 0)
            ?? throw new FormatException("The description has no m=application UDP/DTLS/SCTP webrtc-datachannel section.");
        var desc = new SdpDescription { SessionId = sessionId ?? "0" };
        desc.Media.AddRange(result.Media);
        desc.Mid = data.Mid;
        desc.IceLite = session.Contains("ice-lite");

        // Media-level attributes win over session-level ones (RFC 8839 §5.4, RFC 8122 §5).
        string? Attr(string name) => data.Attribute(name) ?? FindIn(session, name);
        desc.IceUfrag = Attr("ice-ufrag");
        desc.IcePassword = Attr("ice-pwd");
        if (Attr("fingerprint") is { } fp)
        {
            string[] parts = fp.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2)
            {
                desc.FingerprintAlgorithm = parts[0].ToLowerInvariant();
                desc.Fingerprint = parts[1].Trim().ToUpperInvariant();
            }
        }

        desc.Setup = Attr("setup") switch
        {
            "actpass" => SdpSetupRole.ActPass,
            "active" => SdpSetupRole.Active,
            "passive" => SdpSetupRole.Passive,
            _ => null,
        };
        if (Attr("sctp-port") is { } sp && int.TryParse(sp, NumberStyles.None, CultureInfo.InvariantCulture, out int sctpPort))
        {
            desc.SctpPort = sctpPort;
        }

        if (Attr("max-message-size") is { } mms && long.TryParse(mms, NumberStyles.None, CultureInfo.InvariantCulture, out long max))
        {
            desc.MaxMessageSize = max;
        }

        foreach (var a in data.Attributes.Concat(session))
        {
            if (a.StartsWith("candidate:", StringComparison.Ordinal) && IceCandidate.TryParse(a, out var candidate))
            {
                desc.Candidates.Add(candidate!);
            }
            else if (a == "end-of-candidates")
            {
                desc.EndOfCandidates = true;
            }
        }

        return desc;
    }

    /// <summary>
    /// Writes an offer or answer. For an answer, <paramref name="offer"/> lists the offered sections: each one that is
    /// not the data channel is rejected with port 0 (RFC 8843 §7.3.3, RFC 3264 §6) and left out of the BUNDLE group.
    /// </summary>
    public string Write(SdpDescription? offer = null)
    {
        var sb = new StringBuilder();
        sb.Append("v=0\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"o=- {SessionId} 2 IN IP4 127.0.0.1\r\n");
        sb.Append("s=-\r\nt=0 0\r\n");
        string mid = Mid ?? "0";
        sb.Append(CultureInfo.InvariantCulture, $"a=group:BUNDLE {mid}\r\n");
        sb.Append("a=msid-semantic: WMS\r\n");
        IEnumerable<SdpMediaSection> sections = offer?.Media ?? [];
        bool wroteData = false;
        foreach (var section in sections)
        {
            if (!wroteData && section.IsDataChannel && section.Port != 0 && section.Mid == offer!.Mid)
            {
                WriteDataSection(sb, mid);
                wroteData = true;
            }
            else
            {
                sb.Append(CultureInfo.InvariantCulture, $"m={section.Kind} 0 {section.Protocol} {section.Formats}\r\n");
                sb.Append("c=IN IP4 0.0.0.0\r\n");
                if (section.Mid is not null)
                {
                    sb.Append(CultureInfo.InvariantCulture, $"a=mid:{section.Mid}\r\n");
                }

                if (section.Kind is "audio" or "video")
                {
                    sb.Append("a=inactive\r\n");
                }
            }
        }

        if (!wroteData)
        {
            WriteDataSection(sb, mid);
        }

        return sb.ToString();
    }

    private void WriteDataSection(StringBuilder sb, string mid)
    {
        sb.Append("m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\n");
        sb.Append("c=IN IP4 0.0.0.0\r\n");
        foreach (var c in Candidates)
        {
            sb.Append("a=").Append(c.ToSdpAttribute()).Append("\r\n");
        }

        if (EndOfCandidates)
        {
            sb.Append("a=end-of-candidates\r\n");
        }

        sb.Append(CultureInfo.InvariantCulture, $"a=ice-ufrag:{IceUfrag}\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"a=ice-pwd:{IcePassword}\r\n");
        sb.Append("a=ice-options:trickle\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"a=fingerprint:{FingerprintAlgorithm ?? "sha-256"} {Fingerprint}\r\n");
        string setup = Setup switch
        {
            SdpSetupRole.Active => "active",
            SdpSetupRole.Passive => "passive",
            _ => "actpass",
        };
        sb.Append(CultureInfo.InvariantCulture, $"a=setup:{setup}\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"a=mid:{mid}\r\n");
        sb.Append(CultureInfo.InvariantCulture, $"a=sctp-port:{SctpPort}\r\n");
        if (MaxMessageSize is { } max)
        {
            sb.Append(CultureInfo.InvariantCulture, $"a=max-message-size:{max}\r\n");
        }
    }

    private static string? FindIn(List<string> attributes, string name)
    {
        string prefix = name + ":";
        foreach (var a in attributes)
        {
            if (a.StartsWith(prefix, StringComparison.Ordinal))
            {
                return a[prefix.Length..].Trim();
            }
        }

        return null;
    }
}
