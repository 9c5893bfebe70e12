using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Tavus.Cvi.Emulator.Replica;

namespace Tavus.Cvi.Emulator;

/// <summary>Options of a <see cref="CviEmulator"/>.</summary>
public sealed class CviEmulatorOptions
{
    /// <summary>The loopback port to listen on; 0 (the default) picks a free one.</summary>
    public int Port { get; set; }

    /// <summary>The Tavus API key the REST endpoints accept; a random one is generated when null.</summary>
    public string? ApiKey { get; set; }

    /// <summary>How the replica behaves. Defaults to <see cref="EmulatorScenario.Default"/>.</summary>
    public EmulatorScenario? Scenario { get; set; }

    /// <summary>The clock of the replica's timings, conversation timeouts and <c>serverTS</c> stamps.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Where the emulator logs. Relayed payloads are logged at Trace only.</summary>
    public ILoggerFactory LoggerFactory { get; set; } = NullLoggerFactory.Instance;

    /// <summary>
    /// The largest app message the signaling server relays, in UTF-16 code units of the payload serialized as
    /// <c>JSON.stringify</c> would (daily-protocol.md §6). Larger ones are dropped and the sender gets a
    /// <c>sig-msg-rejected</c> frame. Default 4096.
    /// </summary>
    public int MaxAppMessageSize { get; set; } = 4096;

    /// <summary>How many active (non-test-mode) conversations one API key may hold (Tavus answers 400 beyond). Default 10.</summary>
    public int MaxConcurrentConversations { get; set; } = 10;

    /// <summary>Whether presence and app-message frames are wrapped in <c>sig-batch</c> frames (daily-protocol.md §4.2).</summary>
    public bool BatchSignalingFrames { get; set; }

    /// <summary>
    /// Closes a signaling socket that sent nothing for this long (daily-js sends a heartbeat every ~2 s of silence);
    /// <see langword="null"/> (the default) never closes one for silence.
    /// </summary>
    public TimeSpan? SignalingIdleTimeout { get; set; }

    /// <summary>How many relayed app messages <see cref="CviEmulator.GetRelayLog"/> keeps (oldest dropped first). Default 10 000.</summary>
    public int RelayLogCapacity { get; set; } = 10_000;

    /// <summary>The client that POSTs webhooks; one is created (and disposed) when null.</summary>
    public HttpClient? WebhookHttpClient { get; set; }

    /// <summary>
    /// Whether every room is peer-to-peer: <c>sig-ack</c> announces <c>topology:"peer"</c> (whatever the client's
    /// <c>sfuRequired</c>) and the replica exchanges app messages with each client over a WebRTC data channel
    /// (<c>app-messages</c>, daily-protocol.md §7) instead of <c>sig-msg</c> frames. Default false (SFU rooms). One
    /// conversation can be made peer-to-peer with <see cref="Faults.EmulatorFaults.PeerToPeerTopology"/>.
    /// </summary>
    public bool PeerToPeerRooms { get; set; }
}
