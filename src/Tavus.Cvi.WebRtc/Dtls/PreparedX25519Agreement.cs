using Org.BouncyCastle.Math.EC.Rfc7748;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;

namespace Tavus.Cvi.WebRtc.Dtls;

/// <summary>
/// BouncyCastle's X25519 key exchange (RFC 7748, RFC 8422 §5.11) whose ephemeral key pair may have been generated
/// before the handshake began (<see cref="BclTlsCrypto.PrepareEphemeralKey"/>), so that the scalar multiplication is not
/// on the handshake's critical path. The prepared pair is used by exactly one exchange, as a fresh one would be.
/// </summary>
internal sealed class PreparedX25519Agreement(BclTlsCrypto crypto) : BcX25519(crypto)
{
    public override byte[] GenerateEphemeral()
    {
        if (crypto.TakePreparedX25519(m_privateKey) is { } publicKey)
        {
            return publicKey;
        }

        return base.GenerateEphemeral();
    }

    /// <summary>A fresh X25519 key pair: the private scalar and its public point.</summary>
    public static (byte[] PrivateKey, byte[] PublicKey) GenerateKeyPair(BcTlsCrypto crypto)
    {
        var privateKey = new byte[X25519.ScalarSize];
        X25519.GeneratePrivateKey(crypto.SecureRandom, privateKey);
        var publicKey = new byte[X25519.PointSize];
        X25519.GeneratePublicKey(privateKey, 0, publicKey, 0);
        return (privateKey, publicKey);
    }
}
