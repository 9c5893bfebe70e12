using System.Buffers.Binary;
using Tavus.Cvi.WebRtc.Dtls;

namespace Tavus.Cvi.WebRtc.Tests.Dtls;

public class DtlsEarlyChangeCipherSpecGuardTests
{
    private const byte Handshake = 22;
    private const byte ChangeCipherSpec = 20;

    private static byte[] Record(byte type, int epoch, long sequence, int length = 8)
    {
        byte[] r = new byte[13 + length];
        r[0] = type;
        r[1] = 0xFE;
        r[2] = 0xFD;
        BinaryPrimitives.WriteUInt16BigEndian(r.AsSpan(3), (ushort)epoch);
        BinaryPrimitives.WriteUInt16BigEndian(r.AsSpan(5), (ushort)(sequence >> 32));
        BinaryPrimitives.WriteUInt32BigEndian(r.AsSpan(7), (uint)sequence);
        BinaryPrimitives.WriteUInt16BigEndian(r.AsSpan(11), (ushort)length);
        return r;
    }

    private static List<byte[]> Admit(DtlsEarlyChangeCipherSpecGuard guard, byte[] datagram)
    {
        var released = new List<byte[]>();
        guard.Admit(datagram, released);
        return released;
    }

    [Fact]
    public void A_change_cipher_spec_ahead_of_its_predecessor_waits_for_it_and_the_finished_waits_for_both()
    {
        var guard = new DtlsEarlyChangeCipherSpecGuard();
        byte[] certificate = Record(Handshake, 0, 2), keyExchange = Record(Handshake, 0, 3), verify = Record(Handshake, 0, 4);
        byte[] ccs = Record(ChangeCipherSpec, 0, 5, 1), finished = Record(Handshake, 1, 0);
        Admit(guard, certificate).Should().Equal([certificate]);
        Admit(guard, keyExchange).Should().Equal([keyExchange]);
        Admit(guard, ccs).Should().BeEmpty("record 4 (CertificateVerify) has not arrived");
        Admit(guard, finished).Should().BeEmpty("the ChangeCipherSpec has not passed");
        Admit(guard, verify).Should().Equal([verify, ccs, finished]);
        byte[] data = Record(23, 1, 1);
        Admit(guard, data).Should().Equal([data]);
    }

    [Fact]
    public void A_flight_in_one_datagram_and_in_order_datagrams_pass_untouched()
    {
        var guard = new DtlsEarlyChangeCipherSpecGuard();
        byte[] packed = [.. Record(Handshake, 0, 7), .. Record(ChangeCipherSpec, 0, 8, 1), .. Record(Handshake, 1, 0)];
        Admit(guard, packed).Should().Equal([packed]);

        var other = new DtlsEarlyChangeCipherSpecGuard();
        byte[] verify = Record(Handshake, 0, 4), ccs = Record(ChangeCipherSpec, 0, 5, 1), finished = Record(Handshake, 1, 0);
        Admit(other, verify).Should().Equal([verify]);
        Admit(other, ccs).Should().Equal([ccs]);
        Admit(other, finished).Should().Equal([finished]);
    }

    [Fact]
    public void A_retransmitted_change_cipher_spec_replaces_a_held_one_and_a_seen_one_counts_as_predecessor()
    {
        var guard = new DtlsEarlyChangeCipherSpecGuard();
        byte[] first = Record(ChangeCipherSpec, 0, 15, 1);
        Admit(guard, first).Should().BeEmpty();
        // The server's retransmitted ChangeCipherSpec follows its earlier one (no handshake record in between).
        byte[] again = Record(ChangeCipherSpec, 0, 16, 1);
        Admit(guard, again).Should().Equal([again]);
        Admit(guard, Record(Handshake, 0, 14)).Should().HaveCount(1, "the held one was superseded, not released late");
    }

    [Fact]
    public void Garbage_and_truncated_records_never_throw()
    {
        var guard = new DtlsEarlyChangeCipherSpecGuard();
        var random = new Random(5);
        for (int i = 0; i < 2000; i++)
        {
            byte[] d = new byte[random.Next(0, 40)];
            random.NextBytes(d);
            if (d.Length > 0 && i % 2 == 0)
            {
                d[0] = ChangeCipherSpec;
            }

            FluentActions.Invoking(() => Admit(guard, d)).Should().NotThrow();
        }
    }
}
