namespace Tavus.Cvi.WebRtc.Sctp;

/// <summary>Serial number arithmetic for TSNs (32 bits) and SSNs (16 bits), RFC 9260 §1.6 / RFC 1982.</summary>
internal static class SctpSerial
{
    public static bool Lt(uint a, uint b) => (int)(a - b) < 0;

    public static bool Le(uint a, uint b) => (int)(a - b) <= 0;

    public static bool Gt(uint a, uint b) => (int)(a - b) > 0;

    public static bool Ge(uint a, uint b) => (int)(a - b) >= 0;

    public static bool Lt(ushort a, ushort b) => (short)(a - b) < 0;

    public static bool Le(ushort a, ushort b) => (short)(a - b) <= 0;

    public static uint Max(uint a, uint b) => Gt(a, b) ? a : b;
}
