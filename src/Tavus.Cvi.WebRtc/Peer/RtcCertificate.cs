using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Tavus.Cvi.WebRtc.Peer;

/// <summary>
/// The self-signed ECDSA P-256 certificate a peer presents in the DTLS handshake; the remote side pins it by the
/// SHA-256 fingerprint carried in the SDP (RFC 8122, RFC 8827 §6.5). One may be shared by several connections.
/// </summary>
public sealed class RtcCertificate
{
    private RtcCertificate(ECDsa signingKey, X509Certificate certificate)
    {
        SigningKey = signingKey;
        DerEncoded = certificate.GetEncoded();
        NotAfter = new DateTimeOffset(certificate.NotAfter, TimeSpan.Zero);
        Fingerprint = ComputeFingerprint(DerEncoded);
    }

    /// <summary>The SHA-256 fingerprint as the SDP carries it: uppercase hex pairs joined by <c>:</c>.</summary>
    public string Fingerprint { get; }

    /// <summary>When the certificate stops being valid.</summary>
    public DateTimeOffset NotAfter { get; }

    /// <summary>The private key on the BCL, which signs our handshake messages (<c>Dtls/BclEcdsaSigner</c>).</summary>
    internal ECDsa SigningKey { get; }

    internal byte[] DerEncoded { get; }

    /// <summary>Generates a new key pair and a self-signed certificate valid for 30 days.</summary>
    /// <param name="timeProvider">Clock for the validity period; the system clock by default.</param>
    public static RtcCertificate Generate(TimeProvider? timeProvider = null)
    {
        // The key lives on the BCL, where signing is several times faster than BouncyCastle's; the certificate is
        // built by BouncyCastle, which measured faster than CertificateRequest.CreateSelfSigned (no X509Certificate2
        // to load). The private scalar crosses over once, for this one self-signature.
        var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var exported = key.ExportParameters(includePrivateParameters: true);
        var privateKey = new ECPrivateKeyParameters("EC", new BigInteger(1, exported.D), SecObjectIdentifiers.SecP256r1);
        CryptographicOperations.ZeroMemory(exported.D);
        var publicKey = new ECPublicKeyParameters("EC", privateKey.Parameters.Curve.CreatePoint(
            new BigInteger(1, exported.Q.X), new BigInteger(1, exported.Q.Y)), SecObjectIdentifiers.SecP256r1);

        var random = new SecureRandom();
        var now = (timeProvider ?? TimeProvider.System).GetUtcNow().UtcDateTime;
        var builder = new X509V3CertificateGenerator();
        builder.SetSerialNumber(new BigInteger(64, random).Add(BigInteger.One));
        var name = new X509Name("CN=Tavus.Cvi.WebRtc");
        builder.SetIssuerDN(name);
        builder.SetSubjectDN(name);
        builder.SetNotBefore(now.AddDays(-1));
        builder.SetNotAfter(now.AddDays(30));
        // The named-curve OID (not explicit parameters): some stacks reject certificates with explicit curves.
        builder.SetPublicKey(publicKey);
        return new RtcCertificate(key, builder.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", privateKey, random)));
    }

    /// <summary>SHA-256 of a DER certificate as uppercase hex pairs joined by <c>:</c> (RFC 8122 §5).</summary>
    internal static string ComputeFingerprint(ReadOnlySpan<byte> der)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(der, hash);
        return string.Join(':', Convert.ToHexString(hash).Chunk(2).Select(c => new string(c)));
    }
}
