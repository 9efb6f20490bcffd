namespace Voltgate.Ocpp.Rpc;

/// <summary>CALLERROR codes. OCPP 1.6 keeps its historic spellings (FormationViolation, OccurenceConstraintViolation).</summary>
public static class OcppErrorCodes
{
    public const string NotImplemented = "NotImplemented";
    public const string NotSupported = "NotSupported";
    public const string InternalError = "InternalError";
    public const string ProtocolError = "ProtocolError";
    public const string SecurityError = "SecurityError";
    public const string FormationViolation = "FormationViolation";
    public const string PropertyConstraintViolation = "PropertyConstraintViolation";
    public const string OccurenceConstraintViolation = "OccurenceConstraintViolation";
    public const string TypeConstraintViolation = "TypeConstraintViolation";
    public const string GenericError = "GenericError";

    /// <summary>Every code OCPP 1.6J defines.</summary>
    public static IReadOnlyList<string> V16 { get; } =
    [
        NotImplemented, NotSupported, InternalError, ProtocolError, SecurityError, FormationViolation,
        PropertyConstraintViolation, OccurenceConstraintViolation, TypeConstraintViolation, GenericError,
    ];
}
