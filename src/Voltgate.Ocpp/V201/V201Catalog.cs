using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Voltgate.Ocpp.Rpc;
using Voltgate.Ocpp.Schemas;

namespace Voltgate.Ocpp.V201;

/// <summary>One OCPP 2.0.1 action: its direction, message types and schema validation with 2.0.1 error codes.</summary>
public sealed class V201Action : IOcppAction
{
    public required string Name { get; init; }

    public required OcppDirection Direction { get; init; }

    /// <summary>Metadata of <c>&lt;Name&gt;Request</c>; the CLR type is <c>RequestTypeInfo.Type</c>.</summary>
    public required JsonTypeInfo RequestTypeInfo { get; init; }

    /// <summary>Metadata of <c>&lt;Name&gt;Response</c>; the CLR type is <c>ResponseTypeInfo.Type</c>.</summary>
    public required JsonTypeInfo ResponseTypeInfo { get; init; }

    /// <summary>Checks a CALL payload against the action's request schema; null when valid.</summary>
    public OcppValidationError? ValidateRequest(JsonElement payload) =>
        V201ErrorCodes.FromValidator(PayloadValidator.Validate(payload, SchemaOf(RequestTypeInfo)));

    /// <summary>Checks a CALLRESULT payload against the action's response schema; null when valid.</summary>
    public OcppValidationError? ValidateResponse(JsonElement payload) =>
        V201ErrorCodes.FromValidator(PayloadValidator.Validate(payload, SchemaOf(ResponseTypeInfo)));

    private static ObjectSchema SchemaOf(JsonTypeInfo typeInfo) =>
        V201Schemas.ByType.TryGetValue(typeInfo.Type, out var schema)
            ? schema
            : throw new InvalidOperationException($"{typeInfo.Type.Name} is not an OCPP 2.0.1 message type.");
}

/// <summary>
/// The OCPP 2.0.1 routing table (every action of the OCA's 2.0.1 schemas). Action names are case-sensitive.
/// Validate with <see cref="V201Action.ValidateRequest"/> before deserialising with
/// <see cref="V201Action.RequestTypeInfo"/> (or the typed members of <see cref="V201JsonContext.Default"/>).
/// </summary>
public static class V201Catalog
{
    public static IReadOnlyDictionary<string, V201Action> Actions { get; } = Build();

