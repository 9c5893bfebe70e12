using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Tavus.Cvi.Emulator.Conversations;
using Tavus.Cvi.Emulator.Diagnostics;
using Tavus.Cvi.Emulator.Faults;
using Tavus.Cvi.Emulator.Rest;

namespace Tavus.Cvi.Emulator.Daily;

/// <summary>Daily's room lookup (daily-protocol.md §3) and the signaling WebSocket endpoint (§4).</summary>
internal static class DailyApi
{
    public static void Map(IEndpointRouteBuilder app, EmulatorState state)
    {
        app.MapPost("/rooms/check/{domain}/{room}", context => LookupAsync(context, state));
        app.Map("/signaling/{room}/{worker}", context => AcceptSignalingAsync(context, state));
        app.MapGet("/{domain}/{room}", context => RoomPageAsync(context, state));
    }

    private static async Task LookupAsync(HttpContext context, EmulatorState state)
    {
        string domain = (string)context.Request.RouteValues["domain"]!;
        string roomName = (string)context.Request.RouteValues["room"]!;
        if (state.Faults(roomName).TryConsumeRoomLookup(out RoomLookupFault fault, out TimeSpan delay))
        {
            Log.LookupFaultInjected(state.SignalingLogger, roomName, fault);
            switch (fault)
            {
                case RoomLookupFault.NotFound:
                    await NotFoundAsync(context).ConfigureAwait(false);
                    return;
                case RoomLookupFault.ServerError:
                    await TavusRestApi.WriteJsonAsync(context, StatusCodes.Status500InternalServerError, new JsonObject { ["error"] = "internal-error" }).ConfigureAwait(false);
                    return;
                case RoomLookupFault.NbfRoom:
                    await TavusRestApi.WriteJsonAsync(context, StatusCodes.Status200OK, new JsonObject { ["error"] = "nbf-room" }).ConfigureAwait(false);
                    return;
                case RoomLookupFault.ExpRoom:
                    await TavusRestApi.WriteJsonAsync(context, StatusCodes.Status200OK, new JsonObject { ["error"] = "exp-room" }).ConfigureAwait(false);
                    return;
                case RoomLookupFault.Slow:
                    try
                    {
                        await Task.Delay(delay, state.Time, context.RequestAborted).ConfigureAwait(false);
                    }
                    catch (OperationCanceledException)
                    {
                        return;
                    }

                    break;
            }
        }

        if (!context.Request.HasFormContentType)
        {
            await TavusRestApi.WriteJsonAsync(context, StatusCodes.Status400BadRequest, new JsonObject { ["error"] = "expected an application/x-www-form-urlencoded body" }).ConfigureAwait(false);
            return;
        }

        IFormCollection form = await context.Request.ReadFormAsync(context.RequestAborted).ConfigureAwait(false);
        string? sessionId = form["sessionId"];
        string? joinToken = form["joinToken"];
        if (string.IsNullOrEmpty(sessionId))
        {
            await TavusRestApi.WriteJsonAsync(context, StatusCodes.Status400BadRequest, new JsonObject { ["error"] = "missing sessionId" }).ConfigureAwait(false);
            return;
        }

        if (domain != ConversationStore.Domain || state.Conversations.Get(roomName) is not { IsJoinable: true } conversation)
        {
            await NotFoundAsync(context).ConfigureAwait(false);
            return;
        }

        // Validated token claims go back under Daily's short keys; a token that fails validation is ignored with
        // joinProps.error, and a private room then refuses admission: needToRequest:true and no sigAuthz (§3).
        var joinProps = new JsonObject { ["r"] = roomName };
        bool admitted = !conversation.RequireAuth;
        if (!string.IsNullOrEmpty(joinToken))
        {
            MeetingTokenCheck check = state.Tokens.CheckMeetingToken(joinToken, roomName);
            if (check.Claims is { } claims)
            {
                joinProps = claims;
                admitted = true;
            }
            else
            {
                joinProps["error"] = check.Error;
            }
        }

        (string workerId, Uri wssUri) = state.NextWorker(roomName);
        var response = new JsonObject
        {
            ["roomId"] = conversation.Room.RoomId,
            ["roomName"] = roomName,
            ["privacy"] = conversation.RequireAuth ? "private" : "public",
            ["needToRequest"] = !admitted,
            ["worker"] = new JsonObject { ["workerId"] = workerId, ["wssUri"] = wssUri.ToString(), ["group"] = "emulator" },
            ["geoGroup"] = "local",
            ["iceConfig"] = new JsonObject { ["iceServers"] = new JsonArray(), ["exp"] = state.Time.GetUtcNow().AddHours(4).ToUnixTimeSeconds() },
            ["stun"] = string.Empty,
            ["permissions"] = SignalingFrames.Permissions(),
            ["roomProps"] = new JsonObject(),
            ["domainProps"] = new JsonObject(),
            ["canRecord"] = false,
            ["joinProps"] = joinProps,
        };
        if (admitted)
        {
            response["sigAuthz"] = state.Tokens.IssueSigAuthz(roomName, sessionId);
        }

        Log.RoomLookedUp(state.SignalingLogger, roomName, admitted);
        await TavusRestApi.WriteJsonAsync(context, StatusCodes.Status200OK, response).ConfigureAwait(false);
    }

    private static async Task AcceptSignalingAsync(HttpContext context, EmulatorState state)
    {
        string roomName = (string)context.Request.RouteValues["room"]!;
        string worker = (string)context.Request.RouteValues["worker"]!;
        bool primary = worker.EndsWith(".wss", StringComparison.Ordinal);
        if (!context.WebSockets.IsWebSocketRequest || (!primary && !worker.EndsWith("-wss", StringComparison.Ordinal)))
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }

        if (state.Faults(roomName).TryConsumeRefuseConnect(primary))
        {
            Log.ConnectRefused(state.SignalingLogger, roomName, primary);
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        using System.Net.WebSockets.WebSocket socket = await context.WebSockets.AcceptWebSocketAsync().ConfigureAwait(false);
        var connection = new SignalingConnection(state, socket, roomName);
        await connection.RunAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task RoomPageAsync(HttpContext context, EmulatorState state)
    {
        // The conversation_url itself: a browser opening it learns this is an emulated room, not a call UI.
        string domain = (string)context.Request.RouteValues["domain"]!;
        string roomName = (string)context.Request.RouteValues["room"]!;
        if (domain != ConversationStore.Domain || state.Conversations.Get(roomName) is null)
        {
            await NotFoundAsync(context).ConfigureAwait(false);
            return;
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.WriteAsync(
            $"Tavus CVI emulator room {domain}/{roomName}. Join it with the SDK (DailyEndpoints.ForEmulator).\n",
            context.RequestAborted).ConfigureAwait(false);
    }

    private static Task NotFoundAsync(HttpContext context) =>
        TavusRestApi.WriteJsonAsync(context, StatusCodes.Status404NotFound, new JsonObject { ["error"] = "not-found", ["info"] = "The meeting you're trying to join does not exist." });

    internal static bool TryGetString(JsonElement element, string name, out string value)
    {
        if (element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out JsonElement p) && p.ValueKind == JsonValueKind.String)
        {
            value = p.GetString()!;
            return true;
        }

        value = string.Empty;
        return false;
    }
}
