using System.Security.Cryptography;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Tavus.Cvi.WebRtc.Dtls;

/// <summary>
/// BouncyCastle's TLS crypto with the primitives where the BCL (OpenSSL / CNG underneath) is faster moved onto it: ECDSA
/// verification of the peer's signatures (<see cref="ECDsa"/>) and the AES-GCM record protection
/// (<see cref="AesGcm"/>, hardware AES); our own signatures come from <see cref="BclEcdsaSigner"/>, wired by the
/// credentials. BouncyCastle's DTLS engine still runs the handshake and the record layer, and everything else stays
/// BouncyCastle's: hashes and PRF, ChaCha20-Poly1305, certificate parsing, and ECDHE, where OpenSSL 3's per-key
/// import and derive overhead made P-256 on the BCL slower than BouncyCastle's own P-256 and X25519
/// (<c>benchmarks/.../DtlsCryptoBenchmarks</c>).
/// </summary>
internal sealed class BclTlsCrypto : BcTlsCrypto
{
    public override TlsCertificate CreateCertificate(short type, byte[] encoding) =>
        type == CertificateType.X509 ? new BclTlsCertificate(this, encoding) : base.CreateCertificate(type, encoding);

    protected override TlsAeadCipher CreateCipher_Aes_Gcm(TlsCryptoParameters cryptoParams, int cipherKeySize, int macSize)
    {
        // AesGcm supports only 16-byte tags on some platforms; TLS's AES-GCM suites all use 16 (RFC 5288 §3).
        if (!AesGcm.IsSupported || macSize != BclAesGcmCipher.TagSize)
        {
            return base.CreateCipher_Aes_Gcm(cryptoParams, cipherKeySize, macSize);
        }

        return new TlsAeadCipher(cryptoParams, new BclAesGcmCipher(encrypt: true), new BclAesGcmCipher(encrypt: false),
            cipherKeySize, macSize, TlsAeadCipher.AEAD_GCM);
    }
}
