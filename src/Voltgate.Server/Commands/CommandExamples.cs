using System.Globalization;

namespace Voltgate.Server.Commands;

/// <summary>
/// A valid example body per OCPP 1.6 command without a dedicated form in the UI, so the operator edits values
/// instead of writing OCPP JSON from memory. The server validates whatever is sent against the message schema.
/// </summary>
internal static class CommandExamples
{
    public static IReadOnlyList<string> Actions { get; } =
    [
        "GetConfiguration", "ChangeConfiguration", "GetDiagnostics", "UpdateFirmware", "SendLocalList", "ReserveNow", "CancelReservation",
        "SetChargingProfile", "ClearChargingProfile", "GetCompositeSchedule", "ExtendedTriggerMessage", "GetLog", "GetInstalledCertificateIds",
    ];

    public static string For(string action, DateTimeOffset now)
    {
        var soon = now.AddMinutes(5).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var later = now.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        return action switch
        {
            "GetConfiguration" => "{\"key\": []}",
            "ChangeConfiguration" => "{\"key\": \"HeartbeatInterval\", \"value\": \"300\"}",
            "GetDiagnostics" => "{\"location\": \"ftp://diagnostics.example.com/upload/\", \"retries\": 3, \"retryInterval\": 60}",
            "UpdateFirmware" => $"{{\"location\": \"https://firmware.example.com/station.bin\", \"retrieveDate\": \"{soon}\", \"retries\": 3}}",
            "SendLocalList" => "{\"listVersion\": 1, \"updateType\": \"Full\", \"localAuthorizationList\": [{\"idTag\": \"CARD-001\", \"idTagInfo\": {\"status\": \"Accepted\"}}]}",
            "ReserveNow" => $"{{\"connectorId\": 1, \"expiryDate\": \"{later}\", \"idTag\": \"CARD-001\", \"reservationId\": 1}}",
            "CancelReservation" => "{\"reservationId\": 1}",
            "SetChargingProfile" => "{\"connectorId\": 1, \"csChargingProfiles\": {\"chargingProfileId\": 1, \"stackLevel\": 0, \"chargingProfilePurpose\": \"TxDefaultProfile\", \"chargingProfileKind\": \"Relative\", \"chargingSchedule\": {\"chargingRateUnit\": \"A\", \"chargingSchedulePeriod\": [{\"startPeriod\": 0, \"limit\": 16}]}}}",
            "ClearChargingProfile" => "{\"id\": 1}",
            "GetCompositeSchedule" => "{\"connectorId\": 1, \"duration\": 3600, \"chargingRateUnit\": \"A\"}",
            "ExtendedTriggerMessage" => "{\"requestedMessage\": \"StatusNotification\"}",
            "GetLog" => $"{{\"logType\": \"DiagnosticsLog\", \"requestId\": 1, \"log\": {{\"remoteLocation\": \"ftp://logs.example.com/upload/\"}}}}",
            "GetInstalledCertificateIds" => "{\"certificateType\": \"CentralSystemRootCertificate\"}",
            _ => "{}",
        };
    }

    /// <summary>
    /// A valid OCPP 2.0.1 example body per command (tests check each against the 2.0.1 schema); commands whose body
    /// needs certificates or charging profiles start from "{}" and the server names what is missing.
    /// </summary>
    public static string ForV201(string action, DateTimeOffset now)
    {
        var soon = now.AddMinutes(5).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var later = now.AddHours(1).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        return action switch
        {
            "Reset" => "{\"type\": \"Immediate\"}",
            "GetVariables" => "{\"getVariableData\": [{\"component\": {\"name\": \"OCPPCommCtrlr\"}, \"variable\": {\"name\": \"HeartbeatInterval\"}}]}",
            "SetVariables" => "{\"setVariableData\": [{\"attributeValue\": \"300\", \"component\": {\"name\": \"OCPPCommCtrlr\"}, \"variable\": {\"name\": \"HeartbeatInterval\"}}]}",
            "GetBaseReport" => "{\"requestId\": 1, \"reportBase\": \"FullInventory\"}",
            "GetReport" => "{\"requestId\": 1, \"componentCriteria\": [\"Available\"]}",
            "SendLocalList" => "{\"versionNumber\": 1, \"updateType\": \"Full\", \"localAuthorizationList\": [{\"idToken\": {\"idToken\": \"CARD-001\", \"type\": \"ISO14443\"}, \"idTokenInfo\": {\"status\": \"Accepted\"}}]}",
            "RequestStartTransaction" => "{\"idToken\": {\"idToken\": \"CARD-001\", \"type\": \"ISO14443\"}, \"remoteStartId\": 1, \"evseId\": 1}",
            "RequestStopTransaction" => "{\"transactionId\": \"TX-0001\"}",
            "GetTransactionStatus" => "{\"transactionId\": \"TX-0001\"}",
            "UnlockConnector" => "{\"evseId\": 1, \"connectorId\": 1}",
            "TriggerMessage" => "{\"requestedMessage\": \"StatusNotification\", \"evse\": {\"id\": 1, \"connectorId\": 1}}",
            "ChangeAvailability" => "{\"operationalStatus\": \"Operative\", \"evse\": {\"id\": 1}}",
            "GetLog" => "{\"logType\": \"DiagnosticsLog\", \"requestId\": 1, \"log\": {\"remoteLocation\": \"https://logs.example.com/upload/\"}}",
            "UpdateFirmware" => $"{{\"requestId\": 1, \"firmware\": {{\"location\": \"https://firmware.example.com/station.bin\", \"retrieveDateTime\": \"{soon}\"}}}}",
            "DataTransfer" => "{\"vendorId\": \"com.example\", \"messageId\": \"Ping\", \"data\": \"hello\"}",
            "ReserveNow" => $"{{\"id\": 1, \"expiryDateTime\": \"{later}\", \"idToken\": {{\"idToken\": \"CARD-001\", \"type\": \"ISO14443\"}}, \"evseId\": 1}}",
            "CancelReservation" => "{\"reservationId\": 1}",
            "GetCompositeSchedule" => "{\"duration\": 3600, \"evseId\": 1, \"chargingRateUnit\": \"A\"}",
            "ClearDisplayMessage" => "{\"id\": 1}",
            "GetDisplayMessages" => "{\"requestId\": 1}",
            "GetMonitoringReport" => "{\"requestId\": 1}",
            "SetMonitoringBase" => "{\"monitoringBase\": \"All\"}",
            "SetMonitoringLevel" => "{\"severity\": 8}",
            "ClearVariableMonitoring" => "{\"id\": [1]}",
            "CustomerInformation" => "{\"requestId\": 1, \"report\": true, \"clear\": false, \"idToken\": {\"idToken\": \"CARD-001\", \"type\": \"ISO14443\"}}",
            "GetChargingProfiles" => "{\"requestId\": 1, \"evseId\": 1, \"chargingProfile\": {\"chargingProfilePurpose\": \"TxDefaultProfile\"}}",
            "ClearChargingProfile" => "{\"chargingProfileId\": 1}",
            "GetInstalledCertificateIds" => "{\"certificateType\": [\"CSMSRootCertificate\"]}",
            "CostUpdated" => "{\"totalCost\": 1.5, \"transactionId\": \"TX-0001\"}",
            _ => "{}",
        };
    }
}
