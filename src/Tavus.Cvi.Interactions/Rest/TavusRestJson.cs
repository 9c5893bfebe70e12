using System.Text.Json;

namespace Tavus.Cvi.Interactions.Rest;

/// <summary>The JSON settings of the REST models, for storing or forwarding them exactly as the SDK writes them.</summary>
public static class TavusRestJson
{
    /// <summary>
    /// Read-only serializer options backed by the SDK's source-generated context (AOT-safe): pass them to
    /// <see cref="JsonSerializer"/> with <see cref="Conversation"/>, <see cref="ConversationPage"/> or
    /// <see cref="CreateConversationRequest"/>.
    /// </summary>
    public static JsonSerializerOptions Options => TavusRestJsonContext.Default.Options;
}
