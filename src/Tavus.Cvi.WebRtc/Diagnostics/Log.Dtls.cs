using Microsoft.Extensions.Logging;
using Tavus.Cvi.WebRtc.Dtls;

namespace Tavus.Cvi.WebRtc.Diagnostics;

/// <summary>DTLS log messages (event ids 4100-4199). Keys and secrets are never logged.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 4100, Level = LogLevel.Information, Message = "DTLS handshake complete as {Role}; application data limit {Limit} bytes")]
    public static partial void DtlsConnected(ILogger logger, DtlsRole role, int limit);

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning, Message = "DTLS as {Role} failed: {Reason}")]
    public static partial void DtlsFailed(ILogger logger, DtlsRole role, string reason);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "DTLS peer certificate does not match the fingerprint of the remote description")]
    public static partial void DtlsFingerprintMismatch(ILogger logger);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Debug, Message = "DTLS alert {Direction}: {Alert} (RFC 5246 §7.2 alert number)")]
    public static partial void DtlsAlert(ILogger logger, string direction, short alert);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Debug, Message = "DTLS send failed: {Reason}")]
    public static partial void DtlsSendFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Debug, Message = "DTLS thread stopped after close")]
    public static partial void DtlsStopped(ILogger logger, Exception exception);
}
