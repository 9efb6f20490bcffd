using System.Text;
using System.Text.Json;

namespace Voltgate.LoadGen.Tests;

public class OcppFramesTests
{
    private static readonly DateTime At = new(2025, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    [Fact]
    public void Heartbeat_is_a_call_with_an_empty_object()
    {
        Assert.Equal("""[2,"17","Heartbeat",{}]""", Build(w => OcppFrames.Heartbeat(w, 17)));
    }

    [Fact]
    public void BootNotification_carries_vendor_model_and_serial()
    {
        var json = Build(w => OcppFrames.BootNotification(w, 1, "Voltgate", "LoadGen", "LG00001"));

        Assert.Equal(
            """[2,"1","BootNotification",{"chargePointVendor":"Voltgate","chargePointModel":"LoadGen","chargePointSerialNumber":"LG00001","firmwareVersion":"loadgen-1"}]""",
            json);
    }

    [Fact]
    public void Transaction_frames_have_the_1_6_fields()
    {
        var start = Parse(Build(w => OcppFrames.StartTransaction(w, 2, 1, "TAG", 1000, At)));
        var meter = Parse(Build(w => OcppFrames.MeterValues(w, 3, 1, 42, 2500, At)));
        var stop = Parse(Build(w => OcppFrames.StopTransaction(w, 4, 42, 4000, At)));

        Assert.Equal("StartTransaction", start[2].GetString());
        Assert.Equal("TAG", start[3].GetProperty("idTag").GetString());
        Assert.Equal(1000, start[3].GetProperty("meterStart").GetInt64());
        Assert.Equal(At, start[3].GetProperty("timestamp").GetDateTime());

        Assert.Equal(42, meter[3].GetProperty("transactionId").GetInt64());
        var sampled = meter[3].GetProperty("meterValue")[0].GetProperty("sampledValue")[0];
        Assert.Equal("2500", sampled.GetProperty("value").GetString());
        Assert.Equal("Energy.Active.Import.Register", sampled.GetProperty("measurand").GetString());

        Assert.Equal(42, stop[3].GetProperty("transactionId").GetInt64());
        Assert.Equal(4000, stop[3].GetProperty("meterStop").GetInt64());
    }

    [Fact]
    public void TransactionEvent_frames_have_the_2_0_1_fields()
    {
        var started = Parse(Build(w => OcppFrames201.TransactionEvent(w, 5, TransactionEventType.Started, "run-0", 0, 1, "TAG", 1000, At)))[3];
        var updated = Parse(Build(w => OcppFrames201.TransactionEvent(w, 6, TransactionEventType.Updated, "run-0", 1, 1, null, 1500, At)))[3];
        var ended = Parse(Build(w => OcppFrames201.TransactionEvent(w, 7, TransactionEventType.Ended, "run-0", 2, 1, null, 2000, At)))[3];

        Assert.Equal("Started", started.GetProperty("eventType").GetString());
        Assert.Equal(0, started.GetProperty("seqNo").GetInt32());
        Assert.Equal("run-0", started.GetProperty("transactionInfo").GetProperty("transactionId").GetString());
        Assert.Equal(1, started.GetProperty("evse").GetProperty("id").GetInt32());
        Assert.Equal("ISO14443", started.GetProperty("idToken").GetProperty("type").GetString());
        Assert.Equal("Updated", updated.GetProperty("eventType").GetString());
        Assert.Equal("MeterValuePeriodic", updated.GetProperty("triggerReason").GetString());
        Assert.False(updated.TryGetProperty("idToken", out _));
        // 2.0.1 sample values are numbers, not 1.6's strings.
        Assert.Equal(1500, updated.GetProperty("meterValue")[0].GetProperty("sampledValue")[0].GetProperty("value").GetInt64());
        Assert.Equal("Local", ended.GetProperty("transactionInfo").GetProperty("stoppedReason").GetString());
        Assert.Equal("Transaction.End", ended.GetProperty("meterValue")[0].GetProperty("sampledValue")[0].GetProperty("context").GetString());
    }

    [Fact]
    public void BootNotification_201_has_the_chargingStation_object()
    {
        var boot = Parse(Build(w => OcppFrames201.BootNotification(w, 1, "Voltgate", "LoadGen", "LG00001")))[3];

        Assert.Equal("PowerUp", boot.GetProperty("reason").GetString());
        Assert.Equal("LoadGen", boot.GetProperty("chargingStation").GetProperty("model").GetString());
        Assert.Equal("Voltgate", boot.GetProperty("chargingStation").GetProperty("vendorName").GetString());
    }

    [Fact]
    public void Idle_MeterValues_leave_out_the_transaction()
    {
        var meter = Parse(Build(w => OcppFrames.MeterValues(w, 3, 1, null, 10, At)));

        Assert.False(meter[3].TryGetProperty("transactionId", out _));
    }

    [Fact]
    public void CallResult_and_CallError_echo_the_server_id()
    {
        var result = Parse(Build(w => OcppFrames.CallResult(w, "a\"b", """{"status":"Accepted"}"""u8)));
        Assert.Equal(3, result[0].GetInt32());
        Assert.Equal("a\"b", result[1].GetString());
        Assert.Equal("Accepted", result[2].GetProperty("status").GetString());
        Assert.Equal("""[4,"x-1","NotImplemented","",{}]""", Build(w => OcppFrames.CallError(w, "x-1", "NotImplemented", "")));
    }

    [Fact]
    public void CallResult_is_parsed_with_its_payload()
    {
        var bytes = """ [3, "42", {"status":"Accepted","currentTime":"2025-01-01T00:00:00Z","interval":300}] """u8;

        Assert.True(OcppFrameReader.TryParse(bytes, out var frame));
        Assert.Equal(3, frame.MessageType);
        Assert.Equal(42, frame.NumericId);
        var payload = bytes.Slice(frame.PayloadStart, frame.PayloadLength);
        Assert.Equal("Accepted", OcppFrameReader.GetString(payload, "status"u8));
        Assert.Equal(300, OcppFrameReader.GetInt64(payload, "interval"u8));
        Assert.Null(OcppFrameReader.GetInt64(payload, "missing"u8));
    }

    [Fact]
    public void CallError_is_parsed_with_its_code()
    {
        Assert.True(OcppFrameReader.TryParse("""[4,"7","FormationViolation","bad",{}]"""u8, out var frame));

        Assert.Equal(4, frame.MessageType);
        Assert.Equal(7, frame.NumericId);
        Assert.Equal("FormationViolation", frame.ErrorCode);
    }

    [Fact]
    public void Server_call_is_parsed_with_id_and_action()
    {
        var bytes = """[2,"srv-1","TriggerMessage",{"requestedMessage":"Heartbeat"}]"""u8;

        Assert.True(OcppFrameReader.TryParse(bytes, out var frame));
        Assert.Equal(2, frame.MessageType);
        Assert.Equal(-1, frame.NumericId);
        Assert.Equal("srv-1", frame.MessageId);
        Assert.Equal("TriggerMessage", frame.Action);
        var answer = ServerCallResponder.Answer(frame.Action!, bytes.Slice(frame.PayloadStart, frame.PayloadLength));
        Assert.Equal(StationTrigger.Heartbeat, answer.Trigger);
        Assert.Equal("""{"status":"Accepted"}""", Encoding.UTF8.GetString(answer.Payload!));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{}")]
    [InlineData("[2,\"1\",\"Heartbeat\"]")]
    [InlineData("[3,1,{}]")]
    [InlineData("[5,\"1\",{}]")]
    [InlineData("[3,\"1\",{}")]
    [InlineData("[3,\"1\",{},1]")]
    [InlineData("not json")]
    public void Malformed_frames_are_rejected(string text)
    {
        Assert.False(OcppFrameReader.TryParse(Encoding.UTF8.GetBytes(text), out _));
    }

    [Theory]
    [InlineData("Reset", "{\"status\":\"Accepted\"}")]
    [InlineData("ChangeConfiguration", "{\"status\":\"Accepted\"}")]
    [InlineData("RemoteStopTransaction", "{\"status\":\"Accepted\"}")]
    [InlineData("UnlockConnector", "{\"status\":\"Unlocked\"}")]
    [InlineData("GetLocalListVersion", "{\"listVersion\":0}")]
    public void Known_server_calls_get_a_plausible_answer(string action, string expected)
    {
        Assert.Equal(expected, Encoding.UTF8.GetString(ServerCallResponder.Answer(action, "{}"u8).Payload!));
    }

    [Fact]
    public void GetConfiguration_answer_is_valid_json_with_keys()
    {
        using var doc = JsonDocument.Parse(ServerCallResponder.Answer("GetConfiguration", "{}"u8).Payload);

        Assert.Equal(3, doc.RootElement.GetProperty("configurationKey").GetArrayLength());
    }

    [Fact]
    public void Unknown_server_call_gets_no_payload_so_NotImplemented()
    {
        Assert.Null(ServerCallResponder.Answer("FancyVendorThing", "{}"u8).Payload);
    }

    private static string Build(Action<PooledBufferWriter> write)
    {
        using var buffer = new PooledBufferWriter(16);   // small on purpose: exercises growing
        write(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static JsonElement[] Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateArray().Select(e => e.Clone()).ToArray();
    }
}
