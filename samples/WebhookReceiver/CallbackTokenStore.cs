using System.Collections.Concurrent;
using Tavus.Cvi.Interactions.Webhooks;

namespace WebhookReceiver;

/// <summary>
/// The per-conversation secrets this server put in its callback URLs. Tavus does not sign webhooks
/// (tavus-protocol.md §E), so a callback is trusted only if it carries a token we issued and names the conversation
/// that token was issued for. In production keep this in your database next to the conversation.
/// </summary>
public sealed class CallbackTokenStore
{
    // token -> conversation id (null until the create call returns; callbacks only start after the replica joins).
    private readonly ConcurrentDictionary<string, string?> _conversationByToken = new(StringComparer.Ordinal);

    /// <summary>Issues a token for a conversation about to be created.</summary>
    public string Issue()
    {
        var token = WebhookCallbackToken.Create();
        _conversationByToken[token] = null;
        return token;
    }

    /// <summary>Binds an issued token to the conversation Tavus created with it.</summary>
    public void Bind(string token, string conversationId) => _conversationByToken[token] = conversationId;

    /// <summary>Forgets a token whose create call failed.</summary>
    public void Revoke(string token) => _conversationByToken.TryRemove(token, out _);

    /// <summary>Whether this server issued the token (checked before the body is even read).</summary>
    public bool IsIssued(string? token) => !string.IsNullOrEmpty(token) && _conversationByToken.ContainsKey(token);

    /// <summary>Whether a callback with this token may speak for this conversation.</summary>
    public bool Accepts(string? token, string? conversationId)
    {
        if (string.IsNullOrEmpty(token) || string.IsNullOrEmpty(conversationId)
            || !_conversationByToken.TryGetValue(token, out var boundTo))
        {
            return false;
        }

        // Not bound yet (the create call has not returned): the first callback binds it.
        if (boundTo is null && _conversationByToken.TryUpdate(token, conversationId, null))
        {
            return true;
        }

        // The 256-bit token is the secret; the conversation id is not, so an ordinary comparison is fine here.
        return string.Equals(_conversationByToken.GetValueOrDefault(token), conversationId, StringComparison.Ordinal);
    }
}
