namespace Tavus.Cvi.WebRtc.Ice;

/// <summary>The state of an <see cref="IceAgent"/>.</summary>
internal enum IceConnectionState
{
    New,
    Checking,
    Connected,
    Disconnected,
    Failed,
    Closed,
}
