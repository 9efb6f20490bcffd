namespace Voltgate.Core.Plausibility;

/// <summary>Why a station's message is refused; each protocol version maps it onto its own error code.</summary>
public enum InputProblem
{
    /// <summary>A value outside what any station means (OCPP 1.6: PropertyConstraintViolation).</summary>
    OutOfRange,

    /// <summary>More items than a message may hold (OCPP 1.6: OccurenceConstraintViolation).</summary>
    TooMany,

    /// <summary>A storage budget (per transaction or per station and minute) is used up (OCPP 1.6: GenericError).</summary>
    BudgetExceeded,
}

/// <summary>
/// A station's message refused before anything of it is stored. The description names the field or limit; it is
/// sent to the station, so it never holds a secret.
/// </summary>
public sealed class InputRefusedException(InputProblem problem, string description) : Exception(description)
{
    public InputProblem Problem { get; } = problem;
}
