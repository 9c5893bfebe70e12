namespace Tavus.Cvi.WebRtc.Ice;

/// <summary>Candidate pair states of RFC 8445 §6.1.2.6 (no Frozen: one component, one data stream).</summary>
internal enum IceCandidatePairState
{
    Waiting,
    InProgress,
    Succeeded,
    Failed,
}
