using Tavus.Cvi.WebRtc.Dtls;
using Tavus.Cvi.WebRtc.Peer;

namespace Tavus.Cvi.WebRtc.Tests.Dtls;

public class DtlsEndpointCloseTests
{
    private static readonly RtcCertificate Certificate = RtcCertificate.Generate();

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public async Task Closing_during_the_handshake_ends_the_dtls_thread_with_a_closed_event(bool client, bool lockstep)
    {
        DtlsRole role = client ? DtlsRole.Client : DtlsRole.Server;
        // Before the fix the transport reported the close as a timeout; BouncyCastle retransmitted and read again, and
        // the thread spun forever without an event.
        using var wake = new SemaphoreSlim(0);
        using var endpoint = new DtlsEndpoint(role, Certificate, Certificate.Fingerprint, () => wake.Release(), lockstep: lockstep);
        endpoint.Start();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        if (client)
        {
            // The ClientHello is out: the handshake runs and BouncyCastle reads (a server in lockstep is already there).
            byte[]? hello;
            while (!endpoint.TryPollTransmit(out hello))
            {
                await wake.WaitAsync(timeout.Token);
            }

            hello![0].Should().Be(22);
        }

        endpoint.Close();
        var events = new List<DtlsEvent>();
        while (!events.OfType<DtlsEvent.Closed>().Any())
        {
            while (endpoint.TryPollEvent(out DtlsEvent? e))
            {
                events.Add(e!);
            }

            if (!events.OfType<DtlsEvent.Closed>().Any())
            {
                await wake.WaitAsync(timeout.Token);
            }
        }

        events.Should().NotContain(e => e is DtlsEvent.Connected || e is DtlsEvent.Failed);
    }
}
