using System.Net;
using System.Text;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.FrontDoor;

/// <summary>The Basic Auth check of the front door (docs/security.md), over real sockets, on SQLite and PostgreSQL.</summary>
[Collection(ServerCollection.Name)]
public sealed class BasicAuthHandshakeTests(ServerPool pool)
{
    private const string Hex40 = "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567";

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_station_with_a_pool_password_is_admitted_with_ocpp16(string provider)
    {
        var server = await pool.GetAsync(provider);
        using var api = await server.AdminClientAsync();
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);

        var result = await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp1.6");

        Assert.Equal(HttpStatusCode.SwitchingProtocols, result.Status);
        await using var station = result.Station!;
        Assert.Equal("ocpp1.6", station.SubProtocol);
        var attempt = await api.LastAttemptAsync(server, identity);
        Assert.Equal("Accepted", attempt.GetProperty("result").GetString());
        Assert.Equal("None", attempt.GetProperty("reason").GetString());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_wrong_password_gets_401_with_a_challenge_and_the_operator_sees_PasswordMismatch(string provider)
    {
        var server = await pool.GetAsync(provider);
        using var api = await server.AdminClientAsync();
        await api.PasswordAsync(Arrange.RandomPassword());
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);

        var result = await TestStation.ConnectAsync(server.AuthEndpoint, identity, "not-in-the-pool-123", "ocpp1.6");

        Assert.Equal(HttpStatusCode.Unauthorized, result.Status);
        Assert.Equal("Basic realm=\"Voltgate\"", Assert.Single(result.Headers["WWW-Authenticate"]));
        var attempt = await api.LastAttemptAsync(server, identity);
        Assert.Equal("Refused", attempt.GetProperty("result").GetString());
        Assert.Equal("PasswordMismatch", attempt.GetProperty("reason").GetString());
        Assert.Equal("privateauth", attempt.GetProperty("variant").GetString());
        Assert.Equal("127.0.0.1", attempt.GetProperty("sourceAddress").GetString());
        Assert.DoesNotContain("not-in-the-pool-123", attempt.GetRawText(), StringComparison.Ordinal);
    }

    public static TheoryData<string, string?, string> RefusedHeaders => new()
    {
        { "no header", null, "NoCredentials" },
        { "other scheme", "Bearer abc", "MalformedHeader" },
        { "not base64", "Basic %%%", "MalformedHeader" },
        { "no colon", "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("nocolon")), "MalformedHeader" },
        { "username is not the identity", "USER", "UsernameMismatch" },
        { "empty password", "EMPTY", "PasswordMismatch" },
    };

    [Theory]
    [MemberData(nameof(RefusedHeaders))]
    public async Task Every_bad_credential_gets_the_same_401_and_its_own_reason(string why, string? header, string reason)
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);
        header = header switch
        {
            "USER" => TestStation.BasicHeader("someone-else", Encoding.UTF8.GetBytes(Arrange.RandomPassword())),
            "EMPTY" => TestStation.BasicHeader(identity, []),
            _ => header,
        };

        var result = await TestStation.ConnectWithHeaderAsync(server.AuthEndpoint, identity, header, ["ocpp1.6"]);

        Assert.True(result.Status == HttpStatusCode.Unauthorized, why);
        var attempt = await api.LastAttemptAsync(server, identity);
        Assert.Equal(reason, attempt.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task An_unknown_identity_is_refused_with_401_and_recorded_as_UnknownStation()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity("UNKNOWN");

        var result = await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp1.6");

        Assert.Equal(HttpStatusCode.Unauthorized, result.Status);
        Assert.Equal("UnknownStation", (await api.LastAttemptAsync(server, identity)).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_station_not_allowed_on_this_variant_is_refused_even_with_the_right_password()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity, "public");

        var result = await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp1.6");

        Assert.Equal(HttpStatusCode.Unauthorized, result.Status);
        Assert.Equal("VariantNotAllowed", (await api.LastAttemptAsync(server, identity)).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task The_public_variant_admits_over_tls()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity, "public");

        var result = await TestStation.ConnectAsync(server.PublicEndpoint, identity, password, "ocpp1.6");

        Assert.Equal(HttpStatusCode.SwitchingProtocols, result.Status);
        await result.Station!.DisposeAsync();
        Assert.Equal("public", (await api.LastAttemptAsync(server, identity)).GetProperty("variant").GetString());
    }

    [Theory]
    [InlineData("Lenient", false, true, true)]
    [InlineData("Strict", false, true, false)]
    [InlineData("Lenient", true, true, true)]
    [InlineData("Strict", true, false, true)]
    public async Task Hex_secrets_match_their_primary_form_and_the_other_form_only_when_lenient(string matching, bool isHex, bool textAdmitted, bool bytesAdmitted)
    {
        var server = await pool.GetAsync("Sqlite");
        var tenant = await server.CreateTenantAsync();
        using var api = await server.AdminClientAsync(tenant);
        await api.SettingsAsync(new { hexMatching = matching });
        await api.PasswordAsync(Hex40, isHex);
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);
        var endpoint = new Uri(server.AuthEndpoint, tenant + "/");

        var asText = await TestStation.ConnectWithHeaderAsync(endpoint, identity, TestStation.BasicHeader(identity, Encoding.ASCII.GetBytes(Hex40)), ["ocpp1.6"]);
        if (asText.Station is not null)
        {
            await asText.Station.DisposeAsync();
        }

        var asBytes = await TestStation.ConnectWithHeaderAsync(endpoint, identity, TestStation.BasicHeader(identity, Convert.FromHexString(Hex40)), ["ocpp1.6"]);
        if (asBytes.Station is not null)
        {
            await asBytes.Station.DisposeAsync();
        }

        Assert.Equal(textAdmitted, asText.Upgraded);
        Assert.Equal(bytesAdmitted, asBytes.Upgraded);
        if (!textAdmitted || !bytesAdmitted)
        {
            var attempts = await api.LastAttemptAsync(server, identity);
            Assert.Equal(bytesAdmitted ? "Accepted" : "Refused", attempts.GetProperty("result").GetString());
        }
    }

    [Fact]
    public async Task A_strict_refusal_of_the_other_hex_form_is_explained_to_the_operator()
    {
        var server = await pool.GetAsync("Sqlite");
        var tenant = await server.CreateTenantAsync();
        using var api = await server.AdminClientAsync(tenant);
        await api.SettingsAsync(new { hexMatching = "Strict" });
        await api.PasswordAsync(Hex40, isHex: false);
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);

        var result = await TestStation.ConnectWithHeaderAsync(new Uri(server.AuthEndpoint, tenant + "/"), identity,
            TestStation.BasicHeader(identity, Convert.FromHexString(Hex40)), ["ocpp1.6"]);

        Assert.Equal(HttpStatusCode.Unauthorized, result.Status);
        Assert.Equal("PasswordMatchesOnlyOtherHexForm", (await api.LastAttemptAsync(server, identity)).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_password_that_is_not_valid_utf8_is_compared_as_bytes()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);

        var result = await TestStation.ConnectWithHeaderAsync(server.AuthEndpoint, identity, TestStation.BasicHeader(identity, [0xff, 0xfe, 0x00, 0x80, 0xc3]), ["ocpp1.6"]);

        Assert.Equal(HttpStatusCode.Unauthorized, result.Status);
        Assert.Equal("PasswordMismatch", (await api.LastAttemptAsync(server, identity)).GetProperty("reason").GetString());
    }
}
