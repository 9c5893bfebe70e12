namespace Tavus.Cvi.WebRtc.Ice;

/// <summary>The ICE agent role (RFC 8445 §6.1.1): the offerer starts controlling, the answerer controlled.</summary>
internal enum IceRole
{
    Controlling,
    Controlled,
}
