namespace Tavus.Cvi.WebRtc.Stun;

/// <summary>STUN message types (method and class folded as in RFC 8489 §5); ICE uses only Binding.</summary>
internal enum StunMessageType : ushort
{
    /// <summary>Binding request (connectivity check or server-reflexive query).</summary>
    BindingRequest = 0x0001,

    /// <summary>Binding indication (keep-alive without a response).</summary>
    BindingIndication = 0x0011,

    /// <summary>Binding success response.</summary>
    BindingSuccess = 0x0101,

    /// <summary>Binding error response.</summary>
    BindingError = 0x0111,
}
