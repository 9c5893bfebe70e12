namespace Tavus.Cvi.Interactions.Session;

/// <summary>What an echo audio stream sent (<see cref="CviSession.EchoAudioAsync(ReadOnlyMemory{byte}, int, CancellationToken)"/> and its overloads).</summary>
/// <param name="InferenceId">The <c>inference_id</c> shared by every chunk.</param>
/// <param name="ChunksSent">How many <c>conversation.echo</c> messages were sent, the closing one included.</param>
/// <param name="PcmBytesSent">How many PCM bytes were sent (closing silence included).</param>
/// <param name="AudioDuration">How much audio was sent.</param>
/// <param name="Interrupted">
/// Whether <see cref="CviSession.InterruptAsync"/> stopped the stream: then no chunk marked <c>done</c> was sent and
/// nothing more will be (the interrupt itself ends the utterance).
/// </param>
public sealed record EchoAudioResult(string InferenceId, int ChunksSent, long PcmBytesSent, TimeSpan AudioDuration, bool Interrupted);
