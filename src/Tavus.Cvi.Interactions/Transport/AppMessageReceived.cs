namespace Tavus.Cvi.Interactions.Transport;

/// <summary>An app message arrived.</summary>
/// <param name="Payload">The message as UTF-8 JSON text, exactly as the room delivered it (not validated).</param>
/// <param name="SenderId">The sending participant's id.</param>
public sealed record AppMessageReceived(ReadOnlyMemory<byte> Payload, string SenderId) : TransportEvent;
