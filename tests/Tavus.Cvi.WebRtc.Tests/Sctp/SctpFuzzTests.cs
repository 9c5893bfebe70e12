using System.Buffers.Binary;
using CsCheck;
using Tavus.Cvi.WebRtc.DataChannels;
using Tavus.Cvi.WebRtc.Sctp;
using Tavus.Cvi.WebRtc.Tests.Simulation;

namespace Tavus.Cvi.WebRtc.Tests.Sctp;

/// <summary>
/// Hostile input: random bytes, truncated and mutated real packets (with the checksum fixed up so they reach the chunk
/// parsers), bad lengths and bad checksums. HandlePacket must never throw or hang, and the association must stay usable
/// or end cleanly.
/// </summary>
public class SctpFuzzTests
{
    private const int CorpusSeed = 77;
    private static readonly Lazy<(List<byte[]> FromA, List<byte[]> FromB)> Corpus = new(BuildCorpus);

    private static (List<byte[]> FromA, List<byte[]> FromB) BuildCorpus()
    {
        var fromA = new List<byte[]>();
        var fromB = new List<byte[]>();
        var pair = new SctpTestPair(CorpusSeed, NetworkConditions.Lossy(0.25));
        pair.Network.Tap = (from, d) => (from == 0 ? fromA : fromB).Add(d);
        pair.Connect();
        for (int i = 0; i < 40; i++)
        {
            pair.A.Association.Send((ushort)(i % 3), 53, new byte[1 + (i * 211 % 3000)], new SctpSendOptions { Unordered = i % 5 == 0, MaxRetransmits = i % 3 == 0 ? 0 : null }, pair.Now);
            pair.B.Association.Send(1, 51, new byte[1 + (i * 7)], default, pair.Now);
        }

        pair.Network.RunUntil(() => pair.B.Messages.Count >= 30, TimeSpan.FromMinutes(5));
        pair.A.Association.ResetStreams([0, 1], pair.Now);
        pair.Network.RunFor(TimeSpan.FromSeconds(70));
        pair.A.Association.Close(pair.Now);
        pair.Network.RunFor(TimeSpan.FromSeconds(10));
        return (fromA, fromB);
    }

    private static SctpTestPair EstablishedPair()
    {
        // Same seed as the corpus: same tags and TSNs, so replayed and mutated packets reach the chunk handlers.
        var pair = new SctpTestPair(CorpusSeed);
        pair.Connect();
        return pair;
    }

    private static void CheckStillSane(SctpTestPair pair)
    {
        foreach (SctpNode node in new[] { pair.A, pair.B })
        {
            node.Association.CheckInvariants().Should().BeNull();
            if (node.Association.NextDeadline is { } deadline)
            {
                deadline.Should().BeLessThan(pair.Now + TimeSpan.FromHours(1));
            }
        }

        if (pair.A.IsEstablished && pair.B.IsEstablished)
        {
            // Keep using it: sending and pumping must neither throw nor break the bookkeeping. (Delivery is not
            // required: a replayed packet with valid tags is indistinguishable from the peer, which is why SCTP runs
            // inside DTLS.)
            pair.A.Association.Send(2, 53, [9, 9], default, pair.Now);
            pair.Network.RunUntil(() => pair.B.Messages.Count > 0 || !pair.A.IsEstablished || !pair.B.IsEstablished, TimeSpan.FromMinutes(2));
            pair.A.Association.CheckInvariants().Should().BeNull();
            pair.B.Association.CheckInvariants().Should().BeNull();
        }
    }

    [Fact]
    public void Random_bytes_are_dropped_without_exceptions()
    {
        Gen.Byte.Array[0, 1500].Sample(bytes =>
        {
            var association = new SctpAssociation(new SctpAssociationOptions { Random = new Random(1) });
            association.HandlePacket(bytes, TimeSpan.Zero);
            association.Connect(TimeSpan.Zero);
            association.HandlePacket(bytes, TimeSpan.FromSeconds(1));
            while (association.TryPollTransmit(out _))
            {
            }
        }, iter: 3000, threads: 1);
    }

