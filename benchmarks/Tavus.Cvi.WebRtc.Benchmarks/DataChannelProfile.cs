using System.Diagnostics;
using System.Globalization;
using Tavus.Cvi.WebRtc.Peer;

namespace Tavus.Cvi.WebRtc.Benchmarks;

/// <summary>
/// Where the time goes in ours ↔ ours bulk transfer: per-thread CPU (from /proc), loop wake-ups and datagrams per
/// side, SCTP counters, socket receive-buffer drops and managed allocations. Benchmark-only; Linux for the /proc parts.
/// <c>datachannel-profile --bytes 16777216 --size 16384 --runs 3</c>; add <c>--from wrtc</c> (or <c>ndc</c>) to profile
/// a native stack sending to our peer instead.
/// </summary>
internal static class DataChannelProfile
{
    public static async Task<int> RunAsync(string[] args)
    {
        long bulk = Option(args, "--bytes", 16L * 1024 * 1024);
        int size = (int)Option(args, "--size", 16 * 1024);
        int runs = (int)Option(args, "--runs", 3);
        int from = Array.IndexOf(args, "--from");
        if (from >= 0 && from + 1 < args.Length)
        {
            return await FromNodeAsync(args[from + 1], bulk, size, runs);
        }

        var config = new RtcConfiguration { IncludeInterfaceCandidates = false, SendBufferHighWaterMark = 1024 * 1024 };
        await using var a = new RtcPeerConnection(config);
        await using var b = new RtcPeerConnection(config);
        var remote = new TaskCompletionSource<RtcDataChannel>(TaskCreationOptions.RunContinuationsAsynchronously);
        b.DataChannelReceived += (_, e) => remote.TrySetResult(e.Channel);
        var ca = a.CreateDataChannel("profile");
        await b.SetRemoteDescriptionAsync(await a.CreateOfferAsync());
        await a.SetRemoteDescriptionAsync(await b.CreateAnswerAsync());
        var cb = await remote.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await Task.WhenAll(ca.WaitUntilOpenAsync(), cb.WaitUntilOpenAsync()).WaitAsync(TimeSpan.FromSeconds(30));

        for (int run = -1; run < runs; run++)
        {
            var threads = ThreadTimes();
            long drops = UdpReceiveBufferErrors();
            long allocated = GC.GetTotalAllocatedBytes(precise: false);
            int gen0 = GC.CollectionCount(0), gen1 = GC.CollectionCount(1), gen2 = GC.CollectionCount(2);
            var (sa, sb) = (Counters(a), Counters(b));
            var statsA = a.Internals.Core!.Sctp!.Statistics;
            var statsB = b.Internals.Core!.Sctp!.Statistics;

            long received = 0;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            EventHandler<RtcDataChannelMessageEventArgs> count = (_, e) =>
            {
                if ((received += e.Message.Data.Length) >= bulk)
                {
                    done.TrySetResult();
                }
            };
            cb.MessageReceived += count;
            var chunk = new byte[size];
            long start = Stopwatch.GetTimestamp();
            for (long sent = 0; sent < bulk; sent += size)
            {
                await ca.SendAsync(chunk);
            }

            await done.Task.WaitAsync(TimeSpan.FromMinutes(5));
            var elapsed = Stopwatch.GetElapsedTime(start);
            cb.MessageReceived -= count;
            if (run < 0)
            {
                continue;
            }

            var (ea, eb) = (Counters(a), Counters(b));
            var endA = a.Internals.Core!.Sctp!.Statistics;
            var endB = b.Internals.Core!.Sctp!.Statistics;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"run {run + 1}: {bulk / 1e6 / elapsed.TotalSeconds:F1} MB/s in {elapsed.TotalMilliseconds:F0} ms, {size} B messages; load {File.ReadAllText("/proc/loadavg").Trim()}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  sender  : loop turns {ea.LoopTurns - sa.LoopTurns}, datagrams in {ea.DatagramsIn - sa.DatagramsIn}, out {ea.DatagramsOut - sa.DatagramsOut}; sctp sent {endA.PacketsSent - statsA.PacketsSent}, rtx {endA.Retransmissions - statsA.Retransmissions} (fast {endA.FastRetransmissions - statsA.FastRetransmissions}, T3 {endA.RetransmissionTimeouts - statsA.RetransmissionTimeouts}), cwnd {endA.CongestionWindow}, srtt {endA.SmoothedRoundTripTime?.TotalMilliseconds:F2} ms"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  receiver: loop turns {eb.LoopTurns - sb.LoopTurns}, datagrams in {eb.DatagramsIn - sb.DatagramsIn}, out {eb.DatagramsOut - sb.DatagramsOut}; sctp received {endB.PacketsReceived - statsB.PacketsReceived}, sent {endB.PacketsSent - statsB.PacketsSent}, dropped {endB.PacketsDropped - statsB.PacketsDropped}"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  UDP receive-buffer drops {UdpReceiveBufferErrors() - drops}; allocated {(GC.GetTotalAllocatedBytes(precise: false) - allocated) / 1e6:F1} MB; GCs {GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2}"));
            var after = ThreadTimes();
            var cpu = new Dictionary<string, (double Ms, long Switches)>();
            foreach (var (tid, (name, ms, switches)) in after)
            {
                threads.TryGetValue(tid, out var before);
                var (dMs, dSwitches) = (ms - before.Ms, switches - before.Switches);
                if (dMs > 0 || dSwitches > 0)
                {
                    // The stack's own threads one by one (sender and receiver apart), the runtime's summed by name.
                    string key = name.StartsWith("WebRtc", StringComparison.Ordinal) ? $"{name}#{tid}" : name;
                    var sum = cpu.GetValueOrDefault(key);
                    cpu[key] = (sum.Ms + dMs, sum.Switches + dSwitches);
                }
            }

