using System.Net;

namespace Tavus.Cvi.WebRtc.Ice;

/// <summary>A datagram to send from the agent's socket.</summary>
internal readonly record struct IceTransmit(IPEndPoint Destination, byte[] Data);
