namespace Tavus.Cvi.WebRtc.Dtls;

/// <summary>Something a <see cref="DtlsEndpoint"/> reports.</summary>
internal abstract record DtlsEvent
{
    /// <summary>The handshake completed and the remote certificate matched the pinned fingerprint.</summary>
    public sealed record Connected(int MaxApplicationData) : DtlsEvent;

    /// <summary>A decrypted application-data record (one SCTP packet).</summary>
    public sealed record Data(byte[] Payload) : DtlsEvent;

    /// <summary>The handshake or the link failed (wrong fingerprint, alert, timeout).</summary>
    public sealed record Failed(string Reason) : DtlsEvent;

    /// <summary>The link closed (close_notify or local close).</summary>
    public sealed record Closed : DtlsEvent;
}
