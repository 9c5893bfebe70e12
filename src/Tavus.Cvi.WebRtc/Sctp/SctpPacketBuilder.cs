using System.Buffers.Binary;

namespace Tavus.Cvi.WebRtc.Sctp;

/// <summary>
/// Packs chunks into SCTP packets of at most the path MTU (RFC 9260 §6.10 bundling) and finishes each packet with its
/// common header and CRC32c. Finished packets go to a caller-supplied queue.
/// </summary>
internal sealed class SctpPacketBuilder
{
    public const int CommonHeaderSize = 12;

    private readonly byte[] _buffer;
    private readonly ushort _sourcePort;
    private readonly ushort _destinationPort;
    private readonly Queue<byte[]> _output;
    private int _length;
    private uint _verificationTag;

    public SctpPacketBuilder(int mtu, ushort sourcePort, ushort destinationPort, Queue<byte[]> output)
    {
        _buffer = new byte[mtu];
        _sourcePort = sourcePort;
        _destinationPort = destinationPort;
        _output = output;
    }

    /// <summary>Bytes still free in the packet being built (or in a new one if none is open).</summary>
    public int Remaining => _buffer.Length - (_length == 0 ? CommonHeaderSize : _length);

    /// <summary>The largest chunk (padded) that fits in an empty packet.</summary>
    public int MaxChunkSize => _buffer.Length - CommonHeaderSize;

    /// <summary>True when a packet with at least one chunk is open.</summary>
    public bool HasChunks => _length > CommonHeaderSize;

    /// <summary>
    /// Reserves room for a chunk of <paramref name="chunkLength"/> bytes (header included, before padding) in a packet
    /// with the given verification tag, finishing the open packet first when the tag differs or it is full.
    /// Returns the span to write the chunk into (type, flags and length are written here).
    /// </summary>
    public Span<byte> AddChunk(uint verificationTag, SctpChunkType type, byte flags, int chunkLength) =>
        AddChunk(verificationTag, (byte)type, flags, chunkLength);

    public Span<byte> AddChunk(uint verificationTag, byte type, byte flags, int chunkLength)
    {
        int padded = (chunkLength + 3) & ~3;
        if (_length != 0 && (verificationTag != _verificationTag || _length + padded > _buffer.Length))
        {
            Finish();
        }

        if (_length == 0)
        {
            _length = CommonHeaderSize;
            _verificationTag = verificationTag;
        }

        if (_length + padded > _buffer.Length)
        {
            throw new InvalidOperationException("Chunk larger than the MTU.");
        }

        Span<byte> chunk = _buffer.AsSpan(_length, padded);
        chunk.Clear();
        chunk[0] = type;
        chunk[1] = flags;
        BinaryPrimitives.WriteUInt16BigEndian(chunk[2..], (ushort)chunkLength);
        _length += padded;
        return chunk[..chunkLength];
    }

    /// <summary>Adds a ready-made chunk (header included).</summary>
    public void AddRawChunk(uint verificationTag, ReadOnlySpan<byte> chunk)
    {
        Span<byte> target = AddChunk(verificationTag, chunk[0], chunk[1], chunk.Length);
        chunk.CopyTo(target);
    }

    /// <summary>Finishes the open packet, if any, and queues it.</summary>
    public void Finish()
    {
        if (_length <= CommonHeaderSize)
        {
            _length = 0;
            return;
        }

        Span<byte> packet = _buffer.AsSpan(0, _length);
        BinaryPrimitives.WriteUInt16BigEndian(packet, _sourcePort);
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], _destinationPort);
        BinaryPrimitives.WriteUInt32BigEndian(packet[4..], _verificationTag);
        BinaryPrimitives.WriteUInt32LittleEndian(packet[8..], 0);

        // RFC 9260 Appendix A: the CRC32c is placed in the packet least significant byte first.
        BinaryPrimitives.WriteUInt32LittleEndian(packet[8..], Crc32c.ComputePacketChecksum(packet));
        _output.Enqueue(packet.ToArray());
        _length = 0;
    }
}
