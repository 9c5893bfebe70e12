using System.Net;
using System.Net.Http.Json;
using Tavus.Cvi.Emulator.Tests.Infrastructure;

namespace Tavus.Cvi.Emulator.Tests;

/// <summary>The Tavus REST side (tavus-protocol.md §D), driven with a raw <see cref="HttpClient"/>.</summary>
public sealed class RestApiTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("wrong-key")]
    public async Task Requests_without_a_valid_api_key_get_401_invalid_access_token(string? key)
    {
        await using var h = await EmulatorHarness.StartAsync();
        using var http = new HttpClient { BaseAddress = h.Emulator.TavusApiBaseUri };
        if (key is not null)
        {
            http.DefaultRequestHeaders.Add("x-api-key", key);
        }

        using HttpResponseMessage response = await http.GetAsync("v2/conversations");
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!["message"]!.GetValue<string>().Should().Be("Invalid access token");
    }

    [Fact]
    public async Task Create_returns_the_documented_fields_and_a_room_url_under_the_emulator()
    {
        await using var h = await EmulatorHarness.StartAsync(new CviEmulatorOptions { ApiKey = "my-key" });
        h.Emulator.ApiKey.Should().Be("my-key");
        JsonObject c = await h.CreateConversationAsync(new JsonObject
        {
            ["replica_id"] = "r123",
            ["persona_id"] = "p456",
            ["conversation_name"] = "Demo",
            ["callback_url"] = "http://127.0.0.1:1/hook",
        });

        string id = c["conversation_id"]!.GetValue<string>();
        id.Should().MatchRegex("^c[0-9a-f]{12}$");
        c["conversation_url"]!.GetValue<string>().Should().Be($"{h.Emulator.BaseUri}tavus/{id}");
        h.Emulator.GetConversationUrl(id).ToString().Should().Be(c["conversation_url"]!.GetValue<string>());
        c["status"]!.GetValue<string>().Should().Be("active");
        c["conversation_name"]!.GetValue<string>().Should().Be("Demo");
        c["callback_url"]!.GetValue<string>().Should().Be("http://127.0.0.1:1/hook");
        c["replica_id"]!.GetValue<string>().Should().Be("r123");
        c["persona_id"]!.GetValue<string>().Should().Be("p456");
        DateTimeOffset.Parse(c["created_at"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).Should().BeCloseTo(DateTimeOffset.UtcNow, TimeSpan.FromMinutes(1));
        c.ContainsKey("meeting_token").Should().BeFalse();

        JsonObject got = JsonNode.Parse(await h.Http.GetStringAsync($"v2/conversations/{id}"))!.AsObject();
        got["conversation_id"]!.GetValue<string>().Should().Be(id);
        got["status"]!.GetValue<string>().Should().Be("active");
        got.ContainsKey("updated_at").Should().BeTrue();
    }

    [Fact]
    public async Task Pal_and_face_ids_are_accepted_as_the_new_names_of_persona_and_replica()
    {
        await using var h = await EmulatorHarness.StartAsync();
        JsonObject c = await h.CreateConversationAsync(new JsonObject { ["pal_id"] = "pal9", ["face_id"] = "face9" });
        c["replica_id"]!.GetValue<string>().Should().Be("face9");
        c["persona_id"]!.GetValue<string>().Should().Be("pal9");
        c["face_id"]!.GetValue<string>().Should().Be("face9");
        c["pal_id"]!.GetValue<string>().Should().Be("pal9");
    }

    [Fact]
    public async Task List_pages_filters_by_status_and_reports_the_total()
    {
        await using var h = await EmulatorHarness.StartAsync();
        var ids = new List<string>();
        for (int i = 0; i < 5; i++)
        {
            ids.Add(await h.CreateConversationIdAsync());
        }

        (await h.Http.PostAsync($"v2/conversations/{ids[0]}/end", null)).StatusCode.Should().Be(HttpStatusCode.OK);

        JsonObject page1 = JsonNode.Parse(await h.Http.GetStringAsync("v2/conversations?limit=2&page=1"))!.AsObject();
        JsonObject page3 = JsonNode.Parse(await h.Http.GetStringAsync("v2/conversations?limit=2&page=3"))!.AsObject();
        page1["total_count"]!.GetValue<int>().Should().Be(5);
        page1["data"]!.AsArray().Should().HaveCount(2);
        page3["data"]!.AsArray().Should().HaveCount(1);
        var seen = new HashSet<string>();
        for (int page = 1; page <= 3; page++)
        {
            foreach (JsonNode? c in JsonNode.Parse(await h.Http.GetStringAsync($"v2/conversations?limit=2&page={page}"))!["data"]!.AsArray())
            {
                seen.Add(c!["conversation_id"]!.GetValue<string>()).Should().BeTrue("pages do not overlap");
            }
        }

        seen.Should().BeEquivalentTo(ids);
        JsonObject ended = JsonNode.Parse(await h.Http.GetStringAsync("v2/conversations?status=ended"))!.AsObject();
        ended["total_count"]!.GetValue<int>().Should().Be(1);
        ended["data"]![0]!["conversation_id"]!.GetValue<string>().Should().Be(ids[0]);
        JsonNode.Parse(await h.Http.GetStringAsync("v2/conversations?status=active"))!["total_count"]!.GetValue<int>().Should().Be(4);
        (await h.Http.GetAsync("v2/conversations?limit=0")).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task End_ends_the_conversation_and_verbose_get_shows_the_reason_and_events()
    {
        await using var h = await EmulatorHarness.StartAsync();
        string id = await h.CreateConversationIdAsync();
        await using RawSignalingClient client = await h.JoinAsync(id);

        using HttpResponseMessage end = await h.Http.PostAsync($"v2/conversations/{id}/end", null);
        end.StatusCode.Should().Be(HttpStatusCode.OK);
        await client.WaitForAsync(f => f.MsgStr == "room-deleted");
        int shutdownAt = client.Received.FindIndex(f => f.EventType == "system.shutdown");
        shutdownAt.Should().BeGreaterThanOrEqualTo(0, "the replica announces the end in the room");
        shutdownAt.Should().BeLessThan(client.Received.FindIndex(f => f.MsgStr == "room-deleted"), "before the room goes away");
        client.Received[shutdownAt].Props.GetProperty("shutdown_reason").GetString().Should().Be("end_conversation_endpoint_hit");

        JsonObject plain = JsonNode.Parse(await h.Http.GetStringAsync($"v2/conversations/{id}"))!.AsObject();
        plain["status"]!.GetValue<string>().Should().Be("ended");
        plain.ContainsKey("shutdown_reason").Should().BeFalse();
        JsonObject verbose = JsonNode.Parse(await h.Http.GetStringAsync($"v2/conversations/{id}?verbose=true"))!.AsObject();
        verbose["shutdown_reason"]!.GetValue<string>().Should().Be("end_conversation_endpoint_hit");
        verbose["events"]!.AsArray().Select(e => e!["event_type"]!.GetValue<string>())
            .Should().ContainInOrder("system.replica_joined", "system.shutdown", "application.transcription_ready");

        (await h.Http.PostAsync($"v2/conversations/{id}/end", null)).StatusCode.Should().Be(HttpStatusCode.OK, "ending twice is idempotent");
        (await h.LookupAsync(id, Guid.NewGuid().ToString())).Status.Should().Be(HttpStatusCode.NotFound, "the room is gone");
    }

    [Theory]
    [InlineData("")]
    [InlineData("?hard=true")]
    public async Task Delete_answers_204_and_the_conversation_is_gone(string query)
    {
        await using var h = await EmulatorHarness.StartAsync();
        string id = await h.CreateConversationIdAsync();
        using HttpResponseMessage delete = await h.Http.DeleteAsync($"v2/conversations/{id}{query}");
        delete.StatusCode.Should().Be(HttpStatusCode.NoContent);
        (await delete.Content.ReadAsStringAsync()).Should().BeEmpty();
        (await h.Http.GetAsync($"v2/conversations/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await h.Http.DeleteAsync($"v2/conversations/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Test_mode_conversations_are_ended_have_no_replica_and_take_no_slot()
    {
        await using var h = await EmulatorHarness.StartAsync(new CviEmulatorOptions { MaxConcurrentConversations = 1 });
        JsonObject c = await h.CreateConversationAsync(new JsonObject { ["test_mode"] = true });
        c["status"]!.GetValue<string>().Should().Be("ended");
        string id = c["conversation_id"]!.GetValue<string>();
        h.Emulator.GetReplicaSessionId(id).Should().BeNull();

        await using RawSignalingClient client = await h.JoinAsync(id, waitForReplica: false);
        client.SigAck.GetProperty("presences").GetArrayLength().Should().Be(0, "the replica does not join in test mode");

        await h.CreateConversationIdAsync(); // the one real slot is still free
    }

    [Fact]
    public async Task The_concurrency_limit_is_answered_as_tavus_does_and_end_frees_a_slot()
    {
        await using var h = await EmulatorHarness.StartAsync(new CviEmulatorOptions { MaxConcurrentConversations = 2 });
        string first = await h.CreateConversationIdAsync();
        await h.CreateConversationIdAsync();

        using HttpResponseMessage refused = await h.Http.PostAsJsonAsync("v2/conversations", new JsonObject());
        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        JsonNode.Parse(await refused.Content.ReadAsStringAsync())!["message"]!.GetValue<string>()
            .Should().Be("User has reached maximum concurrent conversations");

        await h.Http.PostAsync($"v2/conversations/{first}/end", null);
        await h.CreateConversationIdAsync();
    }

    [Fact]
    public async Task Malformed_create_bodies_are_rejected_with_400()
    {
        await using var h = await EmulatorHarness.StartAsync();
        using var content = new StringContent("[1,2", System.Text.Encoding.UTF8, "application/json");
        (await h.Http.PostAsync("v2/conversations", content)).StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await h.Http.PostAsJsonAsync("v2/conversations", new JsonObject { ["callback_url"] = "not a url" })).StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Require_auth_returns_a_meeting_token_and_the_room_then_requires_it()
    {
        await using var h = await EmulatorHarness.StartAsync();
        JsonObject c = await h.CreateConversationAsync(new JsonObject { ["require_auth"] = true });
        string id = c["conversation_id"]!.GetValue<string>();
        string token = c["meeting_token"]!.GetValue<string>();
        token.Split('.').Should().HaveCount(3, "a JWT");

        (HttpStatusCode status, JsonObject? without) = await h.LookupAsync(id, Guid.NewGuid().ToString());
        status.Should().Be(HttpStatusCode.OK);
        without!["privacy"]!.GetValue<string>().Should().Be("private");
        without["needToRequest"]!.GetValue<bool>().Should().BeTrue();
        without.ContainsKey("sigAuthz").Should().BeFalse();

        (_, JsonObject? forged) = await h.LookupAsync(id, Guid.NewGuid().ToString(), token[..^4] + "AAAA");
        forged!["needToRequest"]!.GetValue<bool>().Should().BeTrue();
        forged["joinProps"]!["error"]!.GetValue<string>().Should().Contain("signature");

        (_, JsonObject? with) = await h.LookupAsync(id, Guid.NewGuid().ToString(), token);
        with!["needToRequest"]!.GetValue<bool>().Should().BeFalse();
        with["sigAuthz"]!.GetValue<string>().Should().NotBeNullOrEmpty();
        with["joinProps"]!["r"]!.GetValue<string>().Should().Be(id);

        await using RawSignalingClient client = await h.JoinAsync(id, token: token);
        client.SigAck.GetProperty("topology").GetString().Should().Be("sfu");
    }
}
