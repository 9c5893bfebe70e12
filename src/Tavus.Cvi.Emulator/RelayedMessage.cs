namespace Tavus.Cvi.Emulator;

/// <summary>One <c>sig-msg</c> the emulator relayed (an entry of <see cref="CviEmulator.GetRelayLog"/>).</summary>
/// <param name="Timestamp">When it was relayed, on the emulator's clock.</param>
/// <param name="ConversationId">The conversation (room name).</param>
/// <param name="From">The sender's session id (the replica's, a client's, or an injected sender such as <c>transcription</c>).</param>
/// <param name="To"><c>*</c> or the comma-separated recipient ids as addressed.</param>
/// <param name="Tag">The <c>sig-msg</c> tag; <c>x-egassem</c> for app messages.</param>
/// <param name="Payload">The app message JSON text.</param>
/// <param name="RecipientCount">How many participants it was delivered to.</param>
public sealed record RelayedMessage(
    DateTimeOffset Timestamp, string ConversationId, string From, string To, string Tag, string Payload, int RecipientCount);
