using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Tests.Protocol;

public sealed record AddToCartArguments(
    [property: JsonPropertyName("item_name")] string ItemName,
    [property: JsonPropertyName("quantity")] int Quantity);

[JsonSerializable(typeof(Dictionary<string, int>))]
[JsonSerializable(typeof(AddToCartArguments))]
internal sealed partial class TestJsonContext : JsonSerializerContext
{
}
