using Tavus.Cvi.WebRtc.Sctp;
using Tavus.Cvi.WebRtc.Tests.Simulation;

namespace Tavus.Cvi.WebRtc.Tests.Sctp;

public class SctpAssociationBasicTests
{
    [Fact]
    public void Handshake_establishes_both_sides()
    {
        var pair = new SctpTestPair(1);
        pair.Connect();
        pair.A.Events.OfType<SctpAssociationEstablished>().Should().ContainSingle();
        pair.B.Events.OfType<SctpAssociationEstablished>().Should().ContainSingle();
        pair.A.Association.OutboundStreams.Should().Be(65535);
    }

    [Fact]
    public void Init_collision_resolves_into_one_association()
    {
        for (int seed = 1; seed <= 20; seed++)
        {
            var pair = new SctpTestPair(seed, seed % 2 == 0 ? NetworkConditions.Lossy() : null);
            pair.Connect(both: true);
            pair.A.Events.OfType<SctpAssociationEstablished>().Should().ContainSingle();
            pair.B.Events.OfType<SctpAssociationEstablished>().Should().ContainSingle();

            pair.A.Association.Send(1, 53, [1, 2, 3], default, pair.Now);
            pair.B.Association.Send(2, 53, [4, 5], default, pair.Now);
            pair.Network.RunUntil(() => pair.A.Messages.Count == 1 && pair.B.Messages.Count == 1, TimeSpan.FromMinutes(1)).Should().BeTrue($"seed {seed}");
            pair.B.Messages[0].Data.ToArray().Should().Equal(1, 2, 3);
            pair.A.Messages[0].Data.ToArray().Should().Equal(4, 5);
        }
    }

    [Fact]
    public void An_Init_ack_travels_alone_when_the_peer_INIT_and_INIT_ack_arrive_together()
    {
        // The collision as libdatachannel produces it: its INIT and its INIT-ACK to ours reach us in one batch, so our
        // INIT-ACK and COOKIE-ECHO are queued together with the same verification tag.
        var a = new SctpAssociation(new SctpAssociationOptions { Random = new Random(1) });
        var b = new SctpAssociation(new SctpAssociationOptions { Random = new Random(2) });
        var now = TimeSpan.Zero;
        a.Connect(now);
        b.Connect(now);
        a.TryPollTransmit(out var initA).Should().BeTrue();
        b.TryPollTransmit(out var initB).Should().BeTrue();
        b.HandlePacket(initA, now);
        b.TryPollTransmit(out var initAckB).Should().BeTrue();
        a.HandlePacket(initB, now);
        a.HandlePacket(initAckB, now);

        var packets = new List<byte[]>();
        while (a.TryPollTransmit(out var p))
        {
            packets.Add(p);
        }

        static List<byte> ChunkTypes(byte[] d)
        {
            var types = new List<byte>();
            for (int at = 12; at + 4 <= d.Length; at += Math.Max(4, (((d[at + 2] << 8) | d[at + 3]) + 3) & ~3))
            {
                types.Add(d[at]);
            }

            return types;
        }

        var chunks = packets.Select(ChunkTypes).ToList();
        chunks.Should().Contain(t => t.Contains((byte)SctpChunkType.InitAck));
        chunks.Should().Contain(t => t.Contains((byte)SctpChunkType.CookieEcho));
        // RFC 9260 §6.10: INIT ACK must be the only chunk of its packet.
        chunks.Where(t => t.Contains((byte)SctpChunkType.InitAck)).Should().OnlyContain(t => t.Count == 1);
    }

    [Fact]
    public void Small_and_fragmented_messages_arrive_intact()
    {
        var pair = new SctpTestPair(2);
        pair.Connect();
        byte[] big = new byte[256 * 1024];
        new Random(5).NextBytes(big);
        pair.A.Association.Send(0, 53, [42], default, pair.Now);
        pair.A.Association.Send(0, 53, big, default, pair.Now);
        pair.A.Association.Send(0, 51, "hello"u8, default, pair.Now);
        pair.Network.RunUntil(() => pair.B.Messages.Count == 3, TimeSpan.FromMinutes(1)).Should().BeTrue();
        pair.B.Messages[0].Data.ToArray().Should().Equal(42);
        pair.B.Messages[1].Data.ToArray().Should().Equal(big);
        pair.B.Messages[2].Ppid.Should().Be(51u);
        pair.A.Association.BufferedAmount(0).Should().Be(0);
    }

    [Fact]
    public void Every_packet_fits_the_mtu()
    {
        var pair = new SctpTestPair(3);
        int largest = 0;
        pair.Network.Tap = (_, d) => largest = Math.Max(largest, d.Length);
        pair.Connect();
        for (int i = 0; i < 50; i++)
        {
            pair.A.Association.Send((ushort)(i % 3), 53, new byte[1 + (i * 997 % 5000)], default, pair.Now);
        }

        pair.Network.RunUntil(() => pair.B.Messages.Count == 50, TimeSpan.FromMinutes(1)).Should().BeTrue();
        largest.Should().BeLessThanOrEqualTo(1163);
    }
}
