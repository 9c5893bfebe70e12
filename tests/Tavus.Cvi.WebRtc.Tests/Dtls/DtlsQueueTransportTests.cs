using Tavus.Cvi.WebRtc.Dtls;

namespace Tavus.Cvi.WebRtc.Tests.Dtls;

public class DtlsQueueTransportTests
{
    [Fact]
    public void The_receive_limit_grows_before_a_larger_datagram_can_be_read_so_none_is_truncated()
    {
        var transport = new DtlsQueueTransport(1200, _ => { });
        transport.GetReceiveLimit().Should().Be(DtlsQueueTransport.MinReceiveLimit);

        byte[] small = Enumerable.Range(0, 1200).Select(i => (byte)i).ToArray();
        byte[] large = Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)).ToArray();
        transport.Deliver(small);
        transport.Deliver(large);

        // BouncyCastle sizes its read buffer by GetReceiveLimit() before each Receive call.
        transport.GetReceiveLimit().Should().Be(5000);
        var buffer = new byte[transport.GetReceiveLimit()];
        transport.Receive(buffer, 0, buffer.Length, 0).Should().Be(1200);
        buffer.AsSpan(0, 1200).ToArray().Should().Equal(small);
        transport.Receive(buffer, 0, buffer.Length, 0).Should().Be(5000);
        buffer.Should().Equal(large);

        transport.Deliver(small);
        transport.GetReceiveLimit().Should().Be(5000, "the limit never shrinks under a datagram already queued");
    }
}
