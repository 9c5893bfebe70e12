using System.Text;

namespace Tavus.Cvi.Interactions.Transport;

/// <summary>An app message that went through an <see cref="InMemoryRoom"/>, as recorded in <see cref="InMemoryRoom.Messages"/>.</summary>
/// <param name="SenderId">The id of the participant that sent it.</param>
/// <param name="RecipientId">The addressee, or <see langword="null"/> for a broadcast.</param>
/// <param name="Payload">The payload exactly as sent (a private copy).</param>
public sealed record InMemoryAppMessage(string SenderId, string? RecipientId, ReadOnlyMemory<byte> Payload)
{
    /// <summary>The payload decoded as UTF-8 text: handy for assertions.</summary>
    public string Text => Encoding.UTF8.GetString(Payload.Span);

    /// <inheritdoc/>
    public override string ToString() => $"{SenderId} -> {RecipientId ?? "*"}: {Text}";
}
