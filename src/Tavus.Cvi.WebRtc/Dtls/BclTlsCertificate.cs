using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Tavus.Cvi.WebRtc.Dtls;

/// <summary>
/// The peer's certificate as BouncyCastle parses it, whose ECDSA verifier runs on <see cref="ECDsa"/> when the key is
/// on a NIST curve; any other key keeps BouncyCastle's verifier.
/// </summary>
internal sealed class BclTlsCertificate(BcTlsCrypto crypto, byte[] encoding) : BcTlsCertificate(crypto, encoding)
{
    public override TlsVerifier CreateVerifier(short signatureAlgorithm)
    {
        if (signatureAlgorithm == SignatureAlgorithm.ecdsa)
        {
            // The check BouncyCastle's own verifier makes first (RFC 5280 §4.2.1.3: the key may sign).
            ValidateKeyUsage(Org.BouncyCastle.Asn1.X509.KeyUsage.DigitalSignature);
            if (TryImportECDsa() is { } key)
            {
                return new BclEcdsaVerifier(key);
            }
        }

        return base.CreateVerifier(signatureAlgorithm);
    }

    private ECDsa? TryImportECDsa()
    {
        var info = SubjectPublicKeyInfo;
        if (!X9ObjectIdentifiers.IdECPublicKey.Equals(info.Algorithm.Algorithm) ||
            info.Algorithm.Parameters is not Org.BouncyCastle.Asn1.DerObjectIdentifier curveOid ||
            !IsNistCurve(curveOid))
        {
            return null;
        }

        var key = ECDsa.Create();
        try
        {
            key.ImportSubjectPublicKeyInfo(info.GetEncoded(), out _);
            return key;
        }
        catch (CryptographicException)
        {
            key.Dispose();
            return null;
        }
    }

    private static bool IsNistCurve(Org.BouncyCastle.Asn1.DerObjectIdentifier oid) =>
        oid.Equals(Org.BouncyCastle.Asn1.Sec.SecObjectIdentifiers.SecP256r1) ||
        oid.Equals(Org.BouncyCastle.Asn1.Sec.SecObjectIdentifiers.SecP384r1) ||
        oid.Equals(Org.BouncyCastle.Asn1.Sec.SecObjectIdentifiers.SecP521r1);
}
