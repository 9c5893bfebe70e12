using System.Net;
using System.Net.Http.Json;
using Tavus.Cvi.Emulator.Faults;

namespace Tavus.Cvi.Emulator.Tests.Infrastructure;

/// <summary>An emulator plus raw HTTP and WebSocket helpers, one per test.</summary>
internal sealed class EmulatorHarness : IAsyncDisposable
{
    private readonly List<RawSignalingClient> _clients = [];

    private EmulatorHarness(CviEmulator emulator, bool greets)
    {
        Greets = greets;
        Emulator = emulator;
        Http = new HttpClient { BaseAddress = emulator.TavusApiBaseUri, Timeout = TimeSpan.FromSeconds(30) };
        Http.DefaultRequestHeaders.Add("x-api-key", emulator.ApiKey);
    }

    public CviEmulator Emulator { get; }

    /// <summary>Whether the scenario has a greeting (the first joiner then waits for it to finish).</summary>
    public bool Greets { get; }

    public HttpClient Http { get; }

    public static async Task<EmulatorHarness> StartAsync(CviEmulatorOptions? options = null) =>
        new(await CviEmulator.StartAsync(options), !string.IsNullOrEmpty((options?.Scenario ?? Replica.EmulatorScenario.Default).Greeting));

    public async Task<JsonObject> CreateConversationAsync(JsonObject? body = null)
    {
        using HttpResponseMessage response = await Http.PostAsJsonAsync("v2/conversations", body ?? new JsonObject { ["replica_id"] = "r1", ["persona_id"] = "p1" });
        string text = await response.Content.ReadAsStringAsync();
        response.StatusCode.Should().Be(HttpStatusCode.OK, text);
        return JsonNode.Parse(text)!.AsObject();
    }

    public async Task<string> CreateConversationIdAsync(JsonObject? body = null) =>
        (await CreateConversationAsync(body))["conversation_id"]!.GetValue<string>();

    public async Task<(HttpStatusCode Status, JsonObject? Body)> LookupAsync(string room, string sessionId, string? token = null, string domain = "tavus")
    {
        var form = new Dictionary<string, string>
        {
            ["sessionId"] = sessionId,
            ["aboutClient"] = "{\"library\":\"raw-test\",\"version\":\"1.0\"}",
        };
        if (token is not null)
        {
            form["joinToken"] = token;
        }

        using var content = new FormUrlEncodedContent(form);
        using var http = new HttpClient { BaseAddress = Emulator.BaseUri };
        using HttpResponseMessage response = await http.PostAsync($"rooms/check/{domain}/{room}", content);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text) as JsonObject);
    }

    /// <summary>Lookup → connect → join-for-sig → sig-ack, as daily-js does (§3, §4).</summary>
    public async Task<RawSignalingClient> JoinAsync(string conversationId, string name = "Guest", string? token = null, string? sessionId = null, bool waitForReplica = true, bool waitForGreeting = true)
    {
        sessionId ??= Guid.NewGuid().ToString();
        (HttpStatusCode status, JsonObject? lookup) = await LookupAsync(conversationId, sessionId, token);
        status.Should().Be(HttpStatusCode.OK);
        RawSignalingClient client = await RawSignalingClient.ConnectAsync(new Uri(lookup!["worker"]!["wssUri"]!.GetValue<string>()), sessionId);
        _clients.Add(client);
        await client.SendJoinAsync("tavus/" + conversationId, lookup["sigAuthz"]!.GetValue<string>(), name);
        RawFrame ack = await client.WaitForAsync(f => f.MsgStr == "sig-ack");
        client.SigAck = ack.Root;
        bool replicaPresent = ack.Root.GetProperty("presences").EnumerateArray()
            .Any(p => p.TryGetProperty("user_id", out var u) && u.GetString()!.Contains("tavus-replica", StringComparison.Ordinal));
        if (waitForReplica && !replicaPresent && Emulator.GetReplicaSessionId(conversationId) is not null)
        {
            await client.WaitForEventAsync("system.replica_joined");
            if (waitForGreeting && Greets)
            {
                await client.WaitForEventAsync("conversation.replica.stopped_speaking");
            }
        }

        return client;
    }

    /// <summary>Sends an interaction as an app message to everyone (the replica included).</summary>
    public static Task SendInteractionAsync(RawSignalingClient client, string conversationId, string eventType, JsonObject? properties = null)
    {
        var message = new JsonObject { ["message_type"] = "conversation", ["event_type"] = eventType, ["conversation_id"] = conversationId };
        if (properties is not null)
        {
            message["properties"] = properties;
        }

        return client.SendAppMessageAsync(message);
    }

    public async Task<RawSignalingClient> ConnectRawAsync(Uri uri, string? sessionId = null)
    {
        RawSignalingClient client = await RawSignalingClient.ConnectAsync(uri, sessionId);
        _clients.Add(client);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (RawSignalingClient c in _clients)
        {
            await c.DisposeAsync();
        }

        Http.Dispose();
        await Emulator.DisposeAsync();
    }
}
