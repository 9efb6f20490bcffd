using System.Text.Json;
using Voltgate.Ocpp.Rpc;
using Voltgate.Ocpp.V201;

namespace Voltgate.Ocpp.Tests.V201;

public class V201CatalogTests
{
    public static TheoryData<string> AllActions => [.. V201Catalog.Actions.Keys];

    [Fact]
    public void Catalog_holds_all_64_actions_of_the_201_schemas() => Assert.Equal(64, V201Catalog.Actions.Count);

    [Theory]
    [MemberData(nameof(AllActions))]
    public void Every_action_has_sealed_request_and_response_records_in_the_V201_namespace(string action)
    {
        var descriptor = V201Catalog.Actions[action];
        foreach (var (typeInfo, suffix) in new[] { (descriptor.RequestTypeInfo, "Request"), (descriptor.ResponseTypeInfo, "Response") })
        {
            Assert.Equal(action + suffix, typeInfo.Type.Name);
            Assert.Equal("Voltgate.Ocpp.V201", typeInfo.Type.Namespace);
            Assert.True(typeInfo.Type.IsSealed);
            Assert.Same(typeInfo, V201JsonContext.Default.GetTypeInfo(typeInfo.Type));
        }
    }

    [Theory]
    [MemberData(nameof(AllActions))]
    public void Every_validator_answers_in_201_spelling(string action)
    {
        using var notAnObject = JsonDocument.Parse("[]");
        Assert.Equal(V201ErrorCodes.FormatViolation, V201Catalog.Actions[action].ValidateRequest(notAnObject.RootElement)?.ErrorCode);
        Assert.Equal(V201ErrorCodes.FormatViolation, V201Catalog.Actions[action].ValidateResponse(notAnObject.RootElement)?.ErrorCode);
    }

    [Theory]
    [InlineData("BootNotification", OcppDirection.StationToCsms)]
    [InlineData("TransactionEvent", OcppDirection.StationToCsms)]
    [InlineData("NotifyReport", OcppDirection.StationToCsms)]
    [InlineData("RequestStartTransaction", OcppDirection.CsmsToStation)]
    [InlineData("GetVariables", OcppDirection.CsmsToStation)]
    [InlineData("DataTransfer", OcppDirection.Both)]
    public void Directions_follow_the_spec(string action, OcppDirection direction) =>
        Assert.Equal(direction, V201Catalog.Actions[action].Direction);

    [Theory]
    [InlineData("StartTransaction")]
    [InlineData("StopTransaction")]
    [InlineData("RemoteStartTransaction")]
    [InlineData("ChangeConfiguration")]
    [InlineData("transactionEvent")]
    public void Actions_of_16_only_or_misspelt_are_not_in_the_201_catalog(string action) => Assert.False(V201Catalog.TryGet(action, out _));
}

public class V201ValidationTests
{
    private const string Boot = """{"reason":"PowerUp","chargingStation":{"model":"P30","vendorName":"Keba"}}""";

    private static OcppValidationError? Request(string action, string json)
    {
        using var document = JsonDocument.Parse(json);
        return V201Catalog.Actions[action].ValidateRequest(document.RootElement);
    }

    public static TheoryData<string, string, string, string> Violations => new()
    {
        { "BootNotification", """{"reason":"PowerUp"}""", "OccurrenceConstraintViolation", "chargingStation: required property missing" },
        { "BootNotification", """{"reason":"PowerUp","chargingStation":{"model":"P30","vendorName":"Keba","extra":1}}""", "OccurrenceConstraintViolation", "chargingStation.extra: property not allowed" },
        { "BootNotification", """{"reason":"Reboot","chargingStation":{"model":"P30","vendorName":"Keba"}}""", "TypeConstraintViolation", "reason: not one of the allowed values" },
        { "BootNotification", "[]", "FormatViolation", "payload: not a JSON object" },
        { "Authorize", """{"idToken":{"idToken":"AB12","type":"Badge"}}""", "TypeConstraintViolation", "idToken.type: not one of the allowed values" },
        { "NotifyEVChargingNeeds", """{"evseId":1,"chargingNeeds":{"requestedEnergyTransfer":"DC","dcChargingParameters":{"evMaxCurrent":100,"evMaxVoltage":400,"stateOfCharge":101}}}""", "PropertyConstraintViolation", "chargingNeeds.dcChargingParameters.stateOfCharge: greater than 100" },
        { "NotifyEVChargingNeeds", """{"evseId":1,"chargingNeeds":{"requestedEnergyTransfer":"DC","dcChargingParameters":{"evMaxCurrent":100,"evMaxVoltage":400,"stateOfCharge":-1}}}""", "PropertyConstraintViolation", "chargingNeeds.dcChargingParameters.stateOfCharge: less than 0" },
        { "GetChargingProfiles", """{"requestId":1,"chargingProfile":{"chargingLimitSource":["EMS","Other","SO","CSO","EMS"]}}""", "OccurrenceConstraintViolation", "chargingProfile.chargingLimitSource: more than 4 items" },
        { "TransactionEvent", """{"eventType":"Started","timestamp":"2026-01-01T00:00:00Z","triggerReason":"Authorized","seqNo":0,"transactionInfo":{"transactionId":"T1"},"meterValue":[]}""", "OccurrenceConstraintViolation", "meterValue: fewer than 1 items" },
        { "TransactionEvent", """{"eventType":"Started","timestamp":"2026-01-01T00:00:00Z","triggerReason":"Authorized","seqNo":0,"transactionInfo":{"transactionId":"T1234567890123456789012345678901234567"}}""", "PropertyConstraintViolation", "transactionInfo.transactionId: longer than 36 characters" },
    };

