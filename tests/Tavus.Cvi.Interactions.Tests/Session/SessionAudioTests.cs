using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading.Channels;
using Tavus.Cvi.Interactions.Protocol;
using Tavus.Cvi.Interactions.Session;
using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.Interactions.Tests.Session;

public class SessionAudioTests
{
    private sealed record Chunk(string InferenceId, int SampleRate, bool Done, byte[] Pcm, int WireLength);

    private static Chunk Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        root.GetProperty("event_type").GetString().Should().Be("conversation.echo");
        root.GetProperty("conversation_id").GetString().Should().Be(SessionHarness.ConversationId);
        var p = root.GetProperty("properties");
        p.GetProperty("modality").GetString().Should().Be("audio");
        return new Chunk(
            p.GetProperty("inference_id").GetString()!,
            p.GetProperty("sample_rate").GetInt32(),
            p.GetProperty("done").GetBoolean(),
            Convert.FromBase64String(p.GetProperty("audio").GetString()!),
            json.Length);
    }

    private static byte[] Ramp(int bytes)
    {
        var pcm = new byte[bytes];
        for (int i = 0; i < bytes; i++) pcm[i] = (byte)(i * 7 + (i >> 8));
        return pcm;
    }

    private static List<Chunk> Echoes(SessionHarness h) =>
        h.SentByClient().Where(m => m.Contains("conversation.echo", StringComparison.Ordinal)).Select(Parse).ToList();

    [Fact]
    public async Task One_second_at_24_khz_is_ten_100_ms_chunks_under_one_inference_id_with_done_on_the_last()
    {
        await using var h = await SessionHarness.StartAsync(maxMessageSize: 64 * 1024);
        var pcm = Ramp(48_000);

        var result = await h.Session.EchoAudioAsync(pcm).Within();

        var chunks = Echoes(h);
        chunks.Should().HaveCount(10);
        chunks.Should().OnlyContain(c => c.Pcm.Length == 4_800 && c.SampleRate == 24_000);
        chunks.Select(c => c.InferenceId).Distinct().Should().ContainSingle().Which.Should().Be(result.InferenceId);
        chunks.Select(c => c.Done).Should().Equal(Enumerable.Repeat(false, 9).Append(true));
        chunks.SelectMany(c => c.Pcm).Should().Equal(pcm, "the last data chunk carries done; no silence is added");
        result.Should().Be(new EchoAudioResult(result.InferenceId, 10, 48_000, TimeSpan.FromSeconds(1), Interrupted: false));
    }

    [Fact]
    public async Task Chunks_shrink_to_fit_dailys_4096_limit_and_never_split_a_sample()
    {
        await using var h = await SessionHarness.StartAsync(); // 4096 UTF-16 code units, Daily's default
        var pcm = Ramp(10_002); // not a multiple of the chunk size

        var result = await h.Session.EchoAudioAsync(pcm, sampleRate: 16_000).Within();

        var chunks = Echoes(h);
        chunks.Should().OnlyContain(c => c.WireLength <= 4096 && c.Pcm.Length % 2 == 0 && c.SampleRate == 16_000);
        chunks.Take(chunks.Count - 1).Select(c => c.Pcm.Length).Distinct().Should().ContainSingle()
            .Which.Should().BeLessThan(3_200, "100 ms at 16 kHz (3200 bytes) would not fit once base64-encoded");
        chunks.SelectMany(c => c.Pcm).Should().Equal(pcm);
        chunks.Count(c => c.Done).Should().Be(1);
        chunks[^1].Done.Should().BeTrue();
        result.ChunksSent.Should().Be(chunks.Count);
    }

    [Fact]
    public async Task A_stream_ending_on_a_chunk_boundary_ends_with_40_ms_of_silence_marked_done()
    {
        await using var h = await SessionHarness.StartAsync(maxMessageSize: 64 * 1024);
        var pcm = Ramp(9_600); // exactly two 100 ms chunks at 24 kHz

        await h.Session.EchoAudioAsync(new MemoryStream(pcm)).Within();

        var chunks = Echoes(h);
        chunks.Select(c => (c.Pcm.Length, c.Done)).Should().Equal((4_800, false), (4_800, false), (1_920, true));
        chunks[^1].Pcm.Should().OnlyContain(b => b == 0);
        chunks.Take(2).SelectMany(c => c.Pcm).Should().Equal(pcm);
    }

    [Fact]
    public async Task A_live_source_with_odd_pieces_is_reassembled_on_sample_boundaries()
    {
        await using var h = await SessionHarness.StartAsync(maxMessageSize: 64 * 1024);
        var pcm = Ramp(12_345 * 2 + 1); // ends inside a sample: the stray byte is dropped

        var result = await h.Session.StreamAudioAsync(Pieces(pcm, 333)).Within();

        var chunks = Echoes(h);
        chunks.Should().OnlyContain(c => c.Pcm.Length % 2 == 0 && c.Pcm.Length <= 4_800);
        chunks.SelectMany(c => c.Pcm).Should().Equal(pcm.Take(pcm.Length - 1));
        chunks.Select(c => c.Done).Should().Equal(Enumerable.Repeat(false, chunks.Count - 1).Append(true));
        result.PcmBytesSent.Should().Be(pcm.Length - 1);
    }

    private static async IAsyncEnumerable<ReadOnlyMemory<byte>> Pieces(byte[] pcm, int size)
    {
        var reused = new byte[size];
        for (int offset = 0; offset < pcm.Length; offset += size)
        {
            int n = Math.Min(size, pcm.Length - offset);
            pcm.AsSpan(offset, n).CopyTo(reused);
            await Task.Yield();
            yield return reused.AsMemory(0, n);
        }
    }

    [Fact]
    public async Task Empty_audio_is_one_silent_chunk_marked_done()
    {
        await using var h = await SessionHarness.StartAsync();
        await h.Session.EchoAudioAsync(ReadOnlyMemory<byte>.Empty).Within();
        var chunk = Echoes(h).Should().ContainSingle().Which;
        chunk.Done.Should().BeTrue();
        chunk.Pcm.Length.Should().Be(1_920);
    }

    [Fact]
    public async Task Odd_length_pcm_is_refused()
    {
        await using var h = await SessionHarness.StartAsync();
        var act = () => h.Session.EchoAudioAsync(new byte[3]);
        await act.Should().ThrowAsync<ArgumentException>();
    }

    [Fact]
    public async Task Interrupt_stops_the_stream_in_flight_and_the_queued_one_then_sends_the_interrupt()
    {
        await using var h = await SessionHarness.StartAsync(maxMessageSize: 64 * 1024);
        var live = Channel.CreateUnbounded<ReadOnlyMemory<byte>>();

        var first = h.Session.StreamAudioAsync(live.Reader.ReadAllAsync());
        await live.Writer.WriteAsync(Ramp(4_800));
        Parse(await h.NextSentAsync()).Done.Should().BeFalse("one full chunk is out");

        var queued = h.Session.EchoAudioAsync(Ramp(48_000));
        await h.Session.InterruptAsync();
        (await h.NextSentAsync()).Should().Be("""{"message_type":"conversation","event_type":"conversation.interrupt","conversation_id":"c123"}""");

        // More audio from the live source after the interrupt goes nowhere.
        await live.Writer.WriteAsync(Ramp(9_600));
        live.Writer.Complete();

        var r1 = await first.Within();
        var r2 = await queued.Within();
        r1.Interrupted.Should().BeTrue();
        r1.ChunksSent.Should().Be(1);
        r2.Interrupted.Should().BeTrue();
        r2.ChunksSent.Should().Be(0);
        h.SentByClient().Should().HaveCount(2, "nothing is sent after the interrupt");

        // A stream started after the interrupt plays normally.
        var after = await h.Session.EchoAudioAsync(Ramp(4_800)).Within();
        after.Interrupted.Should().BeFalse();
        after.ChunksSent.Should().Be(1);
    }

    [Fact]
    public async Task Streams_are_queued_one_after_another_and_never_interleave()
    {
        await using var h = await SessionHarness.StartAsync(maxMessageSize: 64 * 1024);
        var a = h.Session.EchoAudioAsync(Ramp(24_000));
        var b = h.Session.EchoAudioAsync(Ramp(24_000));
        var ra = await a.Within();
        var rb = await b.Within();

        var ids = Echoes(h).Select(c => c.InferenceId).ToList();
        ids.Should().HaveCount(10);
        ids.Distinct().Should().HaveCount(2);
        var firstId = ids[0];
        ids.Take(5).Should().OnlyContain(id => id == firstId);
        ids.Skip(5).Should().OnlyContain(id => id != firstId);
        new[] { ra.InferenceId, rb.InferenceId }.Should().Contain(firstId);
    }

    [Fact]
    public async Task Caller_cancellation_throws_and_stops_sending()
    {
        await using var h = await SessionHarness.StartAsync(maxMessageSize: 64 * 1024);
        var live = Channel.CreateUnbounded<ReadOnlyMemory<byte>>();
        using var cts = new CancellationTokenSource();
        var stream = h.Session.StreamAudioAsync(live.Reader.ReadAllAsync(), cancellationToken: cts.Token);
        await live.Writer.WriteAsync(Ramp(4_800));
        await h.NextSentAsync();
        await cts.CancelAsync();
        await FluentActions.Awaiting(() => stream.Within()).Should().ThrowAsync<OperationCanceledException>();
        h.SentByClient().Should().ContainSingle();
    }

    [Fact]
    public async Task A_limit_too_small_for_one_sample_is_refused_before_sending()
    {
        await using var h = await SessionHarness.StartAsync(maxMessageSize: 150);
        var act = () => h.Session.EchoAudioAsync(Ramp(100));
        await act.Should().ThrowAsync<CviMessageTooLargeException>();
        h.SentByClient().Should().BeEmpty();
    }
}
