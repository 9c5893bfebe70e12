namespace Tavus.Cvi.Interactions.Session;

/// <summary>The speaking-state changes one event announces, after folding the redundant reports.</summary>
[Flags]
internal enum SpeakingChanges
{
    None = 0,
    ReplicaStarted = 1,
    ReplicaStopped = 2,
    UserStarted = 4,
    UserStopped = 8,
    ReplicaInterrupted = 16,
}
