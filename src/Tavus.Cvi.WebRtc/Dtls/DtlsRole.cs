namespace Tavus.Cvi.WebRtc.Dtls;

/// <summary>The DTLS role, decided by <c>a=setup</c> (RFC 8842 §5): active is the client, passive the server.</summary>
internal enum DtlsRole
{
    Client,
    Server,
}
