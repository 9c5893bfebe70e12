using Tavus.Cvi.WebRtc.Peer;
using Tavus.Cvi.WebRtc.Tests.Simulation;

namespace Tavus.Cvi.WebRtc.Tests.Peer;

public class ScratchDiag
{
    [Fact]
    public void Diag()
    {
        using var pair = new PeerPair(2, NetworkConditions.Lossy());
        var lines = new List<string>();
        var old = pair.Network.Tap;
        pair.Network.Tap = (from, d) => { old!(from, d); var t = pair.Trace[^1]; lines.Add($"{t.At.TotalMilliseconds,8:F1} {from} {t.Kind:X4} {t.Length} hs={(d.Length > 13 ? d[13] : 0)} seq={(d.Length > 10 ? d[10] : 0)}"); };
        pair.Offerer.Arrived = (d, now) => { if (d[0] != 0 && d[0] != 1) lines.Add($"   -> 0 at {now.TotalMilliseconds,8:F1} {d[0]:X2} {d.Length} hs={(d.Length > 13 ? d[13] : 0)} seq={d[10]} dl={pair.Offerer.Core.NextDeadline}"); };
        pair.Answerer.Arrived = (d, now) => { if (d[0] != 0 && d[0] != 1) lines.Add($"   -> 1 at {now.TotalMilliseconds,8:F1} {d[0]:X2} {d.Length} hs={(d.Length > 13 ? d[13] : 0)} seq={d[10]}"); };
        pair.Exchange();
        pair.Network.RunUntil(() => pair.Offerer.State == RtcPeerConnectionState.Connected && pair.Answerer.State == RtcPeerConnectionState.Connected, TimeSpan.FromSeconds(20));
        lines.Add($"states {pair.Offerer.State} {pair.Answerer.State} {pair.Offerer.Core.NextDeadline} {pair.Answerer.Core.NextDeadline}");
        File.WriteAllLines("/tmp/rtcsim-diag.txt", lines);
    }
}
