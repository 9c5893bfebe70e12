using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace Tavus.Cvi.WebRtc.Sctp;

/// <summary>
/// CRC32c (Castagnoli), the SCTP checksum (RFC 9260 §6.8 and Appendix A). <c>System.IO.Hashing.Crc32</c> is the
/// IEEE polynomial and is not it. Uses the SSE 4.2 instruction eight bytes at a time when present, otherwise
/// <see cref="BitOperations.Crc32C(uint, ulong)"/> (which itself uses Arm CRC instructions or a table).
/// </summary>
internal static class Crc32c
{
    /// <summary>Computes the CRC32c of <paramref name="data"/> (initial value and final XOR 0xFFFFFFFF).</summary>
    public static uint Compute(ReadOnlySpan<byte> data) => ~Append(0xFFFFFFFFu, data);

    /// <summary>
    /// Computes the SCTP packet checksum: the CRC32c of the packet with its checksum field (bytes 8..11) taken as zero.
    /// </summary>
    public static uint ComputePacketChecksum(ReadOnlySpan<byte> packet)
    {
        uint crc = Append(0xFFFFFFFFu, packet[..8]);
        crc = BitOperations.Crc32C(crc, 0u);
        crc = Append(crc, packet[12..]);
        return ~crc;
    }

    /// <summary>A plain bitwise implementation, used to cross-check the accelerated one in tests.</summary>
    public static uint ComputeSoftware(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFFu;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int i = 0; i < 8; i++)
            {
                crc = (crc & 1) != 0 ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
            }
        }

        return ~crc;
    }

    // Straight to optimized code: the checksum runs over every packet both ways, and the tiered JIT's unoptimized and
    // instrumented versions of this loop showed up in profiles of bulk transfers long after warm-up.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static uint Append(uint crc, ReadOnlySpan<byte> data)
    {
        if (Sse42.X64.IsSupported)
        {
            while (data.Length >= 8)
            {
                crc = (uint)Sse42.X64.Crc32(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[8..];
            }
        }
        else
        {
            while (data.Length >= 8)
            {
                crc = BitOperations.Crc32C(crc, BinaryPrimitives.ReadUInt64LittleEndian(data));
                data = data[8..];
            }
        }

        foreach (byte b in data)
        {
            crc = BitOperations.Crc32C(crc, b);
        }

        return crc;
    }
}
