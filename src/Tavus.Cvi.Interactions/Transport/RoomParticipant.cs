namespace Tavus.Cvi.Interactions.Transport;

/// <summary>A participant of the room, as its presence describes it.</summary>
/// <param name="Id">The participant's session id: the address of a directed message.</param>
/// <param name="UserName">The display name, if any.</param>
/// <param name="UserId">The user id (from the meeting token), if any.</param>
/// <param name="IsLocal">Whether this is the local participant.</param>
/// <param name="IsReplica">Whether this participant is the Tavus replica.</param>
public sealed record RoomParticipant(string Id, string? UserName, string? UserId, bool IsLocal, bool IsReplica)
{
    /// <summary>
    /// Whether a Daily <c>user_id</c> marks the Tavus replica: Tavus's own UI matches <c>tavus-replica</c>; newer
    /// material also uses <c>tavus-face</c> and <c>tavus-pal</c> (daily-protocol.md §4.6).
    /// </summary>
    /// <param name="userId">The participant's user id.</param>
    public static bool IsReplicaUserId(string? userId) =>
        userId is not null &&
        (userId.Contains("tavus-replica", StringComparison.OrdinalIgnoreCase) ||
         userId.Contains("tavus-face", StringComparison.OrdinalIgnoreCase) ||
         userId.Contains("tavus-pal", StringComparison.OrdinalIgnoreCase));
}
