namespace Tavus.Cvi.Interactions.Rest;

/// <summary>The query of <c>GET /v2/conversations</c> (tavus-protocol.md §D.4). Unset members are not sent.</summary>
public sealed record ListConversationsOptions
{
    /// <summary>The page size (<c>limit</c>; Tavus default 10). Must be positive.</summary>
    public int? Limit { get; init; }

    /// <summary>The 1-based page number (<c>page</c>; Tavus default 1). Must be positive.</summary>
    public int? Page { get; init; }

    /// <summary>Only conversations with this status (<c>status</c>).</summary>
    public ConversationStatus? Status { get; init; }
}
