using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Tavus.Cvi.Interactions.Diagnostics;
using Tavus.Cvi.Interactions.Protocol;
using Tavus.Cvi.Interactions.Transport;

namespace Tavus.Cvi.Interactions.Session;

public sealed partial class CviSession
{
    // One message on the wire at a time, in call order; echo audio checks for an interrupt under it (see InterruptAsync).
    private readonly SemaphoreSlim _sendLock = new(1, 1);

    /// <summary>
    /// Sends any interaction, filling in <see cref="ConversationId"/> when it has none. Every typed method below goes
    /// through here.
    /// </summary>
    /// <param name="interaction">The interaction.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <exception cref="CviMessageTooLargeException">The JSON exceeds the transport's <see cref="ICviTransport.MaxMessageSize"/>; nothing was sent.</exception>
    /// <exception cref="CviConnectionException">The session ended or the transport cannot send.</exception>
    public async Task SendAsync(CviInteraction interaction, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(interaction);
        await SendEncodedAsync(Encode(interaction), interaction.EventType, audio: null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>conversation.echo</c> (text): the replica says exactly <paramref name="text"/>, bypassing the LLM.</summary>
    /// <param name="text">What to say.</param>
    /// <param name="inferenceId">Groups the parts of one utterance streamed as several messages; null for a single message.</param>
    /// <param name="done">Whether this is the last part of the utterance.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    public Task EchoAsync(string text, string? inferenceId = null, bool done = true, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return SendAsync(EchoInteraction.FromText(text, inferenceId, done), cancellationToken);
    }

    /// <summary><c>conversation.respond</c>: text the LLM answers as if the user had said it.</summary>
    /// <param name="text">The user's words.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    public Task RespondAsync(string text, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        return SendAsync(new RespondInteraction { Text = text }, cancellationToken);
    }

    /// <summary>
    /// <c>conversation.interrupt</c>: stops the replica. First every echo audio stream started before this call is
    /// stopped (queued ones never start; the one in flight sends no further chunk and completes with
    /// <see cref="EchoAudioResult.Interrupted"/>), then the interrupt is sent.
    /// </summary>
    /// <param name="cancellationToken">Cancels the send (the audio streams are stopped either way).</param>
    public Task InterruptAsync(CancellationToken cancellationToken = default)
    {
        int cancelled = CancelAllAudio();
        if (cancelled > 0) Log.InterruptCancelledAudio(_logger, cancelled);
        return SendAsync(new InterruptInteraction(), cancellationToken);
    }

