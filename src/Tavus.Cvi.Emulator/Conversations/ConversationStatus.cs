namespace Tavus.Cvi.Emulator.Conversations;

/// <summary>The wire values of a conversation's <c>status</c> (tavus-protocol.md §D.2).</summary>
internal static class ConversationStatus
{
    public const string Active = "active";
    public const string Ended = "ended";
}
