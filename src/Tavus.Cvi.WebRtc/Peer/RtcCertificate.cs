using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;

namespace Tavus.Cvi.WebRtc.Peer;

/// <summary>
/// The self-signed ECDSA P-256 certificate a peer presents in the DTLS handshake; the remote side pins it by the
/// SHA-256 fingerprint carried in the SDP (RFC 8122, RFC 8827 §6.5). One may be shared by several connections.
/// </summary>
public sealed class RtcCertificate
{
    private RtcCertificate(X509Certificate certificate, AsymmetricKeyParameter privateKey)
    {
        Certificate = certificate;
        PrivateKey = privateKey;
        DerEncoded = certificate.GetEncoded();
        Fingerprint = ComputeFingerprint(DerEncoded);
    }

    /// <summary>The SHA-256 fingerprint as the SDP carries it: uppercase hex pairs joined by <c>:</c>.</summary>
    public string Fingerprint { get; }

    /// <summary>When the certificate stops being valid.</summary>
    public DateTimeOffset NotAfter => new(Certificate.NotAfter, TimeSpan.Zero);

    internal X509Certificate Certificate { get; }

    internal AsymmetricKeyParameter PrivateKey { get; }

    internal byte[] DerEncoded { get; }

    /// <summary>Generates a new key pair and a self-signed certificate valid for 30 days.</summary>
    /// <param name="timeProvider">Clock for the validity period; the system clock by default.</param>
    public static RtcCertificate Generate(TimeProvider? timeProvider = null)
    {
        var random = new SecureRandom();
        var generator = new ECKeyPairGenerator();
        // The named-curve OID (not explicit parameters): some stacks reject certificates with explicit curves.
        generator.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, random));
        var keyPair = generator.GenerateKeyPair();
        var now = (timeProvider ?? TimeProvider.System).GetUtcNow().UtcDateTime;
        var builder = new X509V3CertificateGenerator();
        builder.SetSerialNumber(new BigInteger(64, random).Add(BigInteger.One));
        var name = new X509Name("CN=Tavus.Cvi.WebRtc");
        builder.SetIssuerDN(name);
        builder.SetSubjectDN(name);
        builder.SetNotBefore(now.AddDays(-1));
        builder.SetNotAfter(now.AddDays(30));
        builder.SetPublicKey(keyPair.Public);
        var certificate = builder.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", keyPair.Private, random));
        return new RtcCertificate(certificate, keyPair.Private);
    }

    /// <summary>SHA-256 of a DER certificate as uppercase hex pairs joined by <c>:</c> (RFC 8122 §5).</summary>
    internal static string ComputeFingerprint(ReadOnlySpan<byte> der)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(der, hash);
        return string.Join(':', Convert.ToHexString(hash).Chunk(2).Select(c => new string(c)));
    }
}
