namespace Tavus.Cvi.WebRtc.Sdp;

/// <summary>The <c>a=setup</c> values of RFC 4145 §4 as used for DTLS by RFC 8842.</summary>
internal enum SdpSetupRole
{
    /// <summary>The offerer lets the answerer choose (RFC 8842 §5.2: offers carry actpass).</summary>
    ActPass,

    /// <summary>This side is the DTLS client.</summary>
    Active,

    /// <summary>This side is the DTLS server.</summary>
    Passive,
}
