using System.Text.Encodings.Web;
using System.Text.Json;
using Tavus.Cvi.Emulator.Daily;
using Tavus.Cvi.Emulator.Diagnostics;
using Tavus.Cvi.Interactions.Protocol;

namespace Tavus.Cvi.Emulator.Replica;

/// <summary>How the replica answers each interaction (tavus-protocol.md §A, §C).</summary>
internal sealed partial class ReplicaParticipant
{
    private readonly Dictionary<string, PendingToolCall> _pendingTools = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EchoAssembly> _echoes = new(StringComparer.Ordinal);
    private string _context = string.Empty;
    private Sensitivity _pauseSensitivity = Sensitivity.Medium;
    private Sensitivity _interruptSensitivity = Sensitivity.Medium;
    private int _turn;

    private void OnJoined()
    {
        _context = _conversation.ConversationalContext ?? string.Empty;
        Emit([new ReplicaJoinedEvent { ConversationId = _conversation.Id, ReplicaId = _conversation.ReplicaId }]);

        // The greeting is spoken when the participant joins and is not interruptible (§D.2 custom_greeting).
        string? greeting = string.IsNullOrEmpty(_conversation.CustomGreeting) ? _state.Scenario.Greeting : _conversation.CustomGreeting;
        if (!string.IsNullOrWhiteSpace(greeting))
        {
            EnqueueSpeech(SpeechRequest.ForText(Render(greeting, string.Empty, null), NewInferenceId(), turn: 0, interruptible: false));
        }
    }

    private async Task HandleAsync(RelayedAppMessage message, CancellationToken ct)
    {
        if (_state.Faults(_conversation.Id).ReplicaUnresponsive)
        {
            Log.ReplicaIgnored(_state.ReplicaLogger, _conversation.Id, "unresponsive (fault)");
            return;
        }

        if (!CviJson.TryDecodeInteraction(message.Payload, out CviInteraction? interaction, out string? error))
        {
            Log.ReplicaIgnored(_state.ReplicaLogger, _conversation.Id, error ?? "not an interaction");
            return;
        }

        // Tavus acts only on interactions for its own conversation; an absent id is accepted (§0.1 makes it required,
        // but the replica is the only Tavus participant in the room, so there is no ambiguity).
        if (interaction!.ConversationId is { Length: > 0 } id && id != _conversation.Id)
        {
            Log.ReplicaIgnored(_state.ReplicaLogger, _conversation.Id, "conversation_id " + id + " is another conversation's");
            return;
        }

        Log.ReplicaHandles(_state.ReplicaLogger, _conversation.Id, interaction.EventType);
        switch (interaction)
        {
            case RespondInteraction respond when !string.IsNullOrEmpty(respond.Text):
                await RespondAsync(respond.Text, ct).ConfigureAwait(false);
                break;
            case EchoInteraction echo:
                HandleEcho(echo);
                break;
            case InterruptInteraction:
                await InterruptAsync().ConfigureAwait(false);
                break;
            case OverwriteContextInteraction overwrite when overwrite.Context is not null:
                _context = overwrite.Context;
                break;
            case AppendContextInteraction append when append.Context is not null:
                _context = _context.Length == 0 ? append.Context : _context + "\n" + append.Context;

                // Legacy tool answer (§C mechanism 2): context appended while a tool call waits is its result.
                if (TakeOldestPendingTool() is { } pendingForAppend)
                {
                    SpeakToolResult(pendingForAppend, append.Context, isError: false);
                }

                break;
            case SensitivityInteraction sensitivity:
                _pauseSensitivity = sensitivity.PauseSensitivity ?? _pauseSensitivity;
                _interruptSensitivity = sensitivity.InterruptSensitivity ?? _interruptSensitivity;
                break;
            case ToolResultInteraction result:
                HandleToolResult(result);
                break;
            default:
                Log.ReplicaIgnored(_state.ReplicaLogger, _conversation.Id, "no behaviour for " + interaction.EventType);
                break;
        }
    }

