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
/// (<c>benchmarks/Tavus.Cvi.WebRtc.Benchmarks/DtlsCryptoBenchmarks.cs</c>). The X25519 key pair, the group every
/// WebRTC stack here negotiates first, can be generated before the handshake (<see cref="PrepareEphemeralKey"/>).
/// One instance serves one handshake.
/// </summary>
internal sealed class BclTlsCrypto : BcTlsCrypto
{
    private (byte[] PrivateKey, byte[] PublicKey)? _preparedX25519;

    /// <summary>Generates the X25519 ephemeral key pair now, while the handshake has not started yet.</summary>
    public void PrepareEphemeralKey() => _preparedX25519 = PreparedX25519Agreement.GenerateKeyPair(this);

    /// <summary>Hands the prepared X25519 pair out once: the private key into <paramref name="privateKey"/>, the public
    /// point as the result; null when none is prepared (any more).</summary>
    public byte[]? TakePreparedX25519(byte[] privateKey)
    {
        if (_preparedX25519 is not { } prepared)
        {
            return null;
        }

        _preparedX25519 = null;
        prepared.PrivateKey.CopyTo(privateKey, 0);
        CryptographicOperations.ZeroMemory(prepared.PrivateKey);
        return prepared.PublicKey;
    }

    public override TlsECDomain CreateECDomain(TlsECConfig ecConfig) =>
        ecConfig.NamedGroup == NamedGroup.x25519 ? new X25519Domain(this) : base.CreateECDomain(ecConfig);

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

    private sealed class X25519Domain(BclTlsCrypto crypto) : TlsECDomain
    {
        public TlsAgreement CreateECDH() => new PreparedX25519Agreement(crypto);
    }
}
