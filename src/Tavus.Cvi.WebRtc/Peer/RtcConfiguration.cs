using System.Net;
using Microsoft.Extensions.Logging;

namespace Tavus.Cvi.WebRtc.Peer;

/// <summary>Settings of an <see cref="RtcPeerConnection"/>.</summary>
public sealed class RtcConfiguration
{
    /// <summary>STUN servers for server-reflexive candidates; none by default (host candidates only).</summary>
    public IList<RtcIceServer> IceServers { get; init; } = [];

    /// <summary>The DTLS certificate; a new one is generated per connection when <c>null</c>.</summary>
    public RtcCertificate? Certificate { get; init; }

    /// <summary>The local address the UDP socket binds to; <see cref="IPAddress.Any"/> by default.</summary>
    public IPAddress BindAddress { get; init; } = IPAddress.Any;

    /// <summary>The local UDP port; 0 picks an ephemeral port.</summary>
    public int Port { get; init; }

    /// <summary>
    /// Whether 127.0.0.1 is advertised as a host candidate (true by default): Chromium never gathers loopback
    /// candidates but reaches a peer that advertises one, which makes same-host setups work without a network.
    /// </summary>
    public bool IncludeLoopbackCandidate { get; init; } = true;

    /// <summary>Whether addresses of the machine's interfaces are advertised when bound to the wildcard address.</summary>
    public bool IncludeInterfaceCandidates { get; init; } = true;

    /// <summary>The largest message this side accepts, announced as <c>a=max-message-size</c> (RFC 8841 §6).</summary>
    public int MaxMessageSize { get; init; } = 256 * 1024;

    /// <summary>How long gathering waits for STUN servers before the offer or answer is produced anyway.</summary>
    public TimeSpan GatheringTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// <see cref="RtcDataChannel.SendAsync(ReadOnlyMemory{byte}, CancellationToken)"/> waits while more than this many
    /// bytes are queued on the channel, so a fast sender cannot grow memory without bound.
    /// </summary>
    public long SendBufferHighWaterMark { get; init; } = 4 * 1024 * 1024;

    /// <summary>
    /// Test hook: the <c>a=setup</c> value to put in offers and answers instead of the RFC 8842 defaults (actpass in
    /// offers, active in answers), to exercise every DTLS role against other stacks.
    /// </summary>
    internal Sdp.SdpSetupRole? ForcedSetup { get; init; }

    /// <summary>Logging; nothing is logged by default.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>The clock for protocol timers; the system clock by default.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