    /// <summary>
    /// <c>conversation.respond</c>: the text is the user's turn (§A.2). The replica reports the user's speech, then
    /// either calls a tool (and waits for its result) or replies after the pause-sensitivity-scaled delay.
    /// </summary>
    private async Task RespondAsync(string text, CancellationToken ct)
    {
        // A user turn while the replica talks is a barge-in.
        await InterruptAsync().ConfigureAwait(false);
        _pendingTools.Clear();
        int turn = ++_turn;
        string userInference = NewInferenceId();
        _conversation.AddTranscript("user", text);
        Emit(
        [
            new StartedSpeakingEvent { Role = ParticipantRole.User },
            new UserStartedSpeakingEvent(),
        ], userInference, turn);
        Emit(
        [
            new StoppedSpeakingEvent { Role = ParticipantRole.User, Interrupted = false },
            new UserStoppedSpeakingEvent(),
            new StreamingUtteranceEvent { Role = ParticipantRole.User, Speech = text, ContentIndex = 0, IsFinal = true },
            new UtteranceEvent { Role = ParticipantRole.User, Speech = text },
        ], userInference, turn);

        ScenarioTool? tool = _state.Scenario.Tools.FirstOrDefault(t => t.TriggerPhrases.Any(p => Contains(text, p)));
        if (tool is not null)
        {
            string toolCallId = "call_" + Guid.NewGuid().ToString("N")[..16];
            _pendingTools[toolCallId] = new PendingToolCall(toolCallId, tool, turn, text);
            Emit(
            [
                new ToolCallEvent
                {
                    ToolCallId = toolCallId,
                    Name = tool.Name,
                    // arguments is a JSON-encoded string on the wire (§B.5).
                    Arguments = JsonSerializer.SerializeToElement(RenderArguments(tool.ArgumentsTemplate, text), ReplicaJsonContext.Default.String),
                },
            ], userInference, turn);
            return;
        }

        EnqueueSpeech(SpeechRequest.ForText(ChooseReply(text), NewInferenceId(), turn, interruptible: true) with { Delay = ReplyDelay() });
    }

    private string ChooseReply(string text)
    {
        foreach (ScenarioReply reply in _state.Scenario.Replies)
        {
            if ((reply.When is null || Contains(text, reply.When)) && (reply.WhenContext is null || Contains(_context, reply.WhenContext)))
            {
                return Render(reply.Reply, text, null);
            }
        }

        return Render(_state.Scenario.FallbackReply, text, null);
    }

    /// <summary>
    /// <c>conversation.echo</c> (§A.1): text or base64 16-bit mono PCM, assembled by <c>inference_id</c> until
    /// <c>done</c>, then spoken verbatim; audio duration = samples / <c>sample_rate</c> (default 24 000).
    /// </summary>
    private void HandleEcho(EchoInteraction echo)
    {
        bool audio = echo.Modality == EchoModality.Audio || (echo.Modality is null && echo.Audio is not null);
        string key = echo.InferenceId ?? string.Empty;
        if (!_echoes.TryGetValue(key, out EchoAssembly? assembly))
        {
            assembly = new EchoAssembly(audio);
            _echoes[key] = assembly;
        }

        if (audio)
        {
            if (!echo.TryGetPcm(out byte[]? pcm))
            {
                Log.ReplicaIgnored(_state.ReplicaLogger, _conversation.Id, "echo audio that is not base64");
            }
            else
            {
                int rate = echo.SampleRate is > 0 ? echo.SampleRate.Value : EchoInteraction.DefaultSampleRate;
                assembly.Seconds += pcm.Length / 2 / (double)rate;
                assembly.Bytes += pcm.Length;
            }
        }
        else if (echo.Text is not null)
        {
            assembly.Text.Append(echo.Text);
        }

        // Without an inference_id there is nothing to assemble by: every chunk is a whole utterance.
        if (echo.Done != false || echo.InferenceId is null)
        {
            _echoes.Remove(key);
            string inference = echo.InferenceId ?? NewInferenceId();
            int turn = Math.Max(_turn, 0);
            EnqueueSpeech(assembly.IsAudio
                ? SpeechRequest.ForAudio(assembly.Seconds, inference, turn)
                : SpeechRequest.ForText(assembly.Text.ToString(), inference, turn, interruptible: true));

            // Legacy tool answer (§C mechanism 1): an echo while a tool call waits is the spoken result.
            TakeOldestPendingTool();
        }
    }

