namespace Tavus.Cvi.Interactions.Transport;

/// <summary>The transport's connection state changed.</summary>
/// <param name="State">The new state.</param>
/// <param name="CloseReason">Why it closed, when <paramref name="State"/> is <see cref="TransportState.Closed"/>.</param>
/// <param name="Message">A human-readable explanation, free of secrets.</param>
/// <param name="Exception">The failure behind the change, if any.</param>
public sealed record TransportStateChanged(
    TransportState State,
    TransportCloseReason CloseReason = TransportCloseReason.None,
    string? Message = null,
    Exception? Exception = null) : TransportEvent;
