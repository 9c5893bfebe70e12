using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tavus.Cvi.Interactions.Daily;

namespace Tavus.Cvi.Interactions.Session;

/// <summary>Options of a <c>CviSession</c>.</summary>
public sealed class CviSessionOptions
{
    /// <summary>Where the session and its transport log. Payloads are logged only at Trace; secrets never.</summary>
    public ILoggerFactory LoggerFactory { get; set; } = NullLoggerFactory.Instance;

    /// <summary>The clock for timeouts, heartbeats and backoff. Tests pass a fake one.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>How <c>CviSession.JoinAsync(conversationUrl, ...)</c> joins the Daily room.</summary>
    public DailyTransportOptions Daily { get; set; } = new();
}
