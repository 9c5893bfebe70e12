using System.Text.Json.Serialization;

namespace Tavus.Cvi.Interactions.Protocol;

/// <summary>
/// <c>conversation.sensitivity</c>: changes voice-activity sensitivity mid-call (tavus-protocol.md §A.6).
/// </summary>
/// <remarks>
/// The newest docs ask for exactly one of the two keys per message; use <see cref="ForPause"/> and
/// <see cref="ForInterrupt"/>. A key left null is not written.
/// </remarks>
[JsonConverter(typeof(CviInteractionJsonConverter<SensitivityInteraction>))]
public sealed record SensitivityInteraction : CviInteraction
{
    /// <inheritdoc/>
    public override string EventType => CviEventTypes.Sensitivity;

    /// <summary><c>participant_pause_sensitivity</c>: how long the user may pause before the replica replies.</summary>
    public Sensitivity? PauseSensitivity { get; init; }

    /// <summary><c>participant_interrupt_sensitivity</c>: how easily the user can interrupt the replica.</summary>
    public Sensitivity? InterruptSensitivity { get; init; }

    /// <summary>Creates a message that sets only the pause sensitivity.</summary>
    /// <param name="sensitivity">The level.</param>
    public static SensitivityInteraction ForPause(Sensitivity sensitivity) => new() { PauseSensitivity = sensitivity };

    /// <summary>Creates a message that sets only the interrupt sensitivity.</summary>
    /// <param name="sensitivity">The level.</param>
    public static SensitivityInteraction ForInterrupt(Sensitivity sensitivity) => new() { InterruptSensitivity = sensitivity };
}
