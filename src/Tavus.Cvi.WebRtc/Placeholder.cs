namespace Tavus.Cvi.WebRtc; internal static class Placeholder { }
