using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Tavus.Cvi.WebRtc.Dtls;
using Tavus.Cvi.WebRtc.Peer;
using BcHashAlgorithm = Org.BouncyCastle.Tls.HashAlgorithm;

namespace Tavus.Cvi.WebRtc.Tests.Dtls;

/// <summary>Each BCL piece of <see cref="BclTlsCrypto"/> against BouncyCastle's own implementation of the same thing.</summary>
public class BclTlsCryptoTests
{
    private static readonly SignatureAndHashAlgorithm EcdsaSha256 = new(BcHashAlgorithm.sha256, SignatureAlgorithm.ecdsa);
    private static readonly RtcCertificate Certificate = RtcCertificate.Generate();
    private readonly BcTlsCrypto _bc = new();
    private readonly BclTlsCrypto _bcl = new();

    private static byte[] Hash(string text) => SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text));

    private static ECPrivateKeyParameters BcPrivateKey(RtcCertificate certificate)
    {
        var p = certificate.SigningKey.ExportParameters(includePrivateParameters: true);
        return new ECPrivateKeyParameters("EC", new Org.BouncyCastle.Math.BigInteger(1, p.D), SecObjectIdentifiers.SecP256r1);
    }

    [Fact]
    public void A_BCL_signature_verifies_with_BouncyCastle_and_fails_for_another_hash()
    {
        byte[] signature = new BclEcdsaSigner(Certificate.SigningKey).GenerateRawSignature(EcdsaSha256, Hash("handshake"));
        var verifier = _bc.CreateCertificate(Certificate.DerEncoded).CreateVerifier(SignatureAlgorithm.ecdsa);

        verifier.Should().BeOfType<BcTlsECDsaVerifier>();
        verifier.VerifyRawSignature(new DigitallySigned(EcdsaSha256, signature), Hash("handshake")).Should().BeTrue();
        verifier.VerifyRawSignature(new DigitallySigned(EcdsaSha256, signature), Hash("handshakE")).Should().BeFalse();
    }

    [Fact]
    public void A_BouncyCastle_signature_verifies_with_the_BCL_verifier_and_a_tampered_one_does_not()
    {
        byte[] signature = new BcTlsECDsaSigner(_bc, BcPrivateKey(Certificate)).GenerateRawSignature(EcdsaSha256, Hash("handshake"));
        var verifier = _bcl.CreateCertificate(Certificate.DerEncoded).CreateVerifier(SignatureAlgorithm.ecdsa);

        verifier.Should().BeOfType<BclEcdsaVerifier>();
        verifier.VerifyRawSignature(new DigitallySigned(EcdsaSha256, signature), Hash("handshake")).Should().BeTrue();
        verifier.VerifyRawSignature(new DigitallySigned(EcdsaSha256, signature), Hash("other")).Should().BeFalse();
        byte[] flipped = (byte[])signature.Clone();
        flipped[^1] ^= 1;
        verifier.VerifyRawSignature(new DigitallySigned(EcdsaSha256, flipped), Hash("handshake")).Should().BeFalse();
        verifier.VerifyRawSignature(new DigitallySigned(EcdsaSha256, [0x30, 0x03, 0x02, 0x01]), Hash("handshake")).Should().BeFalse();
    }

    [Fact]
    public void The_BCL_verifier_rejects_a_signature_by_another_key()
    {
        byte[] signature = new BclEcdsaSigner(RtcCertificate.Generate().SigningKey).GenerateRawSignature(EcdsaSha256, Hash("handshake"));
        var verifier = _bcl.CreateCertificate(Certificate.DerEncoded).CreateVerifier(SignatureAlgorithm.ecdsa);

        verifier.VerifyRawSignature(new DigitallySigned(EcdsaSha256, signature), Hash("handshake")).Should().BeFalse();
    }

    [Fact]
    public void The_generated_certificate_is_a_self_signed_named_curve_P256_certificate()
    {
        var parsed = new Org.BouncyCastle.X509.X509Certificate(Certificate.DerEncoded);
        parsed.Verify(parsed.GetPublicKey());
        parsed.SubjectPublicKeyInfo.Algorithm.Parameters.Should().Be(SecObjectIdentifiers.SecP256r1);
        parsed.SigAlgName.Should().Be("SHA-256withECDSA");
        Certificate.NotAfter.Should().Be(new DateTimeOffset(parsed.NotAfter, TimeSpan.Zero));

        // The certificate's public key is the signing key's.
        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(parsed.SubjectPublicKeyInfo.GetEncoded(), out _);
        key.ExportParameters(false).Q.X.Should().Equal(Certificate.SigningKey.ExportParameters(false).Q.X);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(32)]
    public void AES_GCM_seals_exactly_like_BouncyCastle_and_opens_what_BouncyCastle_sealed(int keySize)
    {
        var random = new Random(keySize);
        byte[] key = new byte[keySize], nonce = new byte[12], aad = new byte[13], plaintext = new byte[1163];
        random.NextBytes(key);
        random.NextBytes(nonce);
        random.NextBytes(aad);
        random.NextBytes(plaintext);

        // Ours, in place as TlsAeadCipher calls it (input and output at the same offset).
        var seal = new BclAesGcmCipher(encrypt: true);
        seal.SetKey(key, 0, key.Length);
        seal.Init(nonce, 16, null!);
        byte[] ours = new byte[5 + plaintext.Length + 16];
        plaintext.CopyTo(ours, 5);
        seal.GetOutputSize(plaintext.Length).Should().Be(plaintext.Length + 16);
        seal.DoFinal(aad, ours, 5, plaintext.Length, ours, 5).Should().Be(plaintext.Length + 16);

        var bc = new GcmBlockCipher(AesUtilities.CreateEngine());
        bc.Init(true, new AeadParameters(new KeyParameter(key), 128, nonce, aad));
        byte[] theirs = new byte[plaintext.Length + 16];
        int n = bc.ProcessBytes(plaintext, 0, plaintext.Length, theirs, 0);
        bc.DoFinal(theirs, n);
        ours.AsSpan(5).ToArray().Should().Equal(theirs);

        var open = new BclAesGcmCipher(encrypt: false);
        open.SetKey(key, 0, key.Length);
        open.Init(nonce, 16, null!);
        open.GetOutputSize(theirs.Length).Should().Be(plaintext.Length);
        open.DoFinal(aad, theirs, 0, theirs.Length, theirs, 0).Should().Be(plaintext.Length);
        theirs.AsSpan(0, plaintext.Length).ToArray().Should().Equal(plaintext);
    }

    [Theory]
    [InlineData(0)] // ciphertext
    [InlineData(1163 + 15)] // last tag byte
    [InlineData(-1)] // additional data (the record header)
    public void AES_GCM_rejects_a_tampered_record_as_bad_record_mac(int flip)
    {
        byte[] key = new byte[16], nonce = new byte[12], aad = new byte[13], record = new byte[1163 + 16];
        var seal = new BclAesGcmCipher(encrypt: true);
        seal.SetKey(key, 0, key.Length);
        seal.Init(nonce, 16, null!);
        seal.DoFinal(aad, record, 0, 1163, record, 0);
        if (flip >= 0)
        {
            record[flip] ^= 0x80;
        }
        else
        {
            aad[^1] ^= 1;
        }

        var open = new BclAesGcmCipher(encrypt: false);
        open.SetKey(key, 0, key.Length);
        open.Init(nonce, 16, null!);
        var act = () => open.DoFinal(aad, record, 0, record.Length, record, 0);
        act.Should().Throw<TlsFatalAlert>().Which.AlertDescription.Should().Be(AlertDescription.bad_record_mac);
    }

    [Fact]
    public void AES_GCM_rejects_a_record_shorter_than_its_tag()
    {
        var open = new BclAesGcmCipher(encrypt: false);
        open.SetKey(new byte[16], 0, 16);
        open.Init(new byte[12], 16, null!);
        var act = () => open.DoFinal([], new byte[15], 0, 15, new byte[15], 0);
        act.Should().Throw<TlsFatalAlert>().Which.AlertDescription.Should().Be(AlertDescription.bad_record_mac);
    }

    [Fact]
    public void A_prepared_X25519_key_agrees_with_BouncyCastle_and_serves_one_exchange_only()
    {
        _bcl.PrepareEphemeralKey();
        var config = new TlsECConfig(NamedGroup.x25519);
        var ours = _bcl.CreateECDomain(config).CreateECDH();
        var theirs = _bc.CreateECDomain(config).CreateECDH();
        ours.Should().BeOfType<PreparedX25519Agreement>();

        byte[] ourPublic = ours.GenerateEphemeral();
        byte[] theirPublic = theirs.GenerateEphemeral();
        ours.ReceivePeerValue(theirPublic);
        theirs.ReceivePeerValue(ourPublic);
        ours.CalculateSecret().Extract().Should().Equal(theirs.CalculateSecret().Extract());

        // The next exchange generates its own pair: a prepared key is never used twice.
        var next = _bcl.CreateECDomain(config).CreateECDH();
        next.GenerateEphemeral().Should().NotEqual(ourPublic);
        _bcl.TakePreparedX25519(new byte[32]).Should().BeNull();
    }

    [Fact]
    public void X25519_rejects_a_peer_value_of_the_wrong_length()
    {
        var ours = _bcl.CreateECDomain(new TlsECConfig(NamedGroup.x25519)).CreateECDH();
        ours.GenerateEphemeral();
        var act = () => ours.ReceivePeerValue(new byte[31]);
        act.Should().Throw<TlsFatalAlert>().Which.AlertDescription.Should().Be(AlertDescription.illegal_parameter);
    }
}
