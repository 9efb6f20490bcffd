using System.Buffers;
using System.Globalization;

namespace Voltgate.LoadGen;

/// <summary>What a 2.0.1 TransactionEvent says: Started, Updated or Ended.</summary>
public enum TransactionEventType
{
    Started,
    Updated,
    Ended,
}

/// <summary>The OCPP 2.0.1 CALLs of a simulated station, written as <see cref="OcppFrames"/> writes 1.6's.</summary>
public static class OcppFrames201
{
    public static void BootNotification(IBufferWriter<byte> output, long id, string vendor, string model, string serial)
    {
        var w = OcppFrames.BeginCall(output, id, "BootNotification"u8);
        w.WriteString("reason"u8, "PowerUp"u8);
        w.WriteStartObject("chargingStation"u8);
        w.WriteString("model"u8, model);
        w.WriteString("vendorName"u8, vendor);
        w.WriteString("serialNumber"u8, serial);
        w.WriteString("firmwareVersion"u8, "loadgen-1"u8);
        w.WriteEndObject();
        OcppFrames.EndCall(w);
    }

    public static void StatusNotification(IBufferWriter<byte> output, long id, int evseId, string status, DateTime timestamp)
    {
        var w = OcppFrames.BeginCall(output, id, "StatusNotification"u8);
        w.WriteString("timestamp"u8, timestamp);
        w.WriteString("connectorStatus"u8, status);
        w.WriteNumber("evseId"u8, evseId);
        w.WriteNumber("connectorId"u8, 1);
        OcppFrames.EndCall(w);
    }

    /// <summary>
    /// A TransactionEvent with one energy register sample. Started names the EVSE and an idToken; Updated is the
    /// periodic meter value (the 2.0.1 counterpart of 1.6's MeterValues in a transaction); Ended stops.
    /// </summary>
    public static void TransactionEvent(IBufferWriter<byte> output, long id, TransactionEventType type, string transactionId, int seqNo, int evseId,
        string? idToken, long energyWh, DateTime timestamp)
    {
        var w = OcppFrames.BeginCall(output, id, "TransactionEvent"u8);
        w.WriteString("eventType"u8, type switch
        {
            TransactionEventType.Started => "Started"u8,
            TransactionEventType.Ended => "Ended"u8,
            _ => "Updated"u8,
        });
        w.WriteString("timestamp"u8, timestamp);
        w.WriteString("triggerReason"u8, type switch
        {
            TransactionEventType.Started => "Authorized"u8,
            TransactionEventType.Ended => "StopAuthorized"u8,
            _ => "MeterValuePeriodic"u8,
        });
        w.WriteNumber("seqNo"u8, seqNo);
        w.WriteStartObject("transactionInfo"u8);
        w.WriteString("transactionId"u8, transactionId);
        if (type == TransactionEventType.Ended)
        {
            w.WriteString("stoppedReason"u8, "Local"u8);
        }

        w.WriteEndObject();
        if (type == TransactionEventType.Started)
        {
            w.WriteStartObject("evse"u8);
            w.WriteNumber("id"u8, evseId);
            w.WriteNumber("connectorId"u8, 1);
            w.WriteEndObject();
        }

        if (idToken is not null)
        {
            w.WriteStartObject("idToken"u8);
            w.WriteString("idToken"u8, idToken);
            w.WriteString("type"u8, "ISO14443"u8);
            w.WriteEndObject();
        }

        w.WriteStartArray("meterValue"u8);
        w.WriteStartObject();
        w.WriteString("timestamp"u8, timestamp);
        w.WriteStartArray("sampledValue"u8);
        w.WriteStartObject();
        w.WriteNumber("value"u8, energyWh);
        w.WriteString("measurand"u8, "Energy.Active.Import.Register"u8);
        w.WriteString("context"u8, type switch
        {
            TransactionEventType.Started => "Transaction.Begin"u8,
            TransactionEventType.Ended => "Transaction.End"u8,
            _ => "Sample.Periodic"u8,
        });
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
        OcppFrames.EndCall(w);
    }

    /// <summary>
    /// A transaction id unique per run (the server keys it by station too): a second run must not replay the first
    /// one's seqNos, which the server would answer without storing anything.
    /// </summary>
    public static string TransactionId(string runId, int number) =>
        string.Create(CultureInfo.InvariantCulture, $"{runId}-{number}");
}
