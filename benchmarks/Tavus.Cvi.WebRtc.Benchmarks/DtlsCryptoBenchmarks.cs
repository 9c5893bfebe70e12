using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Modes;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto;
using Org.BouncyCastle.Tls.Crypto.Impl.BC;
using Org.BouncyCastle.X509;
using Tavus.Cvi.WebRtc.Dtls;
using Tavus.Cvi.WebRtc.Peer;

namespace Tavus.Cvi.WebRtc.Benchmarks;

/// <summary>
/// The DTLS handshake's and record layer's crypto, BouncyCastle's managed implementation against the BCL one the stack
/// now uses (<see cref="BclTlsCrypto"/>), through the same BouncyCastle TLS interfaces the handshake calls. A full
/// handshake costs each side one ECDHE exchange, one signature and one verification.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "BenchmarkDotNet runs instance methods.")]
public class DtlsCryptoBenchmarks
{
    private static readonly SignatureAndHashAlgorithm EcdsaSha256 = new(Org.BouncyCastle.Tls.HashAlgorithm.sha256, SignatureAlgorithm.ecdsa);
    private readonly BcTlsCrypto _bc = new();
    private readonly BclTlsCrypto _bcl = new();
    private readonly byte[] _hash = SHA256.HashData("handshake"u8);
    private readonly byte[] _record = new byte[1163];
    private readonly byte[] _buffer = new byte[1163 + 16];
    private readonly byte[] _nonce = new byte[12];
    private readonly byte[] _aad = new byte[13];
    private RtcCertificate _certificate = null!;
    private AsymmetricKeyParameter _bcPrivateKey = null!;
    private byte[] _bcSignature = null!;
    private byte[] _bclSignature = null!;
    private GcmBlockCipher _bcGcm = null!;
    private KeyParameter _bcKey = null!;
    private BclAesGcmCipher _bclGcm = null!;

    [GlobalSetup]
    public void Setup()
    {
        _certificate = RtcCertificate.Generate();
        var p = _certificate.SigningKey.ExportParameters(includePrivateParameters: true);
        _bcPrivateKey = new ECPrivateKeyParameters("EC", new Org.BouncyCastle.Math.BigInteger(1, p.D), SecObjectIdentifiers.SecP256r1);
        _bcSignature = BcSign();
        _bclSignature = BclSign();
        var key = new byte[16];
        _bcKey = new KeyParameter(key);
        _bcGcm = new GcmBlockCipher(AesUtilities.CreateEngine());
        _bclGcm = new BclAesGcmCipher(encrypt: true);
        _bclGcm.SetKey(key, 0, key.Length);
    }

    [Benchmark(Description = "ECDHE P-256 both sides, BouncyCastle")]
    public TlsSecret EcdheP256Bc() => Exchange(_bc, NamedGroup.secp256r1);

    [Benchmark(Description = "ECDHE X25519 both sides, BouncyCastle")]
    public TlsSecret EcdheX25519Bc() => Exchange(_bc, NamedGroup.x25519);

    /// <summary>What a BCL ECDHE domain would cost (it measured slower on OpenSSL 3, so the stack keeps BouncyCastle's).</summary>
    [Benchmark(Description = "ECDHE P-256 both sides, BCL ECDiffieHellman")]
    public byte[] EcdheP256Bcl()
    {
        using var a = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        using var b = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        var qa = a.ExportParameters(false);
        var qb = b.ExportParameters(false);
        using var pa = ECDiffieHellman.Create(qa);
        using var pb = ECDiffieHellman.Create(qb);
        _ = b.DeriveRawSecretAgreement(pa.PublicKey);
        return a.DeriveRawSecretAgreement(pb.PublicKey);
    }

    [Benchmark(Description = "ECDSA P-256 sign, BouncyCastle")]
    public byte[] SignBc() => BcSign();

    [Benchmark(Description = "ECDSA P-256 sign, BCL")]
    public byte[] SignBcl() => BclSign();

    [Benchmark(Description = "ECDSA P-256 verify (certificate parse included), BouncyCastle")]
    public bool VerifyBc() => _bc.CreateCertificate(_certificate.DerEncoded).CreateVerifier(SignatureAlgorithm.ecdsa)
        .VerifyRawSignature(new DigitallySigned(EcdsaSha256, _bclSignature), _hash);

    [Benchmark(Description = "ECDSA P-256 verify (certificate parse included), BCL")]
    public bool VerifyBcl() => _bcl.CreateCertificate(_certificate.DerEncoded).CreateVerifier(SignatureAlgorithm.ecdsa)
        .VerifyRawSignature(new DigitallySigned(EcdsaSha256, _bcSignature), _hash);

    [Benchmark(Description = "Self-signed P-256 certificate, BouncyCastle (the previous RtcCertificate.Generate)")]
    public byte[] CertificateBc()
    {
        var random = new SecureRandom();
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, random));
        var keyPair = generator.GenerateKeyPair();
        var builder = new X509V3CertificateGenerator();
        builder.SetSerialNumber(new Org.BouncyCastle.Math.BigInteger(64, random).Add(Org.BouncyCastle.Math.BigInteger.One));
        var name = new X509Name("CN=Tavus.Cvi.WebRtc");
        builder.SetIssuerDN(name);
        builder.SetSubjectDN(name);
        builder.SetNotBefore(DateTime.UtcNow.AddDays(-1));
        builder.SetNotAfter(DateTime.UtcNow.AddDays(30));
        builder.SetPublicKey(keyPair.Public);
        return builder.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", keyPair.Private, random)).GetEncoded();
    }

    [Benchmark(Description = "Self-signed P-256 certificate, BCL (RtcCertificate.Generate)")]
    public RtcCertificate CertificateBcl() => RtcCertificate.Generate();

    [Benchmark(Description = "AES-128-GCM seal of a 1163-byte record, BouncyCastle")]
    public int SealBc()
    {
        // GCM refuses a repeated nonce; one byte of it counts (a benchmark encrypts nothing secret).
        _nonce[0]++;
        _bcGcm.Init(true, new AeadParameters(_bcKey, 128, _nonce, null));
        _bcGcm.ProcessAadBytes(_aad, 0, _aad.Length);
        int n = _bcGcm.ProcessBytes(_record, 0, _record.Length, _buffer, 0);
        return n + _bcGcm.DoFinal(_buffer, n);
    }

    [Benchmark(Description = "AES-128-GCM seal of a 1163-byte record, BCL")]
    public int SealBcl()
    {
        _nonce[0]++;
        _bclGcm.Init(_nonce, 16, null!);
        return _bclGcm.DoFinal(_aad, _record, 0, _record.Length, _buffer, 0);
    }

    private static TlsSecret Exchange(BcTlsCrypto crypto, int group)
    {
        var config = new TlsECConfig(group);
        var a = crypto.CreateECDomain(config).CreateECDH();
        var b = crypto.CreateECDomain(config).CreateECDH();
        byte[] pa = a.GenerateEphemeral();
        byte[] pb = b.GenerateEphemeral();
        a.ReceivePeerValue(pb);
        b.ReceivePeerValue(pa);
        _ = b.CalculateSecret();
        return a.CalculateSecret();
    }

    private byte[] BcSign() =>
        new BcTlsECDsaSigner(_bc, (ECPrivateKeyParameters)_bcPrivateKey).GenerateRawSignature(EcdsaSha256, _hash);

    private byte[] BclSign() => new BclEcdsaSigner(_certificate.SigningKey).GenerateRawSignature(EcdsaSha256, _hash);
}
