using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Voltgate.Ocpp.Schemas;

namespace Voltgate.Ocpp.V16;

/// <summary>One OCPP 1.6 action: its direction, message types and schema validation.</summary>
public sealed class V16Action : IOcppAction
{
    public required string Name { get; init; }

    public required OcppDirection Direction { get; init; }

    /// <summary>Metadata of <c>&lt;Name&gt;Request</c>; the CLR type is <c>RequestTypeInfo.Type</c>.</summary>
    public required JsonTypeInfo RequestTypeInfo { get; init; }

    /// <summary>Metadata of <c>&lt;Name&gt;Response</c>; the CLR type is <c>ResponseTypeInfo.Type</c>.</summary>
    public required JsonTypeInfo ResponseTypeInfo { get; init; }

    /// <summary>Checks a CALL payload against the action's request schema; null when valid.</summary>
    public OcppValidationError? ValidateRequest(JsonElement payload) => PayloadValidator.Validate(payload, SchemaOf(RequestTypeInfo));

    /// <summary>Checks a CALLRESULT payload against the action's response schema; null when valid.</summary>
    public OcppValidationError? ValidateResponse(JsonElement payload) => PayloadValidator.Validate(payload, SchemaOf(ResponseTypeInfo));

    private static ObjectSchema SchemaOf(JsonTypeInfo typeInfo) =>
        V16Schemas.ByType.TryGetValue(typeInfo.Type, out var schema)
            ? schema
            : throw new InvalidOperationException($"{typeInfo.Type.Name} is not an OCPP 1.6 message type.");
}

/// <summary>
/// The OCPP 1.6 routing table (core profiles + security extension, digest §3.1). Action names are case-sensitive.
/// Validate with <see cref="V16Action.ValidateRequest"/> before deserialising with
/// <see cref="V16Action.RequestTypeInfo"/> (or the typed members of <see cref="V16JsonContext.Default"/>).
/// </summary>
public static class V16Catalog
{
    public static IReadOnlyDictionary<string, V16Action> Actions { get; } = Build();

    public static bool TryGet(string action, [NotNullWhen(true)] out V16Action? descriptor)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Actions.TryGetValue(action, out descriptor);
    }

    private static FrozenDictionary<string, V16Action> Build()
    {
        const OcppDirection Up = OcppDirection.StationToCsms;
        const OcppDirection Down = OcppDirection.CsmsToStation;
        var c = V16JsonContext.Default;
        V16Action[] actions =
        [
            // Core
            Entry("Authorize", Up, c.AuthorizeRequest, c.AuthorizeResponse),
            Entry("BootNotification", Up, c.BootNotificationRequest, c.BootNotificationResponse),
            Entry("ChangeAvailability", Down, c.ChangeAvailabilityRequest, c.ChangeAvailabilityResponse),
            Entry("ChangeConfiguration", Down, c.ChangeConfigurationRequest, c.ChangeConfigurationResponse),
            Entry("ClearCache", Down, c.ClearCacheRequest, c.ClearCacheResponse),
            Entry("DataTransfer", OcppDirection.Both, c.DataTransferRequest, c.DataTransferResponse),
            Entry("GetConfiguration", Down, c.GetConfigurationRequest, c.GetConfigurationResponse),
            Entry("Heartbeat", Up, c.HeartbeatRequest, c.HeartbeatResponse),
            Entry("MeterValues", Up, c.MeterValuesRequest, c.MeterValuesResponse),
            Entry("RemoteStartTransaction", Down, c.RemoteStartTransactionRequest, c.RemoteStartTransactionResponse),
            Entry("RemoteStopTransaction", Down, c.RemoteStopTransactionRequest, c.RemoteStopTransactionResponse),
            Entry("Reset", Down, c.ResetRequest, c.ResetResponse),
            Entry("StartTransaction", Up, c.StartTransactionRequest, c.StartTransactionResponse),
            Entry("StatusNotification", Up, c.StatusNotificationRequest, c.StatusNotificationResponse),
            Entry("StopTransaction", Up, c.StopTransactionRequest, c.StopTransactionResponse),
            Entry("UnlockConnector", Down, c.UnlockConnectorRequest, c.UnlockConnectorResponse),

            // FirmwareManagement
            Entry("DiagnosticsStatusNotification", Up, c.DiagnosticsStatusNotificationRequest, c.DiagnosticsStatusNotificationResponse),
            Entry("FirmwareStatusNotification", Up, c.FirmwareStatusNotificationRequest, c.FirmwareStatusNotificationResponse),
            Entry("GetDiagnostics", Down, c.GetDiagnosticsRequest, c.GetDiagnosticsResponse),
            Entry("UpdateFirmware", Down, c.UpdateFirmwareRequest, c.UpdateFirmwareResponse),

            // LocalAuthListManagement
            Entry("GetLocalListVersion", Down, c.GetLocalListVersionRequest, c.GetLocalListVersionResponse),
            Entry("SendLocalList", Down, c.SendLocalListRequest, c.SendLocalListResponse),

            // Reservation
            Entry("CancelReservation", Down, c.CancelReservationRequest, c.CancelReservationResponse),
            Entry("ReserveNow", Down, c.ReserveNowRequest, c.ReserveNowResponse),

            // SmartCharging
            Entry("ClearChargingProfile", Down, c.ClearChargingProfileRequest, c.ClearChargingProfileResponse),
            Entry("GetCompositeSchedule", Down, c.GetCompositeScheduleRequest, c.GetCompositeScheduleResponse),
            Entry("SetChargingProfile", Down, c.SetChargingProfileRequest, c.SetChargingProfileResponse),

            // RemoteTrigger
            Entry("TriggerMessage", Down, c.TriggerMessageRequest, c.TriggerMessageResponse),

            // Security extension (whitepaper)
            Entry("CertificateSigned", Down, c.CertificateSignedRequest, c.CertificateSignedResponse),
            Entry("DeleteCertificate", Down, c.DeleteCertificateRequest, c.DeleteCertificateResponse),
            Entry("ExtendedTriggerMessage", Down, c.ExtendedTriggerMessageRequest, c.ExtendedTriggerMessageResponse),
            Entry("GetInstalledCertificateIds", Down, c.GetInstalledCertificateIdsRequest, c.GetInstalledCertificateIdsResponse),
            Entry("GetLog", Down, c.GetLogRequest, c.GetLogResponse),
            Entry("InstallCertificate", Down, c.InstallCertificateRequest, c.InstallCertificateResponse),
            Entry("LogStatusNotification", Up, c.LogStatusNotificationRequest, c.LogStatusNotificationResponse),
            Entry("SecurityEventNotification", Up, c.SecurityEventNotificationRequest, c.SecurityEventNotificationResponse),
            Entry("SignCertificate", Up, c.SignCertificateRequest, c.SignCertificateResponse),
            Entry("SignedFirmwareStatusNotification", Up, c.SignedFirmwareStatusNotificationRequest, c.SignedFirmwareStatusNotificationResponse),
            Entry("SignedUpdateFirmware", Down, c.SignedUpdateFirmwareRequest, c.SignedUpdateFirmwareResponse),
        ];

        return actions.ToFrozenDictionary(a => a.Name, StringComparer.Ordinal);
    }

    private static V16Action Entry(string name, OcppDirection direction, JsonTypeInfo request, JsonTypeInfo response) =>
        new() { Name = name, Direction = direction, RequestTypeInfo = request, ResponseTypeInfo = response };
}
