namespace Voltgate.Ocpp.Rpc;

/// <summary>
/// CALLERROR codes of OCPP 2.0.1 (OCPP-J 2.0.1 §4.3). 2.0.1 corrected 1.6's spellings (FormatViolation,
/// OccurrenceConstraintViolation) and added MessageTypeNotSupported and RpcFrameworkError; a 2.0.1 station must
/// get these, a 1.6 station the ones in <see cref="OcppErrorCodes"/>.
/// </summary>
public static class V201ErrorCodes
{
    public const string FormatViolation = "FormatViolation";
    public const string GenericError = "GenericError";
    public const string InternalError = "InternalError";
    public const string MessageTypeNotSupported = "MessageTypeNotSupported";
    public const string NotImplemented = "NotImplemented";
    public const string NotSupported = "NotSupported";
    public const string OccurrenceConstraintViolation = "OccurrenceConstraintViolation";
    public const string PropertyConstraintViolation = "PropertyConstraintViolation";
    public const string ProtocolError = "ProtocolError";
    public const string RpcFrameworkError = "RpcFrameworkError";
    public const string SecurityError = "SecurityError";
    public const string TypeConstraintViolation = "TypeConstraintViolation";

    /// <summary>Every code OCPP-J 2.0.1 defines.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        FormatViolation, GenericError, InternalError, MessageTypeNotSupported, NotImplemented, NotSupported,
        OccurrenceConstraintViolation, PropertyConstraintViolation, ProtocolError, RpcFrameworkError,
        SecurityError, TypeConstraintViolation,
    ];

    /// <summary>The 2.0.1 spelling of a 1.6 code; codes both versions share pass through.</summary>
    public static string From16(string code) => code switch
    {
        OcppErrorCodes.FormationViolation => FormatViolation,
        OcppErrorCodes.OccurenceConstraintViolation => OccurrenceConstraintViolation,
        _ => code,
    };

    /// <summary>The shared validator reports 1.6 codes; a 2.0.1 action reports the same failure in 2.0.1 spelling.</summary>
    internal static OcppValidationError? FromValidator(OcppValidationError? error) =>
        error is null ? null : error with { ErrorCode = From16(error.ErrorCode) };
}
