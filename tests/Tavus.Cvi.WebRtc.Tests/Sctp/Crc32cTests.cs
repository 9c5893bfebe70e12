using System.Text;
using Tavus.Cvi.WebRtc.Sctp;

namespace Tavus.Cvi.WebRtc.Tests.Sctp;

public class Crc32cTests
{
    [Fact]
    public void Matches_the_standard_check_value()
    {
        // CRC-32C check value (RFC 3720 B.4 / Castagnoli): "123456789" -> 0xE3069283.
        Crc32c.Compute(Encoding.ASCII.GetBytes("123456789")).Should().Be(0xE3069283u);
        Crc32c.ComputeSoftware(Encoding.ASCII.GetBytes("123456789")).Should().Be(0xE3069283u);
    }

    [Fact]
    public void Accelerated_and_software_agree_on_every_length()
    {
        var random = new Random(7);
        for (int length = 0; length < 300; length++)
        {
            byte[] data = new byte[length];
            random.NextBytes(data);
            Crc32c.Compute(data).Should().Be(Crc32c.ComputeSoftware(data), $"length {length}");
        }
    }

    [Fact]
    public void Packet_checksum_treats_the_checksum_field_as_zero()
    {
        byte[] packet = new byte[40];
        new Random(3).NextBytes(packet);
        byte[] zeroed = (byte[])packet.Clone();
        zeroed.AsSpan(8, 4).Clear();
        Crc32c.ComputePacketChecksum(packet).Should().Be(Crc32c.ComputeSoftware(zeroed));
    }
}
