using Tavus.Cvi.Emulator.Tests.Infrastructure;
using static Tavus.Cvi.Emulator.Tests.Infrastructure.EmulatorHarness;

namespace Tavus.Cvi.Emulator.Tests;

/// <summary>The emulator logs what it relays, but never a credential (house rule: secrets never in a log line).</summary>
public sealed class LoggingTests
{
    [Fact]
    public async Task A_full_private_conversation_at_trace_logs_relays_but_no_api_key_token_or_sigauthz()
    {
        var logs = new CapturingLoggerProvider();
        await using var h = await EmulatorHarness.StartAsync(new CviEmulatorOptions { LoggerFactory = logs.CreateFactory(), ApiKey = "secret-api-key-123" });
        JsonObject created = await h.CreateConversationAsync(new JsonObject { ["require_auth"] = true });
        string id = created["conversation_id"]!.GetValue<string>();
        string token = created["meeting_token"]!.GetValue<string>();
        (_, JsonObject? lookup) = await h.LookupAsync(id, "s-1", token);
        string sigAuthz = lookup!["sigAuthz"]!.GetValue<string>();

        await using RawSignalingClient c = await h.JoinAsync(id, token: token);
        await SendInteractionAsync(c, id, "conversation.respond", new JsonObject { ["text"] = "log me" });
        await c.WaitForAsync(f => f.EventType == "conversation.replica.stopped_speaking");
        using (var bad = new HttpClient { BaseAddress = h.Emulator.BaseUri })
        {
            bad.DefaultRequestHeaders.Add("x-api-key", "wrong-" + h.Emulator.ApiKey);
            await bad.GetAsync("v2/conversations");
        }

        (await h.LookupAsync(id, "s-2", token[..^2] + "xx")).Body!["joinProps"]!["error"].Should().NotBeNull();
        h.Emulator.EndConversation(id);

        string[] lines = logs.Lines.Select(l => l.Message + " " + l.Exception).ToArray();
        lines.Should().Contain(l => l.Contains("log me", StringComparison.Ordinal), "payloads are logged at Trace");
        lines.Should().Contain(l => l.Contains("x-egassem", StringComparison.Ordinal));
        string[] secrets = [h.Emulator.ApiKey, token, sigAuthz, c.SigAck.GetProperty("sigAuthz").GetString()!, token.Split('.')[2]];
        foreach (string secret in secrets)
        {
            lines.Should().NotContain(l => l.Contains(secret, StringComparison.Ordinal));
        }

        logs.Lines.Where(l => l.Message.Contains("payload", StringComparison.Ordinal)).Should().OnlyContain(l => l.Level == Microsoft.Extensions.Logging.LogLevel.Trace);
    }
}