    public static bool TryGet(string action, [NotNullWhen(true)] out V201Action? descriptor)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Actions.TryGetValue(action, out descriptor);
    }

    private static FrozenDictionary<string, V201Action> Build()
    {
        const OcppDirection Up = OcppDirection.StationToCsms;
        const OcppDirection Down = OcppDirection.CsmsToStation;
        var c = V201JsonContext.Default;
        V201Action[] actions =
        [
            // Station to CSMS
            Entry("Authorize", Up, c.AuthorizeRequest, c.AuthorizeResponse),
            Entry("BootNotification", Up, c.BootNotificationRequest, c.BootNotificationResponse),
            Entry("ClearedChargingLimit", Up, c.ClearedChargingLimitRequest, c.ClearedChargingLimitResponse),
            Entry("FirmwareStatusNotification", Up, c.FirmwareStatusNotificationRequest, c.FirmwareStatusNotificationResponse),
            Entry("Get15118EVCertificate", Up, c.Get15118EVCertificateRequest, c.Get15118EVCertificateResponse),
            Entry("GetCertificateStatus", Up, c.GetCertificateStatusRequest, c.GetCertificateStatusResponse),
            Entry("Heartbeat", Up, c.HeartbeatRequest, c.HeartbeatResponse),
            Entry("LogStatusNotification", Up, c.LogStatusNotificationRequest, c.LogStatusNotificationResponse),
            Entry("MeterValues", Up, c.MeterValuesRequest, c.MeterValuesResponse),
            Entry("NotifyChargingLimit", Up, c.NotifyChargingLimitRequest, c.NotifyChargingLimitResponse),
            Entry("NotifyCustomerInformation", Up, c.NotifyCustomerInformationRequest, c.NotifyCustomerInformationResponse),
            Entry("NotifyDisplayMessages", Up, c.NotifyDisplayMessagesRequest, c.NotifyDisplayMessagesResponse),
            Entry("NotifyEVChargingNeeds", Up, c.NotifyEVChargingNeedsRequest, c.NotifyEVChargingNeedsResponse),
            Entry("NotifyEVChargingSchedule", Up, c.NotifyEVChargingScheduleRequest, c.NotifyEVChargingScheduleResponse),
            Entry("NotifyEvent", Up, c.NotifyEventRequest, c.NotifyEventResponse),
            Entry("NotifyMonitoringReport", Up, c.NotifyMonitoringReportRequest, c.NotifyMonitoringReportResponse),
            Entry("NotifyReport", Up, c.NotifyReportRequest, c.NotifyReportResponse),
            Entry("PublishFirmwareStatusNotification", Up, c.PublishFirmwareStatusNotificationRequest, c.PublishFirmwareStatusNotificationResponse),
            Entry("ReportChargingProfiles", Up, c.ReportChargingProfilesRequest, c.ReportChargingProfilesResponse),
            Entry("ReservationStatusUpdate", Up, c.ReservationStatusUpdateRequest, c.ReservationStatusUpdateResponse),
            Entry("SecurityEventNotification", Up, c.SecurityEventNotificationRequest, c.SecurityEventNotificationResponse),
            Entry("SignCertificate", Up, c.SignCertificateRequest, c.SignCertificateResponse),
            Entry("StatusNotification", Up, c.StatusNotificationRequest, c.StatusNotificationResponse),
            Entry("TransactionEvent", Up, c.TransactionEventRequest, c.TransactionEventResponse),

            // Both directions
            Entry("DataTransfer", OcppDirection.Both, c.DataTransferRequest, c.DataTransferResponse),

            // CSMS to station
            Entry("CancelReservation", Down, c.CancelReservationRequest, c.CancelReservationResponse),
            Entry("CertificateSigned", Down, c.CertificateSignedRequest, c.CertificateSignedResponse),
            Entry("ChangeAvailability", Down, c.ChangeAvailabilityRequest, c.ChangeAvailabilityResponse),
            Entry("ClearCache", Down, c.ClearCacheRequest, c.ClearCacheResponse),
            Entry("ClearChargingProfile", Down, c.ClearChargingProfileRequest, c.ClearChargingProfileResponse),
            Entry("ClearDisplayMessage", Down, c.ClearDisplayMessageRequest, c.ClearDisplayMessageResponse),
            Entry("ClearVariableMonitoring", Down, c.ClearVariableMonitoringRequest, c.ClearVariableMonitoringResponse),
            Entry("CostUpdated", Down, c.CostUpdatedRequest, c.CostUpdatedResponse),
            Entry("CustomerInformation", Down, c.CustomerInformationRequest, c.CustomerInformationResponse),
            Entry("DeleteCertificate", Down, c.DeleteCertificateRequest, c.DeleteCertificateResponse),
            Entry("GetBaseReport", Down, c.GetBaseReportRequest, c.GetBaseReportResponse),
            Entry("GetChargingProfiles", Down, c.GetChargingProfilesRequest, c.GetChargingProfilesResponse),
            Entry("GetCompositeSchedule", Down, c.GetCompositeScheduleRequest, c.GetCompositeScheduleResponse),
            Entry("GetDisplayMessages", Down, c.GetDisplayMessagesRequest, c.GetDisplayMessagesResponse),
            Entry("GetInstalledCertificateIds", Down, c.GetInstalledCertificateIdsRequest, c.GetInstalledCertificateIdsResponse),
            Entry("GetLocalListVersion", Down, c.GetLocalListVersionRequest, c.GetLocalListVersionResponse),
            Entry("GetLog", Down, c.GetLogRequest, c.GetLogResponse),
            Entry("GetMonitoringReport", Down, c.GetMonitoringReportRequest, c.GetMonitoringReportResponse),
            Entry("GetReport", Down, c.GetReportRequest, c.GetReportResponse),
            Entry("GetTransactionStatus", Down, c.GetTransactionStatusRequest, c.GetTransactionStatusResponse),
            Entry("GetVariables", Down, c.GetVariablesRequest, c.GetVariablesResponse),
            Entry("InstallCertificate", Down, c.InstallCertificateRequest, c.InstallCertificateResponse),
            Entry("PublishFirmware", Down, c.PublishFirmwareRequest, c.PublishFirmwareResponse),
            Entry("RequestStartTransaction", Down, c.RequestStartTransactionRequest, c.RequestStartTransactionResponse),
            Entry("RequestStopTransaction", Down, c.RequestStopTransactionRequest, c.RequestStopTransactionResponse),
            Entry("ReserveNow", Down, c.ReserveNowRequest, c.ReserveNowResponse),
            Entry("Reset", Down, c.ResetRequest, c.ResetResponse),
            Entry("SendLocalList", Down, c.SendLocalListRequest, c.SendLocalListResponse),
            Entry("SetChargingProfile", Down, c.SetChargingProfileRequest, c.SetChargingProfileResponse),
            Entry("SetDisplayMessage", Down, c.SetDisplayMessageRequest, c.SetDisplayMessageResponse),
            Entry("SetMonitoringBase", Down, c.SetMonitoringBaseRequest, c.SetMonitoringBaseResponse),
            Entry("SetMonitoringLevel", Down, c.SetMonitoringLevelRequest, c.SetMonitoringLevelResponse),
            Entry("SetNetworkProfile", Down, c.SetNetworkProfileRequest, c.SetNetworkProfileResponse),
            Entry("SetVariableMonitoring", Down, c.SetVariableMonitoringRequest, c.SetVariableMonitoringResponse),
            Entry("SetVariables", Down, c.SetVariablesRequest, c.SetVariablesResponse),
            Entry("TriggerMessage", Down, c.TriggerMessageRequest, c.TriggerMessageResponse),
            Entry("UnlockConnector", Down, c.UnlockConnectorRequest, c.UnlockConnectorResponse),
            Entry("UnpublishFirmware", Down, c.UnpublishFirmwareRequest, c.UnpublishFirmwareResponse),
            Entry("UpdateFirmware", Down, c.UpdateFirmwareRequest, c.UpdateFirmwareResponse),
        ];

        return actions.ToFrozenDictionary(a => a.Name, StringComparer.Ordinal);
    }

    private static V201Action Entry(string name, OcppDirection direction, JsonTypeInfo request, JsonTypeInfo response) =>
        new() { Name = name, Direction = direction, RequestTypeInfo = request, ResponseTypeInfo = response };
}
