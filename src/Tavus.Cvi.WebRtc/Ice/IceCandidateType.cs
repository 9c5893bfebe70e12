namespace Tavus.Cvi.WebRtc.Ice;

/// <summary>ICE candidate types (RFC 8445 §5.1.1) with their recommended type preferences.</summary>
internal enum IceCandidateType
{
    /// <summary>An address of a local interface.</summary>
    Host = 126,

    /// <summary>Learned from a connectivity check's source or mapped address.</summary>
    PeerReflexive = 110,

    /// <summary>The address a STUN server saw.</summary>
    ServerReflexive = 100,

    /// <summary>An address on a TURN relay (parsed, never used: this agent has no TURN client).</summary>
    Relayed = 0,
}
