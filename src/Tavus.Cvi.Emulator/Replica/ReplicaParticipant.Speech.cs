using System.Text;
using System.Threading.Channels;
using Tavus.Cvi.Emulator.Faults;
using Tavus.Cvi.Interactions.Protocol;

namespace Tavus.Cvi.Emulator.Replica;

/// <summary>
/// Speaking: one speech at a time from a queue, streamed as Tavus does (tavus-protocol.md §B.1–§B.4): PAL events
/// (<c>role:"pal"</c>) and their legacy duplicates (<c>role:"replica"</c>, <c>conversation.replica.*</c>), every
/// event with <c>seq</c>, <c>turn_idx</c>, <c>inference_id</c> and <c>timestamp</c>.
/// </summary>
internal sealed partial class ReplicaParticipant
{
    private readonly Channel<SpeechRequest> _speech = Channel.CreateUnbounded<SpeechRequest>(new UnboundedChannelOptions { SingleReader = true });
    private readonly object _emitGate = new();
    private readonly object _speakingGate = new();
    private CurrentSpeech? _current;
    private long _seq;
    private long _generation;

    private void EnqueueSpeech(SpeechRequest request) =>
        _speech.Writer.TryWrite(request with { Generation = Interlocked.Read(ref _generation) });

    private async Task SpeakerLoopAsync(CancellationToken ct)
    {
        await foreach (SpeechRequest request in _speech.Reader.ReadAllAsync(ct).ConfigureAwait(false))
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            var current = new CurrentSpeech(request, cts);
            lock (_speakingGate)
            {
                // Queued before the last interrupt: dropped unheard (the greeting is not interruptible).
                if (request.Interruptible && request.Generation < _generation)
                {
                    continue;
                }

                _current = current;
            }

            try
            {
                await SpeakAsync(current, cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                // Cancelled while still "thinking": nothing was said, so there is nothing to report as interrupted.
                if (current.Started)
                {
                    EmitInterrupted(current);
                }
            }
            finally
            {
                lock (_speakingGate)
                {
                    _current = null;
                }

                current.Stopped.TrySetResult();
            }
        }
    }

    /// <summary>
    /// <c>conversation.interrupt</c> (§A.3): stops the current speech (unless it is the greeting) with the interrupted
    /// flags, drops queued speech and half-assembled echoes, and returns once the interrupted events are out.
    /// </summary>
    private async Task InterruptAsync()
    {
        CurrentSpeech? current;
        lock (_speakingGate)
        {
            _generation++;
            current = _current;
        }

        _echoes.Clear();
        if (current is null || !current.Request.Interruptible)
        {
            return;
        }

        await current.Cancellation.CancelAsync().ConfigureAwait(false);
        await current.Stopped.Task.ConfigureAwait(false);
    }

    private async Task SpeakAsync(CurrentSpeech speech, CancellationToken ct)
    {
        SpeechRequest r = speech.Request;
        ScenarioTimings timings = _state.Scenario.Timings;
        await DelayAsync(r.Delay, ct).ConfigureAwait(false);
        speech.Started = true;
        Emit(
        [
            new StartedSpeakingEvent { Role = ParticipantRole.Pal },
            new StartedSpeakingEvent { Role = ParticipantRole.Replica },
            new ReplicaStartedSpeakingEvent(),
        ], r.InferenceId, r.Turn);

        double duration;
        if (r.Text is null)
        {
            // Echoed audio: its length is known from the PCM; "playing" it takes one chunk interval.
            duration = r.AudioSeconds;
            speech.SpokenSeconds = duration;
            await DelayAsync(timings.ChunkInterval, ct).ConfigureAwait(false);
        }
        else
        {
            string[] words = r.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            int perChunk = Math.Max(1, timings.WordsPerChunk);
            int index = 0;
            for (int end = Math.Min(perChunk, words.Length); end < words.Length; end = Math.Min(end + perChunk, words.Length))
            {
                await DelayAsync(timings.ChunkInterval, ct).ConfigureAwait(false);
                speech.SpokenWords = end;
                string soFar = string.Join(' ', words, 0, end);
                Emit(
                [
                    new StreamingUtteranceEvent { Role = ParticipantRole.Pal, Speech = soFar, ContentIndex = index, IsFinal = false },
                    new StreamingUtteranceEvent { Role = ParticipantRole.Replica, Speech = soFar, ContentIndex = index, IsFinal = false },
                ], r.InferenceId, r.Turn);
                index++;
            }

            await DelayAsync(timings.ChunkInterval, ct).ConfigureAwait(false);
            speech.SpokenWords = words.Length;
            duration = SecondsFor(words.Length);
            Emit(
            [
                new StreamingUtteranceEvent { Role = ParticipantRole.Pal, Speech = r.Text, ContentIndex = index, IsFinal = true },
                new StreamingUtteranceEvent { Role = ParticipantRole.Replica, Speech = r.Text, ContentIndex = index, IsFinal = true },
            ], r.InferenceId, r.Turn);
            Emit(
            [
                new UtteranceEvent { Role = ParticipantRole.Pal, Speech = r.Text },
                new UtteranceEvent { Role = ParticipantRole.Replica, Speech = r.Text },
            ], r.InferenceId, r.Turn);
            _conversation.AddTranscript("assistant", r.Text);
        }

        Emit(
        [
            new StoppedSpeakingEvent { Role = ParticipantRole.Pal, Interrupted = false, Duration = duration },
            new StoppedSpeakingEvent { Role = ParticipantRole.Replica, Interrupted = false, Duration = duration },
            new ReplicaStoppedSpeakingEvent { Interrupted = false, Duration = duration },
        ], r.InferenceId, r.Turn);
    }

