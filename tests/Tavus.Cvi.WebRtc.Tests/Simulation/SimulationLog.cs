using Microsoft.Extensions.Logging;

namespace Tavus.Cvi.WebRtc.Tests.Simulation;

/// <summary>Keeps a simulated peer's log lines at Information and above, for failure messages.</summary>
internal sealed class SimulationLog : ILoggerProvider
{
    private readonly List<string> _lines = [];

    public SimulationLog(string name) => Name = name;

    public string Name { get; }

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(SimulationLog owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                lock (owner._lines)
                {
                    owner._lines.Add($"{owner.Name} {logLevel} {category}: {formatter(state, exception)}");
                }
            }
        }
    }
}
