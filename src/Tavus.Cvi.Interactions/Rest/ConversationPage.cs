using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Rest;

/// <summary>One page of <c>GET /v2/conversations</c> (tavus-protocol.md §D.4): <c>{ "data": [...], "total_count": n }</c>.</summary>
public sealed record ConversationPage
{
    /// <summary>The conversations on this page (<c>data</c>).</summary>
    [JsonPropertyName("data")]
    public IReadOnlyList<Conversation> Data { get; init; } = [];

    /// <summary>How many conversations match the query over all pages (<c>total_count</c>), if Tavus said.</summary>
    [JsonPropertyName("total_count")]
    public int? TotalCount { get; init; }

    /// <summary>Fields this SDK does not model (some deployments return <c>page</c> and <c>limit</c>).</summary>
    [JsonExtensionData]
    public IDictionary<string, JsonElement>? AdditionalProperties { get; set; }
}
