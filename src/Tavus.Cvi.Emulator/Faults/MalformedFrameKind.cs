namespace Tavus.Cvi.Emulator.Faults;

/// <summary>A kind of broken frame <see cref="CviEmulator.SendMalformedFrame"/> can send.</summary>
public enum MalformedFrameKind
{
    /// <summary>A text frame that is not JSON.</summary>
    InvalidJson,

    /// <summary>A binary WebSocket frame (Daily signaling uses text frames only).</summary>
    BinaryFrame,

    /// <summary>A JSON frame that is not an object (an array).</summary>
    NotAnObject,

    /// <summary>A <c>sig-msg</c> app message whose payload is a JSON string instead of an object.</summary>
    AppMessageNotAnObject,

    /// <summary>An app message that is a JSON object but not a Tavus message (no <c>event_type</c>).</summary>
    AppMessageNotTavus,

    /// <summary>A Tavus app message with an <c>event_type</c> nobody knows.</summary>
    UnknownTavusEvent,

    /// <summary>A Tavus event whose known fields have the wrong JSON types.</summary>
    WrongFieldTypes,
}
