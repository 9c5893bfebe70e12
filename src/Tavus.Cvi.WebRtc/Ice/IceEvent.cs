using System.Net;

namespace Tavus.Cvi.WebRtc.Ice;

/// <summary>Something an <see cref="IceAgent"/> reports to its owner.</summary>
internal abstract record IceEvent
{
    /// <summary>The connection state changed.</summary>
    public sealed record StateChanged(IceConnectionState State) : IceEvent;

    /// <summary>
    /// The first pair became valid (our check on it succeeded, RFC 8445 §7.2.5.3.2), before any nomination: a DTLS
    /// client may start its handshake towards <paramref name="Remote"/> now, as libwebrtc and libjuice do.
    /// </summary>
    public sealed record FirstPairValid(IPEndPoint Remote) : IceEvent;

    /// <summary>A pair was selected (nominated and valid); application data goes to <paramref name="Remote"/> now.</summary>
    public sealed record SelectedPairChanged(IPEndPoint Remote) : IceEvent;

    /// <summary>A local candidate was gathered (server-reflexive; host candidates are supplied by the owner).</summary>
    public sealed record CandidateGathered(IceCandidate Candidate) : IceEvent;

    /// <summary>Gathering finished (every STUN server answered or timed out).</summary>
    public sealed record GatheringComplete : IceEvent;
}
