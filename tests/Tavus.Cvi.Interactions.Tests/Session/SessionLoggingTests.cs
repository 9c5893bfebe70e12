using Microsoft.Extensions.Logging;
using Tavus.Cvi.Interactions.Protocol;
using Tavus.Cvi.Interactions.Session;

namespace Tavus.Cvi.Interactions.Tests.Session;

public class SessionLoggingTests
{
    private sealed class CapturingProvider : ILoggerProvider
    {
        public List<(LogLevel Level, EventId Id, string Message)> Entries { get; } = [];

        public ILogger CreateLogger(string categoryName) => new Logger(this);

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingProvider owner) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                lock (owner.Entries) owner.Entries.Add((logLevel, eventId, formatter(state, exception) + " " + exception?.Message));
            }
        }
    }

    [Fact]
    public async Task Payloads_appear_only_at_trace_and_event_ids_stay_in_the_session_range()
    {
        var provider = new CapturingProvider();
        using var factory = LoggerFactory.Create(b => b.AddProvider(provider).SetMinimumLevel(LogLevel.Trace));
        await using (var h = await SessionHarness.StartAsync(o => o.LoggerFactory = factory))
        {
            h.Session.RegisterTool("leaky", (_, _, _) => throw new InvalidOperationException("boom"));
            await h.SendFromReplicaAsync(Events.Utterance("user", "my secret plan"));
            await h.SendFromReplicaAsync(Events.ToolCall("leaky", """{"card":"4111"}"""));
            await h.SendFromReplicaAsync("{not json");
            await h.Session.RespondAsync("private words");
            (await h.NextSentAsync()).Should().Contain("private words");
            (await h.NextSentAsync()).Should().Contain("tool_result");
        }

        List<(LogLevel Level, EventId Id, string Message)> entries;
        lock (provider.Entries) entries = [.. provider.Entries];
        entries.Should().OnlyContain(e => e.Id.Id >= 1000 && e.Id.Id <= 1999);
        entries.Should().Contain(e => e.Level == LogLevel.Trace && e.Message.Contains("my secret plan"));
        entries.Should().Contain(e => e.Level == LogLevel.Trace && e.Message.Contains("private words"));
        entries.Where(e => e.Level > LogLevel.Trace).Should().NotContain(e =>
            e.Message.Contains("my secret plan") || e.Message.Contains("private words") || e.Message.Contains("4111") || e.Message.Contains("{not json"));
        entries.Should().Contain(e => e.Level == LogLevel.Error && e.Id.Id == 1011, "the failing tool handler is logged");
        entries.Should().Contain(e => e.Level == LogLevel.Warning && e.Id.Id == 1004, "the invalid message is logged");
    }
}