    private void HandleToolResult(ToolResultInteraction result)
    {
        if (result.ToolCallId is null || !_pendingTools.Remove(result.ToolCallId, out PendingToolCall? pending))
        {
            Log.ReplicaIgnored(_state.ReplicaLogger, _conversation.Id, "tool_result for an unknown tool_call_id");
            return;
        }

        string output = result.OutputText ?? (result.Output.ValueKind == JsonValueKind.Undefined ? string.Empty : result.Output.GetRawText());
        SpeakToolResult(pending, output, result.Status == ToolResultStatus.Error);
    }

    private void SpeakToolResult(PendingToolCall pending, string output, bool isError)
    {
        string template = isError ? pending.Tool.ErrorReply : pending.Tool.ResultReply;
        EnqueueSpeech(SpeechRequest.ForText(Render(template, pending.UserText, output), NewInferenceId(), pending.Turn, interruptible: true));
    }

    private PendingToolCall? TakeOldestPendingTool()
    {
        PendingToolCall? oldest = _pendingTools.Values.FirstOrDefault();
        if (oldest is not null)
        {
            _pendingTools.Remove(oldest.ToolCallId);
        }

        return oldest;
    }

    /// <summary>Pause sensitivity changes how long the replica waits before replying (§A.6): high = sooner.</summary>
    private TimeSpan ReplyDelay()
    {
        double factor = _pauseSensitivity.Value.ToUpperInvariant() switch
        {
            "HIGH" => 0.5,
            "LOW" => 2,
            "VERYLOW" => 3,
            "SUPERLOW" => 4,
            _ => 1,
        };
        return _state.Scenario.Timings.ReplyDelay * factor;
    }

    private string Render(string template, string userText, string? output) => template
        .Replace("{text}", userText, StringComparison.Ordinal)
        .Replace("{context}", _context, StringComparison.Ordinal)
        .Replace("{persona}", _state.Scenario.PersonaName, StringComparison.Ordinal)
        .Replace("{output}", output ?? string.Empty, StringComparison.Ordinal)
        .Replace("{pause_sensitivity}", _pauseSensitivity.Value, StringComparison.Ordinal)
        .Replace("{interrupt_sensitivity}", _interruptSensitivity.Value, StringComparison.Ordinal);

    private static string RenderArguments(string template, string userText)
    {
        // {text} goes inside a JSON string literal, so it is JSON-escaped (without its quotes).
        // Escaped as JSON.stringify does (Tavus's LLM output is JSON from Python/JS), not STJ's HTML-safe default.
        string escaped = JsonEncodedText.Encode(userText, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString();
        return template.Replace("{text}", escaped, StringComparison.Ordinal);
    }

    private static bool Contains(string text, string phrase) => text.Contains(phrase, StringComparison.OrdinalIgnoreCase);

    private static string NewInferenceId() => Guid.NewGuid().ToString();

    private sealed record PendingToolCall(string ToolCallId, ScenarioTool Tool, int Turn, string UserText);

    private sealed class EchoAssembly(bool isAudio)
    {
        public bool IsAudio { get; } = isAudio;

        public System.Text.StringBuilder Text { get; } = new();

        public double Seconds { get; set; }

        public long Bytes { get; set; }
    }
}
