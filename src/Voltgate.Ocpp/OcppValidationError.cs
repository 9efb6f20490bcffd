namespace Voltgate.Ocpp;

/// <summary>
/// Why a payload does not match its schema. <see cref="ErrorCode"/> is a CALLERROR code of the protocol version
/// (1.6 spellings: FormationViolation, TypeConstraintViolation, OccurenceConstraintViolation,
/// PropertyConstraintViolation); <see cref="Description"/> names the JSON path and the rule, never the value.
/// </summary>
public sealed record OcppValidationError(string ErrorCode, string Description);
