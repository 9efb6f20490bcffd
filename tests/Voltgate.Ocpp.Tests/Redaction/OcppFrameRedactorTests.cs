using System.Text;
using Voltgate.Ocpp.Redaction;

namespace Voltgate.Ocpp.Tests.Redaction;

public class OcppFrameRedactorTests
{
    private const string Secret = "0123456789abcdefSECRET";

    private static string Redact(string frame) => OcppFrameRedactor.Redact(Encoding.UTF8.GetBytes(frame));

    [Theory]
    [InlineData("AuthorizationKey")]
    [InlineData("authorizationkey")]
    [InlineData("AUTHORIZATIONKEY")]
    public void ChangeConfiguration_AuthorizationKey_value_is_blanked(string key)
    {
        var redacted = Redact($$"""[2,"m1","ChangeConfiguration",{"key":"{{key}}","value":"{{Secret}}"}]""");

        Assert.DoesNotContain(Secret, redacted, StringComparison.Ordinal);
        Assert.Equal($$"""[2,"m1","ChangeConfiguration",{"key":"{{key}}","value":"***"}]""", redacted);
    }

    [Fact]
    public void Other_ChangeConfiguration_values_are_kept_verbatim()
    {
        const string frame = """[2, "m1", "ChangeConfiguration", {"key": "HeartbeatInterval", "value": "300"}]""";
        Assert.Equal(frame, Redact(frame));
    }

    [Fact]
    public void GetConfiguration_result_blanks_only_the_AuthorizationKey_entry()
    {
        var redacted = Redact($$"""[3,"m2",{"configurationKey":[{"key":"HeartbeatInterval","readonly":false,"value":"300"},{"key":"AuthorizationKey","readonly":false,"value":"{{Secret}}"}],"unknownKey":[]}]""");

        Assert.DoesNotContain(Secret, redacted, StringComparison.Ordinal);
        Assert.Equal("""[3,"m2",{"configurationKey":[{"key":"HeartbeatInterval","readonly":false,"value":"300"},{"key":"AuthorizationKey","readonly":false,"value":"***"}],"unknownKey":[]}]""", redacted);
    }

    [Theory]
    [InlineData("BasicAuthPassword")]
    [InlineData("basicAuthPassword")]
    [InlineData("authorizationKey")]
    public void Secret_property_names_are_blanked_anywhere(string name)
    {
        var redacted = Redact($$$"""[2,"m3","DataTransfer",{"vendorId":"x","nested":{"list":[{"{{{name}}}":"{{{Secret}}}"}]}}]""");

        Assert.DoesNotContain(Secret, redacted, StringComparison.Ordinal);
        Assert.Contains($"\"{name}\":\"***\"", redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void Non_string_secret_values_are_blanked_too() =>
        Assert.DoesNotContain("1234567", Redact("""[2,"m","X",{"basicAuthPassword":{"v":1234567}}]"""), StringComparison.Ordinal);

    [Fact]
    public void V201_SetVariables_BasicAuthPassword_value_is_blanked()
    {
        var redacted = Redact($$$"""[2,"m4","SetVariables",{"setVariableData":[{"attributeValue":"{{{Secret}}}","component":{"name":"SecurityCtrlr"},"variable":{"name":"BasicAuthPassword"}},{"attributeValue":"60","component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"}}]}]""");

        Assert.DoesNotContain(Secret, redacted, StringComparison.Ordinal);
        Assert.Contains("\"attributeValue\":\"60\"", redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void V201_NotifyReport_BasicAuthPassword_and_WriteOnly_values_are_blanked_and_others_kept()
    {
        var redacted = Redact($$$"""[2,"m5","NotifyReport",{"requestId":1,"generatedAt":"2026-12-03T08:00:00Z","seqNo":0,"reportData":[{"component":{"name":"SecurityCtrlr"},"variable":{"name":"BasicAuthPassword"},"variableAttribute":[{"type":"Actual","value":"{{{Secret}}}"}]},{"component":{"name":"Vendor"},"variable":{"name":"Token"},"variableAttribute":[{"type":"Actual","value":"W{{{Secret}}}","mutability":"WriteOnly"}]},{"component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"},"variableAttribute":[{"type":"Actual","value":"300"}]}]}]""");

        Assert.DoesNotContain(Secret, redacted, StringComparison.Ordinal);
        Assert.Contains("\"value\":\"300\"", redacted, StringComparison.Ordinal);
        Assert.Equal(2, redacted.Split("\"value\":\"***\"").Length - 1);
    }

    [Fact]
    public void Duplicate_key_properties_cannot_smuggle_a_secret() =>
        Assert.DoesNotContain(Secret, Redact($$"""[2,"m","ChangeConfiguration",{"key":"X","key":"AuthorizationKey","value":"{{Secret}}"}]"""), StringComparison.Ordinal);

    [Theory]
    [InlineData("""[2,"m1","ChangeConfiguration",{"key":"AuthorizationKey","value":"0123456789abcdefSECRET""")]
    [InlineData("not json 0123456789abcdefSECRET")]
    [InlineData("")]
    public void Unparsable_frames_are_never_echoed(string frame)
    {
        var redacted = Redact(frame);

        Assert.DoesNotContain(Secret, redacted, StringComparison.Ordinal);
        Assert.Equal($"<unparsable frame, {Encoding.UTF8.GetByteCount(frame)} bytes>", redacted);
    }

    [Fact]
    public void Invalid_utf8_is_unparsable() =>
        Assert.Equal("<unparsable frame, 4 bytes>", OcppFrameRedactor.Redact([(byte)'"', 0xff, 0xfe, (byte)'"']));

    [Fact]
    public void Non_ascii_text_survives_redaction_readably()
    {
        var redacted = Redact("""[2,"m","DataTransfer",{"vendorId":"Gräfelfing","authorizationKey":"x"}]""");
        Assert.Contains("Gräfelfing", redacted, StringComparison.Ordinal);
    }
}
