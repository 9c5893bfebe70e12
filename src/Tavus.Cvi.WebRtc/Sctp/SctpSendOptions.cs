namespace Tavus.Cvi.WebRtc.Sctp;

/// <summary>How one message is sent: ordering and partial reliability (RFC 3758, RFC 8831 §6.1).</summary>
public readonly record struct SctpSendOptions
{
    /// <summary>Reliable, ordered delivery.</summary>
    public static SctpSendOptions Default => default;

    /// <summary>True to send with the U bit: the receiver delivers the message as soon as it is complete.</summary>
    public bool Unordered { get; init; }

    /// <summary>
    /// Retransmissions allowed before the message is abandoned (RFC 3758 "limited retransmission"); null for reliable.
    /// 0 sends it once.
    /// </summary>
    public int? MaxRetransmits { get; init; }

    /// <summary>Time after <c>Send</c> at which an undelivered message is abandoned (RFC 3758 "timed reliability").</summary>
    public TimeSpan? MaxLifetime { get; init; }
}
