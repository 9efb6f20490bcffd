namespace Voltgate.LoadGen;

/// <summary>Something a server CALL asks the station to do after it has answered.</summary>
public enum StationTrigger
{
    None,
    BootNotification,
    Heartbeat,
    StatusNotification,
    MeterValues,
    Transaction,
}

/// <summary>A plausible answer to a server-initiated CALL, or null payload for CALLERROR NotImplemented.</summary>
public readonly record struct ServerCallAnswer(byte[]? Payload, StationTrigger Trigger);

/// <summary>Canned OCPP 1.6 answers to the CALLs a CSMS sends to a station.</summary>
public static class ServerCallResponder
{
    private static readonly byte[] Accepted = """{"status":"Accepted"}"""u8.ToArray();
    private static readonly byte[] Rejected = """{"status":"Rejected"}"""u8.ToArray();
    private static readonly byte[] NotImplementedStatus = """{"status":"NotImplemented"}"""u8.ToArray();
    private static readonly byte[] Unlocked = """{"status":"Unlocked"}"""u8.ToArray();
    private static readonly byte[] Empty = "{}"u8.ToArray();
    private static readonly byte[] UnknownVendor = """{"status":"UnknownVendorId"}"""u8.ToArray();
    private static readonly byte[] ListVersion = """{"listVersion":0}"""u8.ToArray();
    private static readonly byte[] Configuration =
        """{"configurationKey":[{"key":"HeartbeatInterval","readonly":false,"value":"300"},{"key":"MeterValueSampleInterval","readonly":false,"value":"60"},{"key":"NumberOfConnectors","readonly":true,"value":"1"}],"unknownKey":[]}"""u8.ToArray();

    public static ServerCallAnswer Answer(string action, ReadOnlySpan<byte> payload) => action switch
    {
        "Reset" or "ChangeConfiguration" or "ChangeAvailability" or "ClearCache" or "SendLocalList"
            or "SetChargingProfile" or "ClearChargingProfile" or "CancelReservation" or "ReserveNow"
            or "RemoteStopTransaction" => new(Accepted, StationTrigger.None),
        "RemoteStartTransaction" => new(Accepted, StationTrigger.Transaction),
        "GetConfiguration" => new(Configuration, StationTrigger.None),
        "TriggerMessage" => Trigger(OcppFrameReader.GetString(payload, "requestedMessage"u8)),
        "UnlockConnector" => new(Unlocked, StationTrigger.None),
        "DataTransfer" => new(UnknownVendor, StationTrigger.None),
        "GetLocalListVersion" => new(ListVersion, StationTrigger.None),
        "GetCompositeSchedule" => new(Rejected, StationTrigger.None),
        "GetDiagnostics" or "UpdateFirmware" => new(Empty, StationTrigger.None),
        _ => new(null, StationTrigger.None),
    };

    private static ServerCallAnswer Trigger(string? requested) => requested switch
    {
        "BootNotification" => new(Accepted, StationTrigger.BootNotification),
        "Heartbeat" => new(Accepted, StationTrigger.Heartbeat),
        "StatusNotification" => new(Accepted, StationTrigger.StatusNotification),
        "MeterValues" => new(Accepted, StationTrigger.MeterValues),
        _ => new(NotImplementedStatus, StationTrigger.None),
    };
}