    [Fact]
    public void Random_chunks_with_valid_header_and_checksum_reach_the_parsers_safely()
    {
        Gen.Int.Sample(RandomChunkAndCheck, iter: 1000, threads: 1);
    }

    [Theory]
    [InlineData(-55260601)] // a HEARTBEAT-ACK/ERROR reply larger than one packet once threw out of TryPollTransmit
    public void Random_chunk_regressions(int seed) => RandomChunkAndCheck(seed);

    private static void RandomChunkAndCheck(int seed)
    {
        var random = new Random(seed);
        SctpTestPair pair = EstablishedPair();
        (List<byte[]> fromA, _) = Corpus.Value;
        byte[] template = fromA[random.Next(fromA.Count)];
        byte[] packet = new byte[12 + random.Next(0, 1200)];
        template.AsSpan(0, 8).CopyTo(packet);
        random.NextBytes(packet.AsSpan(12));
        if (packet.Length >= 16)
        {
            // A plausible chunk header: a known type most of the time, any length.
            byte[] types = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 14, 130, 192, 64, 128, 255];
            packet[12] = types[random.Next(types.Length)];
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(14), (ushort)random.Next(0, packet.Length + 8));
        }

        FixChecksum(packet);
        pair.B.Receive(packet, pair.Now);
        CheckStillSane(pair);
    }

    [Fact]
    public void Mutated_and_truncated_real_packets_never_throw()
    {
        Gen.Int.Sample(MutateAndCheck, iter: 1500, threads: 1);
    }

    [Theory]
    [InlineData(47)]
    [InlineData(-53749179)]
    public void Mutation_regressions(int seed) => MutateAndCheck(seed);

    private static void MutateAndCheck(int seed)
    {
        {
            var random = new Random(seed);
            SctpTestPair pair = EstablishedPair();
            (List<byte[]> fromA, List<byte[]> fromB) = Corpus.Value;
            bool toB = random.Next(2) == 0;
            List<byte[]> source = toB ? fromA : fromB;
            for (int n = 0; n < 3; n++)
            {
                byte[] packet = (byte[])source[random.Next(source.Count)].Clone();
                switch (random.Next(5))
                {
                    case 0:
                        packet = packet[..random.Next(0, packet.Length + 1)];
                        break;
                    case 1:
                        for (int k = random.Next(1, 6); k > 0 && packet.Length > 12; k--)
                        {
                            packet[random.Next(12, packet.Length)] ^= (byte)random.Next(1, 256);
                        }

                        break;
                    case 2:
                        if (packet.Length >= 16)
                        {
                            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(14), (ushort)random.Next(0, 65536));
                        }

                        break;
                    case 3:
                        if (packet.Length > 20)
                        {
                            // Corrupt a length or count field inside the chunk value.
                            int at = random.Next(16, packet.Length - 2);
                            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(at), (ushort)random.Next(0, 65536));
                        }

                        break;
                    default:
                        byte[] extra = new byte[random.Next(1, 64)];
                        random.NextBytes(extra);
                        packet = [.. packet, .. extra];
                        break;
                }

                if (random.Next(4) != 0 && packet.Length >= 12)
                {
                    FixChecksum(packet);
                }

                (toB ? pair.B : pair.A).Receive(packet, pair.Now);
            }

            CheckStillSane(pair);
        }
    }

    [Fact]
    public void The_corpus_covers_every_chunk_type_data_channels_use()
    {
        var types = new HashSet<byte>();
        foreach (byte[] packet in Corpus.Value.FromA.Concat(Corpus.Value.FromB))
        {
            for (int at = 12; at + 4 <= packet.Length;)
            {
                types.Add(packet[at]);
                int length = BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(at + 2));
                at += Math.Max(4, (length + 3) & ~3);
            }
        }

        // DATA, INIT, INIT-ACK, SACK, HEARTBEAT(-ACK), SHUTDOWN, SHUTDOWN-ACK, COOKIE-ECHO/ACK, SHUTDOWN-COMPLETE,
        // RE-CONFIG, FORWARD-TSN.
        types.Should().Contain([0, 1, 2, 3, 4, 5, 7, 8, 10, 11, 14, 130, 192]);
    }

    [Fact]
    public void Mutated_packets_mostly_get_past_the_checksum_into_the_chunk_parsers()
    {
        long accepted = 0;
        Gen.Int.Sample(seed =>
        {
            var random = new Random(seed);
            SctpTestPair pair = EstablishedPair();
            byte[] packet = (byte[])Corpus.Value.FromA[random.Next(Corpus.Value.FromA.Count)].Clone();
            if (packet.Length > 13)
            {
                packet[random.Next(13, packet.Length)] ^= 0x10;
            }

            FixChecksum(packet);
            long dropped = pair.B.Association.Statistics.PacketsDropped;
            pair.B.Receive(packet, pair.Now);
            accepted += pair.B.Association.Statistics.PacketsDropped == dropped ? 1 : 0;
        }, iter: 200, threads: 1);
        accepted.Should().BeGreaterThan(100);
    }

    [Fact]
    public void Replaying_the_whole_corpus_is_harmless()
    {
        SctpTestPair pair = EstablishedPair();
        (List<byte[]> fromA, List<byte[]> fromB) = Corpus.Value;
        foreach (byte[] packet in fromA)
        {
            pair.B.Receive(packet, pair.Now);
        }

        foreach (byte[] packet in fromB)
        {
            pair.A.Receive(packet, pair.Now);
        }

        pair.Network.RunFor(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void Bad_checksums_are_counted_and_dropped()
    {
        SctpTestPair pair = EstablishedPair();
        byte[] packet = (byte[])Corpus.Value.FromA[^1].Clone();
        packet[^1] ^= 0x55;
        long before = pair.B.Association.Statistics.PacketsDropped;
        pair.B.Receive(packet, pair.Now);
        pair.B.Association.Statistics.PacketsDropped.Should().Be(before + 1);
    }

    [Fact]
    public void Dcep_parser_never_throws_and_random_dcep_messages_are_harmless()
    {
        Gen.Byte.Array[0, 300].Sample(bytes =>
        {
            _ = DcepMessage.TryParseOpen(bytes, out _, out _);
        }, iter: 1000, threads: 1);

        Gen.Int.Sample(seed =>
        {
            var random = new Random(seed);
            var client = new DataChannelNode(1, isDtlsClient: true);
            var server = new DataChannelNode(2, isDtlsClient: false);
            var network = new SimulatedNetwork(client, server, 3);
            client.Endpoint.Connect(network.Now);
            network.RunUntil(() => server.Endpoint.Association.State == SctpAssociationState.Established, TimeSpan.FromSeconds(10));
            for (int i = 0; i < 5; i++)
            {
                byte[] message = new byte[random.Next(1, 64)];
                random.NextBytes(message);
                message[0] = random.Next(3) switch { 0 => DcepMessage.TypeOpen, 1 => DcepMessage.TypeAck, _ => message[0] };
                client.Endpoint.Association.Send((ushort)random.Next(0, 8), DcepMessage.Ppid, message, default, network.Now);
            }

            network.RunFor(TimeSpan.FromSeconds(2));
            server.Endpoint.Association.State.Should().Be(SctpAssociationState.Established);
        }, iter: 200, threads: 1);
    }

    private static void FixChecksum(byte[] packet)
    {
        if (packet.Length >= 12)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(packet.AsSpan(8), Crc32c.ComputePacketChecksum(packet));
        }
    }
}
