using System.Text;

namespace Tavus.Cvi.Interactions.Diagnostics;

/// <summary>UTF-8 bytes that a log line decodes only when it is written (payloads are logged at Trace only).</summary>
internal readonly struct Utf8Text(ReadOnlyMemory<byte> utf8)
{
    public override string ToString() => Encoding.UTF8.GetString(utf8.Span);
}
