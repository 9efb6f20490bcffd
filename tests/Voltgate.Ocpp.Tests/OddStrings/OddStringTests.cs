using System.Text;
using System.Text.Json;
using Voltgate.Ocpp.Redaction;
using Voltgate.Ocpp.Rpc;
using Voltgate.Ocpp.V16;

namespace Voltgate.Ocpp.Tests.OddStrings;

/// <summary>
/// Strings that are valid JSON but odd as text (docs/reliability.md, "Odd strings"): an escape naming a lone UTF-16
/// surrogate cannot be read as a .NET string at all (GetString throws), NUL and bidi overrides can. Nothing here may
/// throw; an unreadable string is refused with FormationViolation, the others are accepted.
/// </summary>
public class OddStringTests
{
    private const string Secret = "0123456789abcdefSECRET";

    /// <summary>The escape as it appears in the frame's JSON text.</summary>
    public static TheoryData<string> Unreadable => new() { @"\ud800", @"\udfff", @"\ud800\u0041", @"a\udbff", @"\udc00\ud800", @"\ud800\ud800" };

    public static TheoryData<string> ReadableButOdd => new() { @"\u0000", @"\u202e", @"\ud83d\ude00", "\u202e", @"a\u0000b" };

    private static string Redact(string frame) => OcppFrameRedactor.Redact(Encoding.UTF8.GetBytes(frame));

    private static OcppValidationError? ValidateRequest(string action, string json)
    {
        using var document = JsonDocument.Parse(json);
        return V16Catalog.Actions[action].ValidateRequest(document.RootElement);
    }

    [Theory]
    [MemberData(nameof(Unreadable))]
    [MemberData(nameof(ReadableButOdd))]
    public void The_redactor_keeps_an_odd_string_value_as_received(string escape)
    {
        var frame = $$"""[2,"m1","DataTransfer",{"vendorId":"x","data":"{{escape}}"}]""";

        Assert.Equal(frame, Redact(frame));
    }

