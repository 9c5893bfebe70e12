using System.Security.Cryptography;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;

namespace Tavus.Cvi.WebRtc.Dtls;

/// <summary>
/// Our ECDSA signatures in the handshake (ServerKeyExchange, CertificateVerify) on <see cref="ECDsa"/>: TLS 1.2 hands
/// the signer the finished hash and expects a DER <c>ECDSA-Sig-Value</c> (RFC 8422 §5.4).
/// </summary>
internal sealed class BclEcdsaSigner(ECDsa key) : TlsSigner
{
    public byte[] GenerateRawSignature(SignatureAndHashAlgorithm algorithm, byte[] hash)
    {
        if (algorithm is null || algorithm.Signature != SignatureAlgorithm.ecdsa)
        {
            // Only TLS 1.2 signature_algorithms reach here (DTLS 1.2 only), never the TLS 1.0 MD5/SHA-1 pair.
            throw new TlsFatalAlert(AlertDescription.internal_error);
        }

        // One key may serve several connections on their DTLS threads at once; the BCL does not promise that one
        // ECDsa instance may sign concurrently.
        lock (key)
        {
            return key.SignHash(hash, DSASignatureFormat.Rfc3279DerSequence);
        }
    }

    /// <summary>None: BouncyCastle then hashes itself and calls <see cref="GenerateRawSignature"/>.</summary>
    public TlsStreamSigner? GetStreamSigner(SignatureAndHashAlgorithm algorithm) => null;
}
