using System.Security.Cryptography;
using Org.BouncyCastle.Tls;
using Org.BouncyCastle.Tls.Crypto.Impl;

namespace Tavus.Cvi.WebRtc.Dtls;

/// <summary>
/// One direction of AES-GCM record protection (RFC 5288) on <see cref="AesGcm"/>, so records are sealed and opened with
/// the CPU's AES instructions instead of BouncyCastle's managed GCM. BouncyCastle's <see cref="TlsAeadCipher"/> still
/// builds the nonce and the additional data; it calls this in place (input and output at the same offset).
/// </summary>
// CA1001: BouncyCastle owns this object and has no dispose hook for cipher implementations; AesGcm's native key is
// released by its SafeHandle's finalizer once the connection's record layer is collected.
#pragma warning disable CA1001
internal sealed class BclAesGcmCipher(bool encrypt) : TlsAeadCipherImpl
#pragma warning restore CA1001
{
    public const int TagSize = 16;

    // Replaced at each key change (a new epoch's cipher is a new object in practice).
    private AesGcm? _aes;
    private byte[] _nonce = [];

    public void SetKey(byte[] key, int keyOff, int keyLen) => SetKey(key.AsSpan(keyOff, keyLen));

    public void SetKey(ReadOnlySpan<byte> key)
    {
        _aes?.Dispose();
        _aes = new AesGcm(key, TagSize);
    }

    public void Init(byte[] nonce, int macSize, byte[] additionalData)
    {
        if (macSize != TagSize || additionalData is { Length: > 0 })
        {
            // TlsAeadCipher passes the additional data to DoFinal and always asks for the suite's 16-byte tag.
            throw new TlsFatalAlert(AlertDescription.internal_error);
        }

        _nonce = nonce;
    }

    public int GetOutputSize(int inputLength) => encrypt ? inputLength + TagSize : Math.Max(0, inputLength - TagSize);

    public int DoFinal(byte[] input, int inputOffset, int inputLength, byte[] output, int outputOffset) =>
        DoFinal([], input, inputOffset, inputLength, output, outputOffset);

    public int DoFinal(byte[] additionalData, byte[] input, int inputOffset, int inputLength, byte[] output, int outputOffset)
    {
        var aes = _aes ?? throw new TlsFatalAlert(AlertDescription.internal_error);
        var source = input.AsSpan(inputOffset, inputLength);
        if (encrypt)
        {
            // The tag follows the ciphertext (RFC 5116 §5.1); AesGcm allows plaintext and ciphertext to be the same bytes.
            var destination = output.AsSpan(outputOffset, inputLength + TagSize);
            aes.Encrypt(_nonce, source, destination[..inputLength], destination[inputLength..], additionalData);
            return inputLength + TagSize;
        }

        if (inputLength < TagSize)
        {
            throw new TlsFatalAlert(AlertDescription.bad_record_mac);
        }

        int length = inputLength - TagSize;
        try
        {
            aes.Decrypt(_nonce, source[..length], source[length..], output.AsSpan(outputOffset, length), additionalData);
        }
        catch (CryptographicException ex)
        {
            // RFC 5246 §7.2.2: a record that fails authentication is bad_record_mac (DTLS then drops it, RFC 6347 §4.1.2.7).
            throw new TlsFatalAlert(AlertDescription.bad_record_mac, ex);
        }

        return length;
    }

    public void Reset()
    {
    }
}
