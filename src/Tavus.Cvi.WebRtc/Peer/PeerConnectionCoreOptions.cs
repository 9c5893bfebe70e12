using Microsoft.Extensions.Logging;
using Tavus.Cvi.WebRtc.Ice;

namespace Tavus.Cvi.WebRtc.Peer;

/// <summary>Settings of a <see cref="PeerConnectionCore"/>.</summary>
internal sealed class PeerConnectionCoreOptions
{
    public required RtcCertificate Certificate { get; init; }

    /// <summary>ICE settings; role and tie-breaker get fixed by the offer/answer exchange.</summary>
    public required IceAgentOptions Ice { get; init; }

    /// <summary>Test hook: the <c>a=setup</c> to write instead of actpass (offers) or active (answers).</summary>
    public Sdp.SdpSetupRole? ForcedSetup { get; init; }

    public int MaxMessageSize { get; init; } = 256 * 1024;

    /// <summary>Seeds SCTP's initial TSN and verification tag (tests pass a fixed one).</summary>
    public Random? Random { get; init; }

    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// Simulation hook: run the DTLS handshake in lockstep with the core (<see cref="Dtls.DtlsLockstep"/>), its
    /// retransmission timers becoming deadlines of <see cref="PeerConnectionCore.NextDeadline"/>. The UDP driver leaves
    /// it off: its DTLS thread then runs freely on the wall clock.
    /// </summary>
    public bool LockstepDtls { get; init; }

    /// <summary>Creates the API object for a channel the remote side opened.</summary>
    public Func<string, RtcDataChannelOptions, RtcDataChannel> ChannelFactory { get; init; } = static (_, _) => throw new InvalidOperationException("No channel factory.");

    /// <summary>Called from any thread (the DTLS one included) when the core has work: the driver then calls <see cref="PeerConnectionCore.Poll"/>.</summary>
    public Action Wake { get; init; } = static () => { };
}
