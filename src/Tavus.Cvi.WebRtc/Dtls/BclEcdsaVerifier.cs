using System.Security.Cryptography;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;

namespace Tavus.Cvi.WebRtc.Dtls;

/// <summary>Verifies the peer's TLS 1.2 ECDSA signatures (DER <c>ECDSA-Sig-Value</c> over a hash, RFC 8422 §5.4) on <see cref="ECDsa"/>.</summary>
internal sealed class BclEcdsaVerifier(ECDsa key) : TlsVerifier
{
    /// <summary>None: BouncyCastle then hashes itself and calls <see cref="VerifyRawSignature"/>.</summary>
    public TlsStreamVerifier? GetStreamVerifier(DigitallySigned digitallySigned) => null;

    public bool VerifyRawSignature(DigitallySigned digitallySigned, byte[] hash)
    {
        if (digitallySigned.Algorithm is not { Signature: SignatureAlgorithm.ecdsa })
        {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter);
        }

        try
        {
            return key.VerifyHash(hash, digitallySigned.Signature, DSASignatureFormat.Rfc3279DerSequence);
        }
        catch (CryptographicException)
        {
            // A signature that is not a valid DER sequence is a signature that does not verify.
            return false;
        }
    }
}
