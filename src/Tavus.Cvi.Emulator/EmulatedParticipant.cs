namespace Tavus.Cvi.Emulator;

/// <summary>A participant of an emulated room, as its presence describes it.</summary>
/// <param name="SessionId">The Daily session id.</param>
/// <param name="UserName">The display name (URI-decoded).</param>
/// <param name="UserId">The user id, if any (the replica's contains <c>tavus-replica</c>).</param>
/// <param name="IsReplica">Whether this is the emulated replica.</param>
/// <param name="JoinedAt">When it joined, on the emulator's clock.</param>
public sealed record EmulatedParticipant(string SessionId, string UserName, string? UserId, bool IsReplica, DateTimeOffset JoinedAt);