    [Theory]
    [MemberData(nameof(Violations))]
    public void A_violation_is_reported_with_the_201_code_and_path(string action, string json, string code, string description)
    {
        var error = Request(action, json);
        Assert.NotNull(error);
        Assert.Equal(code, error.ErrorCode);
        Assert.Equal(description, error.Description);
    }

    [Fact]
    public void A_valid_boot_passes_and_deserialises()
    {
        Assert.Null(Request("BootNotification", Boot));
        var boot = JsonSerializer.Deserialize(Boot, V201JsonContext.Default.BootNotificationRequest)!;
        Assert.Equal(BootReasonEnumType.PowerUp, boot.Reason);
        Assert.Equal("Keba", boot.ChargingStation.VendorName);
    }

    [Fact]
    public void CustomData_may_carry_vendor_members()
    {
        const string json = """{"customData":{"vendorId":"com.keba","anything":{"x":1}},"reason":"PowerUp","chargingStation":{"model":"P30","vendorName":"Keba"}}""";
        Assert.Null(Request("BootNotification", json));
        Assert.Equal(V201ErrorCodes.OccurrenceConstraintViolation, Request("BootNotification", """{"customData":{"anything":1},"reason":"PowerUp","chargingStation":{"model":"P30","vendorName":"Keba"}}""")?.ErrorCode);
    }

    [Fact]
    public void DataTransfer_data_takes_any_json_value()
    {
        Assert.Null(Request("DataTransfer", """{"vendorId":"v","data":{"a":[1,"b",null]}}"""));
        Assert.Null(Request("DataTransfer", """{"vendorId":"v","data":42}"""));
    }
}

public class SubprotocolNegotiationTests
{
    [Theory]
    [InlineData(new[] { "ocpp2.0.1" }, "ocpp2.0.1", "ocpp2.0.1")]
    [InlineData(new[] { ",ocpp2.0.1" }, "ocpp2.0.1", "ocpp2.0.1")]
    [InlineData(new[] { " ocpp2.0.1 , ocpp1.6" }, "ocpp2.0.1", "ocpp2.0.1")]
    [InlineData(new[] { "OCPP2.0.1" }, "ocpp2.0.1", "OCPP2.0.1")]
    [InlineData(new[] { "ocpp2.1, ocpp1.6,ocpp2.0.1" }, "ocpp1.6", "ocpp1.6")]
    [InlineData(new[] { "", "ocpp1.6" }, "ocpp1.6", "ocpp1.6")]
    [InlineData(new[] { "Ocpp1.6" }, "ocpp1.6", "Ocpp1.6")]
    public void The_first_supported_token_wins_echoed_in_the_stations_spelling(string[] header, string protocol, string echo)
    {
        var choice = Voltgate.Ocpp.Rpc.OcppProtocols.Negotiate(header);

        Assert.Equal(new Voltgate.Ocpp.Rpc.SubprotocolChoice(protocol, echo), choice);
    }

    [Theory]
    [InlineData("ocpp2.0")]
    [InlineData("ocpp1.5,ocpp2.1")]
    [InlineData("ocpp2.0.1x")]
    public void An_offer_without_a_supported_token_negotiates_nothing(string header) =>
        Assert.Null(Voltgate.Ocpp.Rpc.OcppProtocols.Negotiate([header]));

    [Theory]
    [InlineData(new string[0], true)]
    [InlineData(new[] { "" }, true)]
    [InlineData(new[] { " , ," }, true)]
    [InlineData(new[] { ",ocpp2.0.1" }, false)]
    public void Only_empty_entries_are_no_offer(string[] header, bool empty) =>
        Assert.Equal(empty, Voltgate.Ocpp.Rpc.OcppProtocols.IsEmptyOffer(header));
}
