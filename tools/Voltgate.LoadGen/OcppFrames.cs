using System.Buffers;
using System.Text.Json;

namespace Voltgate.LoadGen;

/// <summary>The CALLs a simulated station sends.</summary>
public enum StationAction
{
    BootNotification,
    StatusNotification,
    Heartbeat,
    MeterValues,
    StartTransaction,
    StopTransaction,
    TransactionEvent,
}

/// <summary>Writes OCPP-J 1.6 (and, through <see cref="OcppFrames201"/>, 2.0.1) frames straight into a buffer with <see cref="Utf8JsonWriter"/>.</summary>
public static partial class OcppFrames
{
    public const int ActionCount = 7;

    private static readonly string[] ActionNames =
        ["BootNotification", "StatusNotification", "Heartbeat", "MeterValues", "StartTransaction", "StopTransaction", "TransactionEvent"];

    private static readonly JsonWriterOptions WriterOptions = new() { SkipValidation = true };

    // Frames are written synchronously, so one writer per thread is enough and saves an allocation per frame.
    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    public static string Name(StationAction action) => ActionNames[(int)action];

    public static void BootNotification(IBufferWriter<byte> output, long id, string vendor, string model, string serial)
    {
        var w = BeginCall(output, id, "BootNotification"u8);
        w.WriteString("chargePointVendor"u8, vendor);
        w.WriteString("chargePointModel"u8, model);
        w.WriteString("chargePointSerialNumber"u8, serial);
        w.WriteString("firmwareVersion"u8, "loadgen-1"u8);
        EndCall(w);
    }

    public static void Heartbeat(IBufferWriter<byte> output, long id) => EndCall(BeginCall(output, id, "Heartbeat"u8));

    public static void StatusNotification(IBufferWriter<byte> output, long id, int connectorId, string status, DateTime timestamp)
    {
        var w = BeginCall(output, id, "StatusNotification"u8);
        w.WriteNumber("connectorId"u8, connectorId);
        w.WriteString("errorCode"u8, "NoError"u8);
        w.WriteString("status"u8, status);
        w.WriteString("timestamp"u8, timestamp);
        EndCall(w);
    }

    public static void StartTransaction(IBufferWriter<byte> output, long id, int connectorId, string idTag, long meterStart, DateTime timestamp)
    {
        var w = BeginCall(output, id, "StartTransaction"u8);
        w.WriteNumber("connectorId"u8, connectorId);
        w.WriteString("idTag"u8, idTag);
        w.WriteNumber("meterStart"u8, meterStart);
        w.WriteString("timestamp"u8, timestamp);
        EndCall(w);
    }

    public static void MeterValues(IBufferWriter<byte> output, long id, int connectorId, long? transactionId, long energyWh, DateTime timestamp)
    {
        var w = BeginCall(output, id, "MeterValues"u8);
        w.WriteNumber("connectorId"u8, connectorId);
        if (transactionId is { } tx)
        {
            w.WriteNumber("transactionId"u8, tx);
        }

        w.WriteStartArray("meterValue"u8);
        w.WriteStartObject();
        w.WriteString("timestamp"u8, timestamp);
        w.WriteStartArray("sampledValue"u8);
        w.WriteStartObject();
        Span<byte> digits = stackalloc byte[20];
        energyWh.TryFormat(digits, out var n, default, System.Globalization.CultureInfo.InvariantCulture);
        w.WriteString("value"u8, digits[..n]);
        w.WriteString("measurand"u8, "Energy.Active.Import.Register"u8);
        w.WriteString("unit"u8, "Wh"u8);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndArray();
        EndCall(w);
    }

    public static void StopTransaction(IBufferWriter<byte> output, long id, long transactionId, long meterStop, DateTime timestamp)
    {
        var w = BeginCall(output, id, "StopTransaction"u8);
        w.WriteNumber("transactionId"u8, transactionId);
        w.WriteNumber("meterStop"u8, meterStop);
        w.WriteString("timestamp"u8, timestamp);
        w.WriteString("reason"u8, "Local"u8);
        EndCall(w);
    }

    /// <summary>[3, id, payload] with a payload that is already serialized JSON.</summary>
    public static void CallResult(IBufferWriter<byte> output, string messageId, ReadOnlySpan<byte> payloadJson)
    {
        var w = Writer(output);
        w.WriteStartArray();
        w.WriteNumberValue(3);
        w.WriteStringValue(messageId);
        w.WriteRawValue(payloadJson, skipInputValidation: true);
        w.WriteEndArray();
        w.Flush();
    }

    /// <summary>[4, id, errorCode, errorDescription, {}].</summary>
    public static void CallError(IBufferWriter<byte> output, string messageId, string errorCode, string description)
    {
        var w = Writer(output);
        w.WriteStartArray();
        w.WriteNumberValue(4);
        w.WriteStringValue(messageId);
        w.WriteStringValue(errorCode);
        w.WriteStringValue(description);
        w.WriteStartObject();
        w.WriteEndObject();
        w.WriteEndArray();
        w.Flush();
    }

    internal static Utf8JsonWriter Writer(IBufferWriter<byte> output)
    {
        var w = t_writer;
        if (w is null)
        {
            w = new Utf8JsonWriter(output, WriterOptions);
            t_writer = w;
        }
        else
        {
            w.Reset(output);
        }

        return w;
    }

    internal static Utf8JsonWriter BeginCall(IBufferWriter<byte> output, long id, ReadOnlySpan<byte> action)
    {
        var w = Writer(output);
        w.WriteStartArray();
        w.WriteNumberValue(2);
        Span<byte> digits = stackalloc byte[20];
        id.TryFormat(digits, out var n, default, System.Globalization.CultureInfo.InvariantCulture);
        w.WriteStringValue(digits[..n]);
        w.WriteStringValue(action);
        w.WriteStartObject();
        return w;
    }

    internal static void EndCall(Utf8JsonWriter w)
    {
        w.WriteEndObject();
        w.WriteEndArray();
        w.Flush();
    }
}
