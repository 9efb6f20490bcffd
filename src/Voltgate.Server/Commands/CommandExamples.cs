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
}
