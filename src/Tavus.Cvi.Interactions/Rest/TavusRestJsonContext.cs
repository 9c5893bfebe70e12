using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Rest;

/// <summary>The source-generated JSON of the REST models; exposed to users only through <see cref="TavusRestJson.Options"/>.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(CreateConversationRequest))]
[JsonSerializable(typeof(Conversation))]
[JsonSerializable(typeof(ConversationPage))]
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class TavusRestJsonContext : JsonSerializerContext;