            Console.WriteLine("  CPU ms / voluntary context switches by thread name: " + string.Join(", ", cpu.OrderByDescending(kv => kv.Value.Ms).Select(kv => string.Create(CultureInfo.InvariantCulture, $"{kv.Key} {kv.Value.Ms:F0}/{kv.Value.Switches}"))));
        }

        return 0;
    }

    /// <summary>
    /// The reverse direction: a native stack (<c>wrtc</c> or <c>ndc</c>) sends, our peer receives and acknowledges,
    /// which is where our SACK policy meets a congestion controller we did not write.
    /// </summary>
    private static async Task<int> FromNodeAsync(string stack, long bulk, int size, int runs)
    {
        await using var node = await NodeStack.StartPeerAsync(stack);
        await using var ours = new RtcPeerConnection(new RtcConfiguration { IncludeInterfaceCandidates = false });
        var channel = ours.CreateDataChannel("profile");
        await node.SendAsync(new { cmd = "answer", sdp = (await ours.CreateOfferAsync()).Sdp, channels = Array.Empty<object>() });
        var answer = await node.WaitForAsync("answer");
        await ours.SetRemoteDescriptionAsync(new RtcSessionDescription(RtcSdpType.Answer, (string)answer["sdp"]!));
        await channel.WaitUntilOpenAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await node.WaitForAsync("channel");

        for (int run = -1; run < runs; run++)
        {
            long received = 0;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            EventHandler<RtcDataChannelMessageEventArgs> count = (_, e) =>
            {
                if ((received += e.Message.Data.Length) >= bulk)
                {
                    done.TrySetResult();
                }
            };
            channel.MessageReceived += count;
            var before = ours.Internals.Driver!.Counters;
            long start = Stopwatch.GetTimestamp();
            for (long sent = 0; sent < bulk; sent += size)
            {
                await node.SendAsync(new { cmd = "send", label = "profile", size, binary = true });
            }

            await done.Task.WaitAsync(TimeSpan.FromMinutes(5));
            var elapsed = Stopwatch.GetElapsedTime(start);
            channel.MessageReceived -= count;
            var after = ours.Internals.Driver!.Counters;
            if (run >= 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"run {run + 1}: {stack} → ours {bulk / 1e6 / elapsed.TotalSeconds:F1} MB/s in {elapsed.TotalMilliseconds:F0} ms, {size} B messages; our datagrams in {after.DatagramsIn - before.DatagramsIn}, out {after.DatagramsOut - before.DatagramsOut}, loop turns {after.LoopTurns - before.LoopTurns}; load {File.ReadAllText("/proc/loadavg").Trim()}"));
            }
        }

        return 0;
    }

    private static (long LoopTurns, long DatagramsIn, long DatagramsOut) Counters(RtcPeerConnection peer) => peer.Internals.Driver!.Counters;

    private static long Option(string[] args, string name, long fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? long.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    /// <summary>utime + stime of each thread of this process, in ms, with its (15-character) name.</summary>
    private static Dictionary<int, (string Name, double Ms, long Switches)> ThreadTimes()
    {
        var result = new Dictionary<int, (string, double, long)>();
        if (!Directory.Exists("/proc/self/task"))
        {
            return result;
        }

        foreach (string dir in Directory.GetDirectories("/proc/self/task"))
        {
            try
            {
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                double ticks = double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture);
                string name = File.ReadAllText(Path.Combine(dir, "comm")).Trim();
                long switches = 0;
                foreach (string line in File.ReadLines(Path.Combine(dir, "status")))
                {
                    if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal))
                    {
                        switches = long.Parse(line[(line.IndexOf(':') + 1)..].Trim(), CultureInfo.InvariantCulture);
                    }
                }

                result[int.Parse(Path.GetFileName(dir), CultureInfo.InvariantCulture)] = (name, ticks * 10, switches);
            }
            catch (IOException)
            {
                // The thread ended between listing and reading.
            }
        }

        return result;
    }

    private static long UdpReceiveBufferErrors()
    {
        if (!File.Exists("/proc/net/snmp"))
        {
            return 0;
        }

        string[] lines = File.ReadAllLines("/proc/net/snmp");
        for (int i = 0; i + 1 < lines.Length; i++)
        {
            if (lines[i].StartsWith("Udp: ", StringComparison.Ordinal) && lines[i + 1].StartsWith("Udp: ", StringComparison.Ordinal))
            {
                int column = Array.IndexOf(lines[i].Split(' '), "RcvbufErrors");
                return long.Parse(lines[i + 1].Split(' ')[column], CultureInfo.InvariantCulture);
            }
        }

        return 0;
    }
}
