using System.Text.Json;
using Voltgate.Ocpp.V16;

namespace Voltgate.Ocpp.Tests.V16;

public class SerializationTests
{
    [Fact]
    public void BootNotification_interval_is_written_as_an_integer_and_time_as_utc_with_Z()
    {
        var response = new BootNotificationResponse
        {
            Status = RegistrationStatus.Accepted,
            CurrentTime = new DateTimeOffset(2025, 1, 2, 5, 4, 5, TimeSpan.FromHours(2)),
            Interval = 300,
        };

        var json = JsonSerializer.Serialize(response, V16JsonContext.Default.BootNotificationResponse);

        Assert.Equal("""{"status":"Accepted","currentTime":"2025-01-02T03:04:05Z","interval":300}""", json);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(JsonValueKind.Number, document.RootElement.GetProperty("interval").ValueKind);
        Assert.True(document.RootElement.GetProperty("interval").TryGetInt32(out _));
    }

    [Fact]
    public void Milliseconds_are_written_only_when_present() =>
        Assert.Equal(
            """{"currentTime":"2025-01-02T03:04:05.120Z"}""",
            JsonSerializer.Serialize(new HeartbeatResponse { CurrentTime = new DateTimeOffset(2025, 1, 2, 3, 4, 5, 120, TimeSpan.Zero) }, V16JsonContext.Default.HeartbeatResponse));

    [Fact]
    public void Null_optionals_are_omitted_and_empty_messages_are_empty_objects()
    {
        Assert.Equal("""{"status":"Accepted"}""", JsonSerializer.Serialize(new DataTransferResponse { Status = DataTransferStatus.Accepted }, V16JsonContext.Default.DataTransferResponse));
        Assert.Equal("{}", JsonSerializer.Serialize(new StatusNotificationResponse(), V16JsonContext.Default.StatusNotificationResponse));
        Assert.Equal("{}", JsonSerializer.Serialize(new HeartbeatRequest(), V16JsonContext.Default.HeartbeatRequest));
    }

    [Theory]
    [InlineData(ChargePointErrorCode.EVCommunicationError, "EVCommunicationError")]
    [InlineData(ChargePointStatus.SuspendedEVSE, "SuspendedEVSE")]
    [InlineData(Measurand.EnergyActiveImportRegister, "Energy.Active.Import.Register")]
    [InlineData(Phase.L3L1, "L3-L1")]
    [InlineData(ReadingContext.InterruptionBegin, "Interruption.Begin")]
    [InlineData(UnitOfMeasure.KWh, "kWh")]
    [InlineData(UnitOfMeasure.Celsius, "Celsius")]
    [InlineData(HashAlgorithm.SHA256, "SHA256")]
    [InlineData(Reason.DeAuthorized, "DeAuthorized")]
    public void Enums_are_written_with_the_exact_spec_spelling(object value, string spelling)
    {
        ArgumentNullException.ThrowIfNull(value);
        var typeInfo = V16JsonContext.Default.GetTypeInfo(value.GetType())!;
        Assert.Equal($"\"{spelling}\"", JsonSerializer.Serialize(value, typeInfo));
        Assert.Equal(value, JsonSerializer.Deserialize($"\"{spelling}\"", typeInfo));
    }

    [Fact]
    public void Decimal_limits_keep_their_written_precision()
    {
        var period = new ChargingSchedulePeriod { StartPeriod = 0, Limit = 16.0m, NumberPhases = 3 };
        Assert.Equal("""{"startPeriod":0,"limit":16.0,"numberPhases":3}""", JsonSerializer.Serialize(period, V16JsonContext.Default.ChargingSchedulePeriod));
    }

    [Fact]
    public void Messages_are_value_equal_records()
    {
        var a = new IdTagInfo { Status = AuthorizationStatus.Accepted, ParentIdTag = "P" };
        Assert.Equal(a, a with { });
        Assert.NotEqual(a, a with { Status = AuthorizationStatus.Blocked });
    }
}
