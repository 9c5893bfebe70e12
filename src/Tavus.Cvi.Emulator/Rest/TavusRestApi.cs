using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tavus.Cvi.Emulator.Conversations;
using Tavus.Cvi.Emulator.Diagnostics;
using Tavus.Cvi.Interactions.Protocol;

namespace Tavus.Cvi.Emulator.Rest;

/// <summary>The Tavus REST endpoints the SDK uses: <c>/v2/conversations</c> (tavus-protocol.md §D).</summary>
internal static class TavusRestApi
{
    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        app.MapPost("/v2/conversations", context => Guarded(context, state, () => CreateAsync(context, state)));
        app.MapGet("/v2/conversations", context => Guarded(context, state, () => ListAsync(context, state)));
        app.MapGet("/v2/conversations/{id}", context => Guarded(context, state, () => GetAsync(context, state)));
        app.MapDelete("/v2/conversations/{id}", context => Guarded(context, state, () => DeleteAsync(context, state)));
        app.MapPost("/v2/conversations/{id}/end", context => Guarded(context, state, () => EndAsync(context, state)));
    }

    private static Task Guarded(HttpContext context, EmulatorState state, Func<Task> handler)
    {
        // Tavus authenticates with the x-api-key header (§D.1) and answers 401 {"message":"Invalid access token"}.
        string? key = context.Request.Headers["x-api-key"];
        if (key is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(state.ApiKey)))
        {
            Log.RestUnauthorized(state.RestLogger, context.Request.Method, context.Request.Path);
            return WriteJsonAsync(context, StatusCodes.Status401Unauthorized, new JsonObject { ["message"] = "Invalid access token" });
        }

        return handler();
    }

    private static async Task CreateAsync(HttpContext context, EmulatorState state)
    {
        JsonObject? body;
        try
        {
            body = await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false) as JsonObject;
        }
        catch (JsonException)
        {
            body = null;
        }

        if (body is null)
        {
            await WriteJsonAsync(context, StatusCodes.Status400BadRequest, new JsonObject { ["error"] = "Invalid request body: expected a JSON object" }).ConfigureAwait(false);
            return;
        }

        string? callbackUrl = ReadString(body, "callback_url");
        if (callbackUrl is not null && !Uri.TryCreate(callbackUrl, UriKind.Absolute, out _))
        {
            await WriteJsonAsync(context, StatusCodes.Status400BadRequest, new JsonObject { ["error"] = "Invalid callback_url" }).ConfigureAwait(false);
            return;
        }

        DateTimeOffset now = state.Time.GetUtcNow();
        var extra = new JsonObject();
        foreach (string alias in (string[])["pal_id", "face_id"])
        {
            if (ReadString(body, alias) is { } value)
            {
                extra[alias] = value;
            }
        }

        EmulatedConversation? created = state.Conversations.Create(id => new EmulatedConversation(id, state.ApiKey, now)
        {
            Name = ReadString(body, "conversation_name"),
            CallbackUrl = callbackUrl,
            // The 2026 rename: face_id/pal_id are the new names of replica_id/persona_id (§0); accept both.
            ReplicaId = ReadString(body, "face_id") ?? ReadString(body, "replica_id") ?? state.Scenario.ReplicaId,
            PersonaId = ReadString(body, "pal_id") ?? ReadString(body, "persona_id") ?? state.Scenario.PersonaId,
            ConversationalContext = ReadString(body, "conversational_context"),
            CustomGreeting = ReadString(body, "custom_greeting"),
            TestMode = ReadBool(body, "test_mode"),
            RequireAuth = ReadBool(body, "require_auth"),
            Properties = body["properties"] as JsonObject is { } p ? (JsonObject)p.DeepClone() : null,
            ExtraFields = extra,
        });

        if (created is null)
        {
            await WriteJsonAsync(context, StatusCodes.Status400BadRequest, new JsonObject { ["message"] = "User has reached maximum concurrent conversations" }).ConfigureAwait(false);
            return;
        }

        JsonObject response = Describe(state, created, verbose: false);
        if (created.MeetingToken is not null)
        {
            response["meeting_token"] = created.MeetingToken;
        }

        await WriteJsonAsync(context, StatusCodes.Status200OK, response).ConfigureAwait(false);
    }

    private static Task ListAsync(HttpContext context, EmulatorState state)
    {
        IQueryCollection query = context.Request.Query;
        int limit = ParseInt(query["limit"], 10);
        int page = ParseInt(query["page"], 1);
        string? status = query["status"];
        if (limit < 1 || page < 1 || (status is not null && status != ConversationStatus.Active && status != ConversationStatus.Ended))
        {
            return WriteJsonAsync(context, StatusCodes.Status400BadRequest, new JsonObject { ["error"] = "Invalid query: limit and page must be positive, status active or ended" });
        }

        EmulatedConversation[] matching = state.Conversations.All()
            .Where(c => c.ApiKey == state.ApiKey && (status is null || c.Status == status))
            .OrderByDescending(c => c.CreatedAt)
            .ThenBy(c => c.Id, StringComparer.Ordinal)
            .ToArray();
        var data = new JsonArray(matching.Skip((page - 1) * limit).Take(limit).Select(c => (JsonNode)Describe(state, c, verbose: false)).ToArray());
        return WriteJsonAsync(context, StatusCodes.Status200OK, new JsonObject { ["data"] = data, ["total_count"] = matching.Length });
    }

    private static Task GetAsync(HttpContext context, EmulatorState state)
    {
        if (Find(context, state) is not { } conversation)
        {
            return NotFoundAsync(context);
        }

        bool verbose = string.Equals(context.Request.Query["verbose"], "true", StringComparison.OrdinalIgnoreCase);
        return WriteJsonAsync(context, StatusCodes.Status200OK, Describe(state, conversation, verbose));
    }

    private static Task DeleteAsync(HttpContext context, EmulatorState state)
    {
        if (Find(context, state) is not { } conversation)
        {
            return NotFoundAsync(context);
        }

        // ?hard=true deletes the assets too; the emulator has none, so both forms remove the conversation (§D.6).
        state.Conversations.Delete(conversation);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        return Task.CompletedTask;
    }

    private static Task EndAsync(HttpContext context, EmulatorState state)
    {
        if (Find(context, state) is not { } conversation)
        {
            return NotFoundAsync(context);
        }

        // Ending an ended conversation is accepted (idempotent): the caller's goal, a freed slot, holds (§D.5).
        state.Conversations.End(conversation, ShutdownReason.EndConversationEndpointHit);
        return WriteJsonAsync(context, StatusCodes.Status200OK, new JsonObject { ["conversation_id"] = conversation.Id, ["status"] = ConversationStatus.Ended });
    }

    private static EmulatedConversation? Find(HttpContext context, EmulatorState state)
    {
        string? id = context.Request.RouteValues["id"] as string;
        return id is null ? null : state.Conversations.Get(id) is { } c && c.ApiKey == state.ApiKey ? c : null;
    }

    private static Task NotFoundAsync(HttpContext context) =>
        WriteJsonAsync(context, StatusCodes.Status404NotFound, new JsonObject { ["error"] = "Conversation not found" });

    /// <summary>The conversation object of §D.2/§D.3 (verbose adds <c>shutdown_reason</c> and the event records).</summary>
    public static JsonObject Describe(EmulatorState state, EmulatedConversation c, bool verbose)
    {
        var json = new JsonObject
        {
            ["conversation_id"] = c.Id,
            ["conversation_name"] = c.Name,
            ["conversation_url"] = state.Conversations.ConversationUrl(c),
            ["status"] = c.Status,
            ["callback_url"] = c.CallbackUrl,
            ["replica_id"] = c.ReplicaId,
            ["persona_id"] = c.PersonaId,
            ["created_at"] = Iso(c.CreatedAt),
            ["updated_at"] = Iso(c.UpdatedAt),
        };
        if (c.ExtraFields is not null)
        {
            foreach ((string key, JsonNode? value) in c.ExtraFields)
            {
                json[key] = value?.DeepClone();
            }
        }

        if (verbose)
        {
            json["shutdown_reason"] = c.ShutdownReason?.Value;
            json["conversational_context"] = c.ConversationalContext;
            json["properties"] = c.Properties?.DeepClone();
            json["events"] = c.EventsSnapshot();
        }

        return json;
    }

    public static string Iso(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture);

    public static async Task WriteJsonAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }

    private static string? ReadString(JsonObject body, string name) =>
        body[name] is JsonValue v && v.TryGetValue(out string? s) && !string.IsNullOrEmpty(s) ? s : null;

    private static bool ReadBool(JsonObject body, string name) => body[name] is JsonValue v &&
        ((v.TryGetValue(out bool b) && b) || (v.TryGetValue(out string? s) && string.Equals(s, "true", StringComparison.OrdinalIgnoreCase)));

    private static int ParseInt(string? text, int fallback) =>
        text is null ? fallback : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) ? value : -1;
}