    [Theory]
    [MemberData(nameof(Unreadable))]
    [MemberData(nameof(ReadableButOdd))]
    public void The_redactor_still_blanks_secrets_next_to_an_odd_string(string escape)
    {
        var redacted = Redact($$$"""[2,"m1","DataTransfer",{"vendorId":"{{{escape}}}","nested":{"basicAuthPassword":"{{{Secret}}}","{{{escape}}}":"{{{escape}}}"}}]""");

        Assert.DoesNotContain(Secret, redacted, StringComparison.Ordinal);
        Assert.Contains("\"basicAuthPassword\":\"***\"", redacted, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Unreadable))]
    public void The_redactor_blanks_a_secret_that_holds_an_unreadable_string(string escape)
    {
        var redacted = Redact($$"""[2,"m1","ChangeConfiguration",{"key":"AuthorizationKey","value":"{{Secret}}{{escape}}"}]""");

        Assert.Equal("""[2,"m1","ChangeConfiguration",{"key":"AuthorizationKey","value":"***"}]""", redacted);
    }

    [Theory]
    [MemberData(nameof(Unreadable))]
    public void An_unreadable_key_or_name_is_not_a_secret_name_and_does_not_throw(string escape)
    {
        var change = Redact($$"""[2,"m1","ChangeConfiguration",{"key":"{{escape}}","value":"300"}]""");
        var variable = Redact($$$"""[2,"m1","SetVariables",{"setVariableData":[{"attributeValue":"60","variable":{"name":"{{{escape}}}"}}]}]""");
        var result = Redact($$"""[3,"m1",{"configurationKey":[{"key":"{{escape}}","value":"300"}]}]""");
        var name = Redact($$"""[2,"m1","DataTransfer",{"vendorId":"x","{{escape}}authorizationKey":"300"}]""");

        Assert.Contains("300", change, StringComparison.Ordinal);
        Assert.Contains("60", variable, StringComparison.Ordinal);
        Assert.Contains("300", result, StringComparison.Ordinal);
        Assert.Contains("300", name, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Unreadable))]
    public void An_unreadable_action_is_not_mistaken_for_ChangeConfiguration(string escape) =>
        Assert.Contains("\"value\":\"v\"", Redact($$"""[2,"m1","{{escape}}",{"key":"AuthorizationKey","value":"v"}]"""), StringComparison.Ordinal);

    [Fact]
    public void The_redactor_handles_an_overlong_string_with_an_unreadable_escape()
    {
        var frame = $$"""[2,"m1","DataTransfer",{"vendorId":"x","data":"{{new string('a', 200_000)}}\ud800{{new string('b', 100)}}"}]""";

        Assert.Equal(frame, Redact(frame));
    }

    [Theory]
    [MemberData(nameof(Unreadable))]
    public void A_message_id_that_cannot_be_read_is_a_frame_without_an_id(string escape)
    {
        var frame = OcppFrameCodec.Parse(Encoding.UTF8.GetBytes($$"""[2,"{{escape}}","Heartbeat",{}]"""));

        Assert.Equal(FrameKind.Invalid, frame.Kind);
        Assert.Null(frame.MessageId);
        Assert.Equal(OcppErrorCodes.GenericError, frame.ErrorCode);
    }

    [Theory]
    [MemberData(nameof(Unreadable))]
    public void An_action_that_cannot_be_read_is_a_FormationViolation(string escape)
    {
        var frame = OcppFrameCodec.Parse(Encoding.UTF8.GetBytes($$"""[2,"m1","{{escape}}",{}]"""));

        Assert.Equal(FrameKind.Invalid, frame.Kind);
        Assert.Equal("m1", frame.MessageId);
        Assert.Equal(OcppErrorCodes.FormationViolation, frame.ErrorCode);
    }

    [Theory]
    [MemberData(nameof(Unreadable))]
    public void A_CALLERROR_whose_texts_cannot_be_read_still_reaches_its_call(string escape)
    {
        var frame = OcppFrameCodec.Parse(Encoding.UTF8.GetBytes($$"""[4,"m1","{{escape}}","{{escape}}",{}]"""));

        Assert.Equal(FrameKind.CallError, frame.Kind);
        Assert.Equal("m1", frame.MessageId);
        Assert.Equal(OcppErrorCodes.GenericError, frame.ErrorCode);
        Assert.Contains('\uFFFD', frame.ErrorDescription!);
    }

    [Theory]
    [MemberData(nameof(Unreadable))]
    public void A_CALLRESULT_that_cannot_be_read_fails_its_call_with_FormationViolation(string escape)
    {
        var frame = OcppFrameCodec.Parse(Encoding.UTF8.GetBytes($$$"""[3,"m1",{"configurationKey":[{"key":"K","readonly":false,"value":"{{{escape}}}"}]}]"""));
        var readable = OcppFrameCodec.Parse(Encoding.UTF8.GetBytes("""[3,"m1",{"configurationKey":[{"key":"K\u0041","readonly":false,"value":"\u202e"}]}]"""));

        Assert.Equal((FrameKind.CallError, "m1", OcppErrorCodes.FormationViolation), (frame.Kind, frame.MessageId, frame.ErrorCode));
        Assert.Equal(FrameKind.CallResult, readable.Kind);
    }

    [Theory]
    [MemberData(nameof(Unreadable))]
    public void A_payload_string_that_cannot_be_read_is_a_FormationViolation_naming_the_field(string escape)
    {
        Assert.Equal(new OcppValidationError("FormationViolation", "idTag: not readable text (an unpaired UTF-16 surrogate escape)"),
            ValidateRequest("Authorize", $$"""{"idTag":"{{escape}}"}"""));
        Assert.Equal("FormationViolation", ValidateRequest("DataTransfer", $$"""{"vendorId":"x","data":"{{escape}}"}""")?.ErrorCode);
        Assert.Equal("FormationViolation", ValidateRequest("BootNotification", $$"""{"chargePointVendor":"{{escape}}","chargePointModel":"m"}""")?.ErrorCode);
        Assert.Equal("meterValue[0].sampledValue[0].value: not readable text (an unpaired UTF-16 surrogate escape)",
            ValidateRequest("MeterValues", $$"""{"connectorId":1,"meterValue":[{"timestamp":"2025-01-02T03:04:05Z","sampledValue":[{"value":"{{escape}}"}]}]}""")?.Description);
    }

    [Theory]
    [MemberData(nameof(Unreadable))]
    public void Unreadable_strings_in_enums_timestamps_uris_long_texts_and_names_are_FormationViolations(string escape)
    {
        Assert.Equal("FormationViolation", ValidateRequest("StatusNotification", $$"""{"connectorId":1,"errorCode":"{{escape}}","status":"Available"}""")?.ErrorCode);
        Assert.Equal("FormationViolation", ValidateRequest("StartTransaction", $$"""{"connectorId":1,"idTag":"t","meterStart":0,"timestamp":"2025-01-02T03:04:05Z{{escape}}"}""")?.ErrorCode);
        Assert.Equal("FormationViolation", ValidateRequest("DataTransfer", $$"""{"vendorId":"x","data":"{{new string('a', 100_000)}}{{escape}}"}""")?.ErrorCode);
        Assert.Equal("FormationViolation", ValidateRequest("Authorize", $$"""{"idTag":"{{new string('a', 30)}}{{escape}}"}""")?.ErrorCode);
        Assert.Equal(new OcppValidationError("FormationViolation", "(unrecognised property): not readable text (an unpaired UTF-16 surrogate escape)"),
            ValidateRequest("Authorize", $$"""{"idTag":"t","{{escape}}":1}"""));
        Assert.Equal("FormationViolation", ValidateRequest("Authorize", $$"""{"{{escape}}":1}""")?.ErrorCode);
    }

    [Theory]
    [MemberData(nameof(Unreadable))]
    public void An_unreadable_string_in_a_stations_answer_is_a_FormationViolation(string escape)
    {
        using var document = JsonDocument.Parse($$"""{"configurationKey":[{"key":"K","readonly":false,"value":"{{escape}}"}]}""");

        Assert.Equal("FormationViolation", V16Catalog.Actions["GetConfiguration"].ValidateResponse(document.RootElement)?.ErrorCode);
    }

    [Theory]
    [MemberData(nameof(ReadableButOdd))]
    public void NUL_bidi_overrides_and_surrogate_pairs_are_readable_and_pass_the_schema(string escape)
    {
        Assert.Null(ValidateRequest("DataTransfer", $$"""{"vendorId":"x","data":"{{escape}}"}"""));
        Assert.Null(ValidateRequest("Authorize", $$"""{"idTag":"{{escape}}"}"""));
        var frame = OcppFrameCodec.Parse(Encoding.UTF8.GetBytes($$"""[2,"m{{escape}}","Heartbeat",{}]"""));
        Assert.Equal(FrameKind.Call, frame.Kind);
    }

    [Fact]
    public void An_overlong_string_is_refused_by_its_maxLength_not_by_a_throw() =>
        Assert.Equal("PropertyConstraintViolation", ValidateRequest("Authorize", $$"""{"idTag":"{{new string('a', 1_000_000)}}"}""")?.ErrorCode);

    [Theory]
    [MemberData(nameof(Unreadable))]
    public void A_frame_that_is_not_UTF8_or_JSON_is_still_never_echoed(string escape)
    {
        Assert.Equal("<unparsable frame, 3 bytes>", OcppFrameRedactor.Redact([0xff, 0xfe, 0x22]));
        Assert.StartsWith("<unparsable frame", Redact($$"""[2,"m1","X",{"basicAuthPassword":"{{escape}}{{Secret}}"]"""), StringComparison.Ordinal);
    }
}
