using System.Text.Json;
using Voltgate.Ocpp.V16;

namespace Voltgate.Ocpp.Tests.V16;

public class ValidationTests
{
    private const string Secret = "S3cr3tV4lue";

    private static OcppValidationError? ValidateRequest(string action, string json)
    {
        using var document = JsonDocument.Parse(json);
        return V16Catalog.Actions[action].ValidateRequest(document.RootElement);
    }

    private static OcppValidationError? ValidateResponse(string action, string json)
    {
        using var document = JsonDocument.Parse(json);
        return V16Catalog.Actions[action].ValidateResponse(document.RootElement);
    }

    public static TheoryData<string, string, string, string> Violations => new()
    {
        // action, request payload, expected code, expected description
        { "BootNotification", """{"chargePointVendor":"S3cr3tV4lue"}""", "OccurenceConstraintViolation", "chargePointModel: required property missing" },
        { "BootNotification", """{"chargePointVendor":"Keba","chargePointModel":"P30","password":"S3cr3tV4lue"}""", "OccurenceConstraintViolation", "password: property not allowed" },
        { "BootNotification", """{"chargePointVendor":"S3cr3tV4lue-and-more-than-20","chargePointModel":"P30"}""", "PropertyConstraintViolation", "chargePointVendor: longer than 20 characters" },
        { "BootNotification", """{"chargePointVendor":12345,"chargePointModel":"S3cr3tV4lue"}""", "TypeConstraintViolation", "chargePointVendor: expected a string" },
        { "Authorize", """{"idTag":null}""", "TypeConstraintViolation", "idTag: expected a string" },
        { "Authorize", """["S3cr3tV4lue"]""", "FormationViolation", "payload: not a JSON object" },
        { "Authorize", "\"S3cr3tV4lue\"", "FormationViolation", "payload: not a JSON object" },
        { "Reset", """{"type":"S3cr3tV4lue"}""", "TypeConstraintViolation", "type: not one of the allowed values" },
        { "Reset", """{"type":"hard"}""", "TypeConstraintViolation", "type: not one of the allowed values" },
        { "StartTransaction", """{"connectorId":"1","idTag":"S3cr3tV4lue","meterStart":0,"timestamp":"2025-01-02T03:04:05Z"}""", "TypeConstraintViolation", "connectorId: expected an integer" },
        { "StartTransaction", """{"connectorId":1,"idTag":"S3cr3tV4lue","meterStart":12.5,"timestamp":"2025-01-02T03:04:05Z"}""", "TypeConstraintViolation", "meterStart: expected an integer" },
        { "StartTransaction", """{"connectorId":1,"idTag":"S3cr3tV4lue","meterStart":4294967296,"timestamp":"2025-01-02T03:04:05Z"}""", "PropertyConstraintViolation", "meterStart: out of range for a 32-bit integer" },
        { "StartTransaction", """{"connectorId":1,"idTag":"S3cr3tV4lue","meterStart":0,"timestamp":"yesterday S3cr3tV4lue"}""", "TypeConstraintViolation", "timestamp: not an ISO 8601 date-time" },
        { "StartTransaction", """{"connectorId":1,"idTag":"S3cr3tV4lue","meterStart":0,"timestamp":"2025-02-30T03:04:05Z"}""", "TypeConstraintViolation", "timestamp: not an ISO 8601 date-time" },
        { "MeterValues", """{"connectorId":1,"meterValue":[{"timestamp":"2025-01-02T03:04:05Z","sampledValue":[{"value":"1"},{"value":"S3cr3tV4lue","unit":"Kelvin"}]}]}""", "TypeConstraintViolation", "meterValue[0].sampledValue[1].unit: not one of the allowed values" },
        { "MeterValues", """{"connectorId":1,"meterValue":[{"sampledValue":[{"value":"S3cr3tV4lue"}]}]}""", "OccurenceConstraintViolation", "meterValue[0].timestamp: required property missing" },
        { "MeterValues", """{"connectorId":1,"meterValue":{"timestamp":"S3cr3tV4lue"}}""", "TypeConstraintViolation", "meterValue: expected an array" },
        { "MeterValues", """{"connectorId":1,"meterValue":[{"timestamp":"2025-01-02T03:04:05Z","sampledValue":[{"value":true}]}]}""", "TypeConstraintViolation", "meterValue[0].sampledValue[0].value: expected a string" },
        { "ChangeConfiguration", """{"key":"AuthorizationKey","value":"S3cr3tV4lue","extra":1}""", "OccurenceConstraintViolation", "extra: property not allowed" },
        { "SetChargingProfile", """{"connectorId":0,"csChargingProfiles":{"chargingProfileId":1,"stackLevel":0,"chargingProfilePurpose":"TxProfile","chargingProfileKind":"Absolute","chargingSchedule":{"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":16.05}]}}}""", "PropertyConstraintViolation", "csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0].limit: not a multiple of 0.1" },
        { "SetChargingProfile", """{"connectorId":0,"csChargingProfiles":{"chargingProfileId":1,"stackLevel":0,"chargingProfilePurpose":"TxProfile","chargingProfileKind":"Absolute","chargingSchedule":{"chargingRateUnit":"A","chargingSchedulePeriod":[{"startPeriod":0,"limit":"16"}]}}}""", "TypeConstraintViolation", "csChargingProfiles.chargingSchedule.chargingSchedulePeriod[0].limit: expected a number" },
        { "GetDiagnostics", """{"location":"not a uri S3cr3tV4lue"}""", "TypeConstraintViolation", "location: not an absolute URI" },
        { "SendLocalList", """{"listVersion":1,"updateType":"Full","localAuthorizationList":[{"idTag":"S3cr3tV4lue","idTagInfo":{}}]}""", "OccurenceConstraintViolation", "localAuthorizationList[0].idTagInfo.status: required property missing" },
        { "GetConfiguration", """{"key":"S3cr3tV4lue"}""", "TypeConstraintViolation", "key: expected an array" },
        { "Heartbeat", """{"S3cr3tV4lue":1}""", "OccurenceConstraintViolation", "S3cr3tV4lue: property not allowed" },
        { "Heartbeat", """{"a b":"S3cr3tV4lue"}""", "OccurenceConstraintViolation", "(unrecognised property): property not allowed" },
        { "SignedUpdateFirmware", """{"requestId":1,"firmware":{"location":"https://x","retrieveDateTime":"2025-01-02T03:04:05Z","signingCertificate":"c","signature":"S3cr3tV4lue","x":1}}""", "OccurenceConstraintViolation", "firmware.x: property not allowed" },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public void Violation_maps_to_the_16_error_code_and_names_path_and_rule(string action, string json, string code, string description)
    {
        var error = ValidateRequest(action, json);

        Assert.NotNull(error);
        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(description, error.Description);
    }

    [Theory]
    [MemberData(nameof(Violations))]
    public void Description_never_contains_the_offending_value(string action, string json, string code, string description)
    {
        _ = code;
        var error = ValidateRequest(action, json)!;
        if (!description.StartsWith(Secret, StringComparison.Ordinal))
        {
            Assert.DoesNotContain(Secret, error.Description, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("12345", error.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("Kelvin", error.Description, StringComparison.Ordinal);
        Assert.DoesNotContain("16.05", error.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Response_violations_are_reported_with_the_same_codes()
    {
        Assert.Equal("TypeConstraintViolation", ValidateResponse("BootNotification", """{"status":"Accepted","currentTime":"2025-01-02T03:04:05Z","interval":"300"}""")?.ErrorCode);
        Assert.Equal("OccurenceConstraintViolation", ValidateResponse("GetInstalledCertificateIds", """{"status":"Accepted","certificateHashData":[]}""")?.ErrorCode);
        Assert.Equal("OccurenceConstraintViolation", ValidateResponse("StatusNotification", """{"currentTime":"2025-01-02T03:04:05Z"}""")?.ErrorCode);
        Assert.Equal("PropertyConstraintViolation", ValidateResponse("GetConfiguration", $$"""{"configurationKey":[{"key":"K","readonly":true,"value":"{{new string('x', 501)}}"}]}""")?.ErrorCode);
    }

    [Fact]
    public void Max_length_counts_code_points_like_json_schema()
    {
        var twentyEmoji = string.Concat(Enumerable.Repeat("\U0001F50C", 20));
        Assert.Null(ValidateRequest("Authorize", $$"""{"idTag":"{{twentyEmoji}}"}"""));
        Assert.Equal("PropertyConstraintViolation", ValidateRequest("Authorize", $$"""{"idTag":"{{twentyEmoji}}x"}""")?.ErrorCode);
    }

    [Theory]
    // Raw token (escapes, multi-byte UTF-8) longer than the limit, text within it: valid; one more: violation.
    [InlineData("\\u0041BCDEFGHIJKLMNOPQRST", true)]
    [InlineData("\\u0041BCDEFGHIJKLMNOPQRSTU", false)]
    [InlineData("éééééééééééééééééééé", true)]
    [InlineData("ééééééééééééééééééééé", false)]
    public void Max_length_is_checked_on_the_text_not_on_its_encoding(string vendor, bool valid)
    {
        var error = ValidateRequest("BootNotification", $$"""{"chargePointVendor":"{{vendor}}","chargePointModel":"P30"}""");

        Assert.Equal(valid ? null : "chargePointVendor: longer than 20 characters", error?.Description);
    }

    [Fact]
    public void Escaped_property_names_and_timestamps_are_read_as_their_text()
    {
        Assert.Null(ValidateRequest("StartTransaction", """{"connector\u0049d":1,"idTag":"A","meterStart":0,"timestamp":"2025-01-02T03:04:05\u005A"}"""));
        Assert.Equal("connectorId: expected an integer",
            ValidateRequest("StartTransaction", """{"connector\u0049d":"1","idTag":"A","meterStart":0,"timestamp":"2025-01-02T03:04:05Z"}""")?.Description);
        Assert.Equal("timestamp: not an ISO 8601 date-time",
            ValidateRequest("StartTransaction", """{"connectorId":1,"idTag":"A","meterStart":0,"timestamp":"2025-01-02T03:04:\u0035\u0039Q"}""")?.Description);
    }

    [Theory]
    [InlineData("0.0")]
    [InlineData("1.0")]
    [InlineData("1e2")]
    [InlineData("-0")]
    public void Integral_floats_are_accepted_for_integer_fields_and_deserialise(string number)
    {
        var json = $$"""{"connectorId":{{number}},"idTag":"T","meterStart":{{number}},"timestamp":"2025-01-02T03:04:05Z"}""";
        Assert.Null(ValidateRequest("StartTransaction", json));

        using var document = JsonDocument.Parse(json);
        var request = document.RootElement.Deserialize(V16JsonContext.Default.StartTransactionRequest)!;
        Assert.Equal((int)decimal.Parse(number, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture), request.MeterStart);
    }

    [Fact]
    public void Integral_float_is_accepted_for_an_optional_integer_field()
    {
        const string json = """{"connectorId":1,"idTag":"T","meterStart":0,"reservationId":7.0,"timestamp":"2025-01-02T03:04:05Z"}""";
        Assert.Null(ValidateRequest("StartTransaction", json));
        using var document = JsonDocument.Parse(json);
        Assert.Equal(7, document.RootElement.Deserialize(V16JsonContext.Default.StartTransactionRequest)!.ReservationId);
    }

    [Theory]
    [InlineData("230.5", "230.5")]
    [InlineData("12", "12")]
    [InlineData("1e3", "1e3")]
    public void Numeric_sampled_value_is_accepted_and_kept_as_its_literal_text(string number, string expected)
    {
        var json = $$"""{"connectorId":1,"meterValue":[{"timestamp":"2025-01-02T03:04:05Z","sampledValue":[{"value":{{number}},"measurand":"Voltage","unit":"V"}]}]}""";
        Assert.Null(ValidateRequest("MeterValues", json));

        using var document = JsonDocument.Parse(json);
        var request = document.RootElement.Deserialize(V16JsonContext.Default.MeterValuesRequest)!;
        Assert.Equal(expected, request.MeterValue[0].SampledValue[0].Value);
        Assert.Contains($"\"value\":\"{expected}\"", JsonSerializer.Serialize(request, V16JsonContext.Default.MeterValuesRequest), StringComparison.Ordinal);
    }

    [Fact]
    public void Numbers_are_not_accepted_for_other_string_fields() =>
        Assert.Equal("TypeConstraintViolation", ValidateRequest("Authorize", """{"idTag":1234}""")?.ErrorCode);

    [Theory]
    [InlineData("Celsius")]
    [InlineData("Celcius")]
    public void Both_spellings_of_Celsius_are_accepted_and_read_as_Celsius(string spelling)
    {
        var json = $$"""{"idTag":"T","meterStop":1,"timestamp":"2025-01-02T03:04:05Z","transactionId":1,"transactionData":[{"timestamp":"2025-01-02T03:04:05Z","sampledValue":[{"value":"21","measurand":"Temperature","unit":"{{spelling}}"}]}]}""";
        Assert.Null(ValidateRequest("StopTransaction", json));

        using var document = JsonDocument.Parse(json);
        var request = document.RootElement.Deserialize(V16JsonContext.Default.StopTransactionRequest)!;
        Assert.Equal(UnitOfMeasure.Celsius, request.TransactionData![0].SampledValue[0].Unit);
        Assert.Contains("\"unit\":\"Celsius\"", JsonSerializer.Serialize(request, V16JsonContext.Default.StopTransactionRequest), StringComparison.Ordinal);
    }

    [Fact]
    public void StopTransaction_without_reason_is_valid() =>
        Assert.Null(ValidateRequest("StopTransaction", """{"meterStop":1,"timestamp":"2025-01-02T03:04:05Z","transactionId":1}"""));

    [Theory]
    [InlineData("2025-01-02T03:04:05Z")]
    [InlineData("2025-01-02T03:04:05.1Z")]
    [InlineData("2025-01-02T03:04:05.123456789Z")]
    [InlineData("2025-01-02T05:04:05+02:00")]
    [InlineData("2025-01-02T05:04:05+0200")]
    [InlineData("2025-01-02T05:04:05+02")]
    [InlineData("2025-01-01T22:04:05.000-05:00")]
    [InlineData("2025-01-02t03:04:05z")]
    [InlineData("2025-01-02 03:04:05Z")]
    [InlineData("2025-01-02T03:04:05")]
    public void Timestamps_in_iso_8601_forms_validate_and_deserialise_to_the_same_instant(string timestamp)
    {
        var json = $$"""{"currentTime":"{{timestamp}}"}""";
        Assert.Null(ValidateResponse("Heartbeat", json));

        using var document = JsonDocument.Parse(json);
        var response = document.RootElement.Deserialize(V16JsonContext.Default.HeartbeatResponse)!;
        Assert.Equal(new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero), response.CurrentTime.AddTicks(-(response.CurrentTime.UtcTicks % TimeSpan.TicksPerSecond)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("2025-01-02")]
    [InlineData("2025-01-02T03:04Z")]
    [InlineData("2025-13-02T03:04:05Z")]
    [InlineData("2025-01-02T24:00:00Z")]
    [InlineData("2025-01-02T03:04:05.Z")]
    [InlineData("2025-01-02T03:04:05+2:00")]
    [InlineData("2025-01-02T03:04:05+15:00")]
    [InlineData("2025-01-02T03:04:05 Z")]
    [InlineData("1735787045")]
    public void Malformed_timestamps_are_type_violations(string timestamp) =>
        Assert.Equal("TypeConstraintViolation", ValidateResponse("Heartbeat", $$"""{"currentTime":"{{timestamp}}"}""")?.ErrorCode);

    [Fact]
    public void Duplicate_properties_are_each_validated()
    {
        Assert.Equal("TypeConstraintViolation", ValidateRequest("Reset", """{"type":"Hard","type":"Warm"}""")?.ErrorCode);
    }
}
