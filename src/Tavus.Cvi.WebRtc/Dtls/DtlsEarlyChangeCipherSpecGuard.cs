using System.Buffers.Binary;

namespace Tavus.Cvi.WebRtc.Dtls;

/// <summary>
/// Holds back a ChangeCipherSpec that overtook the handshake record sent just before it, until that record arrives, and
/// records of the next epoch that overtook the ChangeCipherSpec, until it has passed.
/// </summary>
/// <remarks>
/// BouncyCastle 2.7's DTLS record layer switches its read epoch on any ChangeCipherSpec once the pending epoch exists
/// (the server creates it after ClientKeyExchange), and from then on drops every epoch-0 record. A CertificateVerify
/// that arrives after the ChangeCipherSpec that followed it (a datagram reordered or lost and retransmitted) is then
/// never accepted, and the handshake stalls for good: the client retransmits its flight and the server discards it.
/// RFC 6347 §4.1 lets a receiver reorder records before processing; here only this one case is reordered. A
/// ChangeCipherSpec (epoch 0, sequence number n) is passed on once the record n−1 has been seen, or right after it;
/// a retransmitted one (n+k) supersedes a held one. Every sequence number seen counts, held ones included, so a server
/// flight of ChangeCipherSpec and Finished alone (whose predecessor is the earlier ChangeCipherSpec) is not held
/// twice. Likewise BouncyCastle drops a record of the next epoch (the Finished) that arrives before the
/// ChangeCipherSpec, and the peer's whole flight must then come again (RFC 6347 §4.1 lets a receiver buffer such
/// records instead): up to 8 such datagrams wait here for the ChangeCipherSpec. Used on the owner's thread only, and
/// only until the handshake completes.
/// </remarks>
internal sealed class DtlsEarlyChangeCipherSpecGuard
{
    private const int HeaderLength = 13;
    private const byte ChangeCipherSpec = 20;
    private const byte ApplicationData = 23;
    private const int MaxNextEpochHeld = 8;

    private readonly HashSet<long> _seen = [];
    private readonly List<byte[]> _nextEpoch = [];
    private byte[]? _held;
    private long _heldSequence;
    private bool _changeCipherSpecPassed;

    /// <summary>Adds to <paramref name="release"/>, in order, the datagrams to hand to the engine now.</summary>
    public void Admit(byte[] datagram, List<byte[]> release)
    {
        long changeCipherSpec = -1;
        bool nextEpoch = false;
        var here = new List<long>(1);
        for (int offset = 0; offset + HeaderLength <= datagram.Length;)
        {
            ReadOnlySpan<byte> header = datagram.AsSpan(offset, HeaderLength);
            if (header[0] is < ChangeCipherSpec or > ApplicationData || header[1] != 0xFE)
            {
                // Not a DTLS record (RFC 6347 §4.1: content type 20-23, version 254.x): passed on, BouncyCastle drops it.
                release.Add(datagram);
                return;
            }

            int epoch = BinaryPrimitives.ReadUInt16BigEndian(header[3..]);
            long sequence = ((long)BinaryPrimitives.ReadUInt16BigEndian(header[5..]) << 32) | BinaryPrimitives.ReadUInt32BigEndian(header[7..]);
            if (epoch == 0)
            {
                here.Add(sequence);
                if (header[0] == ChangeCipherSpec)
                {
                    changeCipherSpec = sequence;
                }
            }
            else
            {
                nextEpoch = true;
            }

            offset += HeaderLength + BinaryPrimitives.ReadUInt16BigEndian(header[11..]);
        }

        bool predecessorSeen = changeCipherSpec > 0 && (here.Contains(changeCipherSpec - 1) || _seen.Contains(changeCipherSpec - 1));
        _seen.UnionWith(here);
        if (changeCipherSpec > 0 && !predecessorSeen)
        {
            _held = datagram;
            _heldSequence = changeCipherSpec;
            return;
        }

        if (changeCipherSpec < 0 && nextEpoch && !_changeCipherSpecPassed)
        {
            // A Finished (epoch 1) ahead of the ChangeCipherSpec would be dropped: keep a few until it has passed.
            if (_nextEpoch.Count < MaxNextEpochHeld)
            {
                _nextEpoch.Add(datagram);
            }

            return;
        }

        release.Add(datagram);
        if (changeCipherSpec >= 0)
        {
            if (_held is not null && _heldSequence < changeCipherSpec)
            {
                _held = null; // superseded by this retransmission
            }

            PassedChangeCipherSpec(release);
        }

        if (_held is not null && _seen.Contains(_heldSequence - 1))
        {
            release.Add(_held);
            _held = null;
            PassedChangeCipherSpec(release);
        }
    }

    private void PassedChangeCipherSpec(List<byte[]> release)
    {
        _changeCipherSpecPassed = true;
        release.AddRange(_nextEpoch);
        _nextEpoch.Clear();
    }
}