    private void EmitInterrupted(CurrentSpeech speech)
    {
        SpeechRequest r = speech.Request;
        double duration;
        if (r.Text is not null)
        {
            string[] words = r.Text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            string spoken = string.Join(' ', words, 0, Math.Min(speech.SpokenWords, words.Length));
            duration = SecondsFor(speech.SpokenWords);

            // The final streaming message has only the words actually spoken; the utterance has the whole
            // response with interrupted:true (§B.1, §B.2).
            Emit(
            [
                new StreamingUtteranceEvent { Role = ParticipantRole.Pal, Speech = spoken, ContentIndex = speech.SpokenWords, IsFinal = true, IsInterrupted = true },
                new StreamingUtteranceEvent { Role = ParticipantRole.Replica, Speech = spoken, ContentIndex = speech.SpokenWords, IsFinal = true, IsInterrupted = true },
            ], r.InferenceId, r.Turn);
            Emit(
            [
                new UtteranceEvent { Role = ParticipantRole.Pal, Speech = r.Text, Interrupted = true },
                new UtteranceEvent { Role = ParticipantRole.Replica, Speech = r.Text, Interrupted = true },
            ], r.InferenceId, r.Turn);
            _conversation.AddTranscript("assistant", spoken);
        }
        else
        {
            duration = speech.SpokenSeconds;
        }

        Emit(
        [
            new StoppedSpeakingEvent { Role = ParticipantRole.Pal, Interrupted = true, Duration = duration },
            new StoppedSpeakingEvent { Role = ParticipantRole.Replica, Interrupted = true, Duration = duration },
            new ReplicaStoppedSpeakingEvent { Interrupted = true, Duration = duration },
            new ReplicaInterruptedEvent(),
        ], r.InferenceId, r.Turn);
    }

    private double SecondsFor(int words) => Math.Round(words / Math.Max(0.1, _state.Scenario.Timings.WordsPerSecond), 3);

    /// <summary>
    /// Stamps the envelope (<c>seq</c> under one lock so it is monotonic across both loops) and relays a burst of
    /// events; the duplicate and reorder faults act on the burst.
    /// </summary>
    private void Emit(IReadOnlyList<CviEvent> events, string? inferenceId = null, int? turn = null)
    {
        FaultView faults = _state.Faults(_conversation.Id);
        lock (_emitGate)
        {
            var encoded = new List<byte[]>(events.Count * 2);
            foreach (CviEvent e in events)
            {
                CviEvent stamped = Stamp(e, inferenceId, turn);
                byte[] bytes = CviJson.EncodeEvent(stamped);
                encoded.Add(bytes);
                if (faults.DuplicateEvents)
                {
                    encoded.Add(bytes);
                }
            }

            if (faults.ReorderEvents)
            {
                // Swap neighbours (whole duplicate pairs when duplicating too): the client must sort by seq.
                int step = faults.DuplicateEvents ? 2 : 1;
                for (int i = 0; i + (2 * step) <= encoded.Count; i += 2 * step)
                {
                    for (int k = 0; k < step; k++)
                    {
                        (encoded[i + k], encoded[i + step + k]) = (encoded[i + step + k], encoded[i + k]);
                    }
                }
            }

            foreach (byte[] bytes in encoded)
            {
                _messaging?.Broadcast(bytes);
            }
        }
    }

    private CviEvent Stamp(CviEvent e, string? inferenceId, int? turn)
    {
        long seq = ++_seq;
        DateTimeOffset now = _state.Time.GetUtcNow();
        return e with
        {
            ConversationId = _conversation.Id,
            InferenceId = e is ReplicaJoinedEvent ? null : inferenceId,
            Seq = seq,
            TurnIndex = turn,
            Timestamp = now,
        };
    }

    private sealed class CurrentSpeech(SpeechRequest request, CancellationTokenSource cancellation)
    {
        public SpeechRequest Request { get; } = request;

        public CancellationTokenSource Cancellation { get; } = cancellation;

        public TaskCompletionSource Stopped { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public bool Started { get; set; }

        public int SpokenWords { get; set; }

        public double SpokenSeconds { get; set; }
    }
}
