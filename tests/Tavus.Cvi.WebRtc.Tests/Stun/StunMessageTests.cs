using System.Net;
using System.Text;
using Tavus.Cvi.WebRtc.Stun;

namespace Tavus.Cvi.WebRtc.Tests.Stun;

public class StunMessageTests
{
    // RFC 5769 §2.1 sample request (short-term credentials).
    private const string SampleRequest =
        "000100582112a442b7e7a701bc34d686fa87dfae802200105354554e207465737420636c69656e74002400046e0001ff80290008932ff9b151263b36" +
        "000600096576746a3a68367659202020000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a280280004e57a3bcf";

    // RFC 5769 §2.2 sample IPv4 response.
    private const string SampleIpv4Response =
        "0101003c2112a442b7e7a701bc34d686fa87dfae8022000b7465737420766563746f7220002000080001a147e112a643" +
        "000800142b91f599fd9e90c38c7489f92af9ba53f06be7d780280004c07d4c96";

    private static readonly byte[] Password = Encoding.UTF8.GetBytes("VOkJxbRl1RmTxUk/WvJxBt");

    [Fact]
    public void Rfc5769_request_parses_and_verifies()
    {
        StunMessage.TryParse(Convert.FromHexString(SampleRequest), out var message).Should().BeTrue();
        message!.Type.Should().Be(StunMessageType.BindingRequest);
        message.Username.Should().Be("evtj:h6vY");
        message.Priority.Should().Be(0x6e0001ff);
        message.IceControlled.Should().Be(0x932ff9b151263b36);
        message.HasFingerprint.Should().BeTrue();
        message.VerifyIntegrity(Password).Should().BeTrue();
        message.VerifyIntegrity(Encoding.UTF8.GetBytes("wrong")).Should().BeFalse();
    }

    [Fact]
    public void Rfc5769_ipv4_response_decodes_the_xor_mapped_address()
    {
        StunMessage.TryParse(Convert.FromHexString(SampleIpv4Response), out var message).Should().BeTrue();
        message!.Type.Should().Be(StunMessageType.BindingSuccess);
        message.MappedAddress.Should().Be(new IPEndPoint(IPAddress.Parse("192.0.2.1"), 32853));
        message.VerifyIntegrity(Password).Should().BeTrue();
    }

    [Fact]
    public void Builder_reproduces_the_rfc5769_request_byte_for_byte()
    {
        var original = Convert.FromHexString(SampleRequest);
        var built = new StunMessageBuilder(StunMessageType.BindingRequest, original.AsSpan(8, 12))
            .AddSoftware("STUN test client")
            .AddPriority(0x6e0001ff)
            .AddIceControlled(0x932ff9b151263b36)
            .Add(StunAttributeType.Username, Encoding.UTF8.GetBytes("evtj:h6vY"))
            .Build(Password);

        // RFC 5769 pads with spaces where we pad with zeros; the padding is not covered by equality checks of receivers.
        StunMessage.TryParse(built, out var reparsed).Should().BeTrue();
        reparsed!.VerifyIntegrity(Password).Should().BeTrue();
        built.Length.Should().Be(original.Length);
        built.AsSpan(0, 20).ToArray().Should().Equal(original.AsSpan(0, 20).ToArray());
    }

    [Fact]
    public void Round_trip_of_every_ice_attribute()
    {
        var id = StunMessageBuilder.NewTransactionId();
        var endPoint = new IPEndPoint(IPAddress.Parse("2001:db8::1"), 40000);
        var bytes = new StunMessageBuilder(StunMessageType.BindingError, id)
            .AddUsername("a:b").AddPriority(7).AddUseCandidate().AddIceControlling(42).AddXorMappedAddress(endPoint)
            .AddErrorCode(487, "Role Conflict")
            .Build(Encoding.UTF8.GetBytes("pw"));
        StunMessage.TryParse(bytes, out var m).Should().BeTrue();
        m!.TransactionId.Should().Equal(id);
        m.Username.Should().Be("a:b");
        m.Priority.Should().Be(7);
        m.UseCandidate.Should().BeTrue();
        m.IceControlling.Should().Be(42);
        m.MappedAddress.Should().Be(endPoint);
        m.ErrorCode.Should().Be(487);
        m.VerifyIntegrity(Encoding.UTF8.GetBytes("pw")).Should().BeTrue();
    }

    [Fact]
    public void A_flipped_bit_breaks_the_fingerprint()
    {
        var bytes = Convert.FromHexString(SampleRequest);
        bytes[30] ^= 1;
        StunMessage.TryParse(bytes, out _).Should().BeFalse();
    }

    [Fact]
    public void Hostile_input_never_throws()
    {
        var random = new Random(1234);
        var valid = Convert.FromHexString(SampleRequest);
        for (int i = 0; i < 20000; i++)
        {
            byte[] data;
            if (i % 2 == 0)
            {
                data = new byte[random.Next(0, 120)];
                random.NextBytes(data);
                if (data.Length >= 8)
                {
                    data[0] = 0; data[4] = 0x21; data[5] = 0x12; data[6] = 0xa4; data[7] = 0x42;
                    data[2] = 0; data[3] = (byte)((data.Length - 20) & 0xFC);
                }
            }
            else
            {
                data = (byte[])valid.Clone();
                for (int k = 0; k < 3; k++)
                {
                    data[random.Next(data.Length)] = (byte)random.Next(256);
                }

                data = data.AsSpan(0, random.Next(data.Length + 1)).ToArray();
            }

            var act = () =>
            {
                if (StunMessage.TryParse(data, out var m))
                {
                    _ = m!.Username; _ = m.MappedAddress; _ = m.ErrorCode; _ = m.Priority;
                    m.VerifyIntegrity(Password);
                }
            };
            act.Should().NotThrow();
        }
    }
}
