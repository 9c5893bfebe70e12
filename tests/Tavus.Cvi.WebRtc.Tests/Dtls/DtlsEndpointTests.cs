using Tavus.Cvi.WebRtc.Dtls;
using Tavus.Cvi.WebRtc.Peer;

namespace Tavus.Cvi.WebRtc.Tests.Dtls;

public class DtlsEndpointTests
{
    private static readonly RtcCertificate CertA = RtcCertificate.Generate();
    private static readonly RtcCertificate CertB = RtcCertificate.Generate();

    /// <summary>Shuttles datagrams between two endpoints until <paramref name="done"/> holds or the timeout passes.</summary>
    private static async Task<(List<DtlsEvent> A, List<DtlsEvent> B)> PumpAsync(DtlsEndpoint a, DtlsEndpoint b, SemaphoreSlim wake, Func<List<DtlsEvent>, List<DtlsEvent>, bool> done, Action<List<DtlsEvent>, List<DtlsEvent>>? step = null)
    {
        var ea = new List<DtlsEvent>();
        var eb = new List<DtlsEvent>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!done(ea, eb))
        {
            while (a.TryPollTransmit(out var d)) { b.HandleDatagram(d!); }
            while (b.TryPollTransmit(out var d)) { a.HandleDatagram(d!); }
            a.ReceivePending();
            b.ReceivePending();
            while (a.TryPollEvent(out var e)) { ea.Add(e!); }
            while (b.TryPollEvent(out var e)) { eb.Add(e!); }
            step?.Invoke(ea, eb);
            if (done(ea, eb)) { break; }
            await wake.WaitAsync(TimeSpan.FromMilliseconds(200), timeout.Token);
        }

        return (ea, eb);
    }

    [Fact]
    public async Task Handshake_with_mutual_fingerprints_then_data_both_ways()
    {
        using var wake = new SemaphoreSlim(0);
        using var client = new DtlsEndpoint(DtlsRole.Client, CertA, CertB.Fingerprint, () => wake.Release());
        using var server = new DtlsEndpoint(DtlsRole.Server, CertB, CertA.Fingerprint, () => wake.Release());
        server.Start();
        client.Start();
        bool sent = false;
        var (ea, eb) = await PumpAsync(client, server, wake,
            (ea, eb) => ea.OfType<DtlsEvent.Data>().Any() && eb.OfType<DtlsEvent.Data>().Any(),
            (ea, eb) =>
            {
                if (!sent && ea.OfType<DtlsEvent.Connected>().Any() && eb.OfType<DtlsEvent.Connected>().Any())
                {
                    sent = true;
                    client.Send(new byte[1163]).Should().BeTrue();
                    server.Send("pong"u8).Should().BeTrue();
                }
            });
        ea.OfType<DtlsEvent.Connected>().Single().MaxApplicationData.Should().BeGreaterThanOrEqualTo(1163);
        eb.OfType<DtlsEvent.Data>().Single().Payload.Should().HaveCount(1163);
        ea.OfType<DtlsEvent.Data>().Single().Payload.Should().Equal("pong"u8.ToArray());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_certificate_that_does_not_match_the_sdp_fingerprint_aborts(bool clientPinsWrong)
    {
        using var wake = new SemaphoreSlim(0);
        var other = RtcCertificate.Generate().Fingerprint;
        using var client = new DtlsEndpoint(DtlsRole.Client, CertA, clientPinsWrong ? other : CertB.Fingerprint, () => wake.Release());
        using var server = new DtlsEndpoint(DtlsRole.Server, CertB, clientPinsWrong ? CertA.Fingerprint : other, () => wake.Release());
        server.Start();
        client.Start();
        var (ea, eb) = await PumpAsync(client, server, wake, (ea, eb) => ea.OfType<DtlsEvent.Failed>().Any() && eb.OfType<DtlsEvent.Failed>().Any());
        (clientPinsWrong ? ea : eb).OfType<DtlsEvent.Connected>().Should().BeEmpty();
    }

    [Fact]
    public async Task A_prepared_client_sends_nothing_until_started_then_completes_the_handshake()
    {
        using var wake = new SemaphoreSlim(0);
        using var client = new DtlsEndpoint(DtlsRole.Client, CertA, CertB.Fingerprint, () => wake.Release());
        using var server = new DtlsEndpoint(DtlsRole.Server, CertB, CertA.Fingerprint, () => wake.Release());
        client.Prepare();
        server.Start();
        client.IsStarted.Should().BeFalse();
        client.TryPollTransmit(out _).Should().BeFalse();

        client.Start();
        var (ea, eb) = await PumpAsync(client, server, wake, (ea, eb) => ea.OfType<DtlsEvent.Connected>().Any() && eb.OfType<DtlsEvent.Connected>().Any());
        ea.OfType<DtlsEvent.Failed>().Should().BeEmpty();
        eb.OfType<DtlsEvent.Failed>().Should().BeEmpty();
    }

    [Fact]
    public void A_prepared_client_closed_before_starting_ends_its_thread_without_events()
    {
        var client = new DtlsEndpoint(DtlsRole.Client, CertA, CertB.Fingerprint, () => { });
        client.Prepare();
        client.Dispose();
        client.TryPollEvent(out _).Should().BeFalse();
        client.TryPollTransmit(out _).Should().BeFalse();
    }

    [Fact]
    public void Fingerprint_is_uppercase_sha256_hex_pairs()
    {
        CertA.Fingerprint.Should().MatchRegex("^([0-9A-F]{2}:){31}[0-9A-F]{2}$");
        CertA.Fingerprint.Should().NotBe(CertB.Fingerprint);
    }
}