    /// <summary><c>conversation.overwrite_llm_context</c>: replaces the conversational context.</summary>
    /// <param name="context">The new context.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    public Task OverwriteContextAsync(string context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        return SendAsync(new OverwriteContextInteraction { Context = context }, cancellationToken);
    }

    /// <summary><c>conversation.append_llm_context</c>: appends to (or seeds) the conversational context.</summary>
    /// <param name="context">The text to append.</param>
    /// <param name="jobStatus">Optionally <see cref="AppendContextInteraction.JobStatusCompleted"/>, to mark an asynchronous job done.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    public Task AppendContextAsync(string context, string? jobStatus = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        return SendAsync(new AppendContextInteraction { Context = context, JobStatus = jobStatus }, cancellationToken);
    }

    /// <summary>
    /// <c>conversation.sensitivity</c> with one or both keys. The newest docs ask for one key per message: prefer
    /// <see cref="SetPauseSensitivityAsync"/> and <see cref="SetInterruptSensitivityAsync"/>.
    /// </summary>
    /// <param name="pause"><c>participant_pause_sensitivity</c>, or null to leave it.</param>
    /// <param name="interrupt"><c>participant_interrupt_sensitivity</c>, or null to leave it.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    /// <exception cref="ArgumentException">Both are null.</exception>
    public Task SetSensitivityAsync(Sensitivity? pause, Sensitivity? interrupt, CancellationToken cancellationToken = default)
    {
        if (pause is null && interrupt is null)
        {
            throw new ArgumentException("Give at least one sensitivity.", nameof(pause));
        }

        return SendAsync(new SensitivityInteraction { PauseSensitivity = pause, InterruptSensitivity = interrupt }, cancellationToken);
    }

    /// <summary><c>conversation.sensitivity</c> setting only <c>participant_pause_sensitivity</c>: how long the user may pause before the replica replies.</summary>
    /// <param name="sensitivity">The level.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    public Task SetPauseSensitivityAsync(Sensitivity sensitivity, CancellationToken cancellationToken = default) =>
        SendAsync(SensitivityInteraction.ForPause(sensitivity), cancellationToken);

    /// <summary><c>conversation.sensitivity</c> setting only <c>participant_interrupt_sensitivity</c>: how easily the user can interrupt the replica.</summary>
    /// <param name="sensitivity">The level.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    public Task SetInterruptSensitivityAsync(Sensitivity sensitivity, CancellationToken cancellationToken = default) =>
        SendAsync(SensitivityInteraction.ForInterrupt(sensitivity), cancellationToken);

    /// <summary><c>conversation.tool_result</c> with a text output.</summary>
    /// <param name="toolCallId">The <c>tool_call_id</c> of the call.</param>
    /// <param name="output">The result text.</param>
    /// <param name="status"><see cref="ToolResultStatus.Success"/> (the default) or <see cref="ToolResultStatus.Error"/>.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    public Task SendToolResultAsync(string toolCallId, string output, ToolResultStatus? status = null, CancellationToken cancellationToken = default) =>
        SendAsync(ToolResultInteraction.FromText(toolCallId, output, status), cancellationToken);

    /// <summary><c>conversation.tool_result</c> with any JSON output (Tavus serializes an object for the LLM).</summary>
    /// <param name="toolCallId">The <c>tool_call_id</c> of the call.</param>
    /// <param name="output">The result.</param>
    /// <param name="status"><see cref="ToolResultStatus.Success"/> (the default) or <see cref="ToolResultStatus.Error"/>.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    public Task SendToolResultAsync(string toolCallId, JsonElement output, ToolResultStatus? status = null, CancellationToken cancellationToken = default) =>
        SendAsync(ToolResultInteraction.FromJson(toolCallId, output, status), cancellationToken);

    /// <summary><c>conversation.tool_result</c> from a <see cref="ToolResult"/>.</summary>
    /// <param name="toolCallId">The <c>tool_call_id</c> of the call.</param>
    /// <param name="result">The result and its status.</param>
    /// <param name="cancellationToken">Cancels the send.</param>
    public Task SendToolResultAsync(string toolCallId, ToolResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(result);
        return SendAsync(ToolResultInteraction.FromJson(toolCallId, result.Output, result.Status), cancellationToken);
    }

    private byte[] Encode(CviInteraction interaction)
    {
        if (interaction.ConversationId is null)
        {
            interaction = interaction with { ConversationId = ConversationId };
        }

        return CviJson.EncodeInteraction(interaction, _writeOptions);
    }

    /// <summary>
    /// Checks the size (Daily counts UTF-16 code units of the JSON text, daily-protocol.md §6) and sends under the send
    /// lock. Returns false, having sent nothing, when <paramref name="audio"/> was interrupted meanwhile.
    /// </summary>
    private async ValueTask<bool> SendEncodedAsync(byte[] payload, string eventType, AudioStream? audio, CancellationToken cancellationToken)
    {
        int size = Encoding.UTF8.GetCharCount(payload);
        int max = _transport.MaxMessageSize;
        if (size > max)
        {
            throw new CviMessageTooLargeException(size, max, eventType);
        }

        if (HasEnded)
        {
            throw new CviConnectionException(CviConnectionFailure.Closed, "The session has ended; nothing was sent.");
        }

        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (audio is not null && audio.IsInterrupted) return false;
            await _transport.SendAsync(payload, recipientId: null, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }

        Log.InteractionSent(_logger, eventType, size);
        Log.InteractionPayload(_logger, new Utf8Text(payload));

        return true;
    }
}
