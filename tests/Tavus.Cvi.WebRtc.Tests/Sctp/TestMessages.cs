using System.Buffers.Binary;

namespace Tavus.Cvi.WebRtc.Tests.Sctp;

/// <summary>Deterministic, self-describing test messages: the first 4 bytes hold the index, the rest derive from it.</summary>
internal static class TestMessages
{
    public static byte[] Create(int index, int size)
    {
        byte[] data = new byte[size];
        new Random(index).NextBytes(data);
        if (size >= 4)
        {
            BinaryPrimitives.WriteInt32BigEndian(data, index);
        }

        return data;
    }

    /// <summary>Log-uniform size in [1, max]: many small messages and a fair number of large ones.</summary>
    public static int Size(Random random, int max) => (int)Math.Clamp(Math.Exp(random.NextDouble() * Math.Log(max)), 1, max);

    public static int IndexOf(ReadOnlySpan<byte> data) => BinaryPrimitives.ReadInt32BigEndian(data);
}
