namespace Tavus.Cvi.WebRtc.Sctp;

/// <summary>Something an <see cref="SctpAssociation"/> reports to its user, drained with <see cref="SctpAssociation.TryPollEvent"/>.</summary>
public abstract record SctpEvent;
