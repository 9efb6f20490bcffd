using Voltgate.Core.Stations;

namespace Voltgate.Core.Tests.Stations;

/// <summary>Core explains an attempt as a code with the facts it names; the host words it.</summary>
public class ConnectionDiagnosticsTests
{
    private static ConnectionAttempt Attempt(RefusalReason reason, string offered = "") => new()
    {
        Identity = "KC-1",
        SourceAddress = "10.0.0.9",
        Variant = "public",
        Endpoint = "wss-public",
        Protocol = "ocpp1.6",
        OfferedSubprotocols = offered,
        PresentedUsername = "bob",
        Reason = reason,
    };

    private static string Facts(AttemptExplanation e) => string.Join("|", e.Arguments);

    [Fact]
    public void The_code_is_the_reason_and_the_arguments_are_its_facts()
    {
        Assert.Equal("public|ocpp1.6", Facts(ConnectionDiagnostics.Explain(Attempt(RefusalReason.None), null, null)));
        Assert.Equal("bob|KC-1", Facts(ConnectionDiagnostics.Explain(Attempt(RefusalReason.UsernameMismatch), null, null)));
        Assert.Equal("public|privateauth, public", Facts(ConnectionDiagnostics.Explain(Attempt(RefusalReason.VariantNotAllowed), ["privateauth", "public"], null)));
        Assert.Equal("10.0.0.9|wss-public", Facts(ConnectionDiagnostics.Explain(Attempt(RefusalReason.NetworkNotAllowed), null, null)));

        var disabled = ConnectionDiagnostics.Explain(Attempt(RefusalReason.PasswordDisabled), null, "Fleet");
        Assert.Equal(("PasswordDisabled", "Fleet"), (disabled.Code, disabled.Arguments.Single()));
        Assert.Empty(ConnectionDiagnostics.Explain(Attempt(RefusalReason.RateLimited), null, null).Arguments);
    }

    [Fact]
    public void A_missing_fact_is_null_for_the_host_to_word()
    {
        Assert.Null(ConnectionDiagnostics.Explain(Attempt(RefusalReason.VariantNotAllowed), [], null).Arguments[1]);
        Assert.Null(ConnectionDiagnostics.Explain(Attempt(RefusalReason.PasswordMatchesOnlyOtherHexForm), null, null).Arguments[0]);
        Assert.Null(ConnectionDiagnostics.Explain(Attempt(RefusalReason.UnsupportedSubprotocol), null, null).Arguments[0]);
        Assert.Equal("ocpp2.0", ConnectionDiagnostics.Explain(Attempt(RefusalReason.UnsupportedSubprotocol, "ocpp2.0"), null, null).Arguments[0]);
    }
}
