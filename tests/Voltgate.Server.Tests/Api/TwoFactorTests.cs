using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using OtpNet;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.Api;

/// <summary>
/// The TOTP second factor end to end over the API, with real codes computed by an independent implementation
/// (Otp.NET): enrolment, login with a code or a one-time recovery code, disabling, and an administrator's reset.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class TwoFactorTests(ServerPool pool)
{
    private const string UserPassword = "Alice-Password-For-Tests-1";

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Enrolment_then_login_with_a_code_or_a_recovery_code_until_an_admin_resets_it(string provider)
    {
        var server = await pool.GetAsync(provider);
        var tenant = await server.CreateTenantAsync();
        using var admin = await server.AdminClientAsync(tenant);
        var aliceId = await CreateUserAsync(admin, "alice");
        using var alice = await ClientAsync(server, tenant, "alice");

        var setup = await ReadAsync(await alice.PostAsync("/api/v1/account/two-factor/setup", null), HttpStatusCode.OK);
        var key = setup.GetProperty("sharedKey").GetString()!;
        Assert.Equal($"otpauth://totp/Voltgate:{tenant}:alice?secret={key}&issuer=Voltgate", setup.GetProperty("authenticatorUri").GetString());
        Assert.Matches("^[A-Z2-7]{16,}$", key);

        var wrong = await alice.PostAsJsonAsync("/api/v1/account/two-factor/enable", new { code = WrongCode(key) });
        Assert.Equal("WrongCode", (await ReadAsync(wrong, HttpStatusCode.BadRequest)).GetProperty("code").GetString());
        Assert.False((await ReadAsync(await alice.GetAsync("/api/v1/account/two-factor"), HttpStatusCode.OK)).GetProperty("enabled").GetBoolean(),
            "a wrong code must enable nothing");
        Assert.Equal(HttpStatusCode.OK, (await TokenAsync(server, tenant, "alice", totp: null)).StatusCode);

        var enabled = await ReadAsync(await alice.PostAsJsonAsync("/api/v1/account/two-factor/enable", new { code = Code(key) }), HttpStatusCode.OK);
        var recoveryCodes = enabled.GetProperty("recoveryCodes").EnumerateArray().Select(c => c.GetString()!).ToList();
        Assert.Equal(10, recoveryCodes.Distinct().Count());
        var status = await ReadAsync(await alice.GetAsync("/api/v1/account/two-factor"), HttpStatusCode.OK);
        Assert.True(status.GetProperty("enabled").GetBoolean());
        Assert.Equal(10, status.GetProperty("recoveryCodesLeft").GetInt32());

        var withoutCode = await TokenAsync(server, tenant, "alice", totp: null);
        Assert.Equal("TotpRequired", (await ReadAsync(withoutCode, HttpStatusCode.Unauthorized)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(server, tenant, "alice", WrongCode(key))).StatusCode);
        await ReadAsync(await TokenAsync(server, tenant, "alice", Code(key)), HttpStatusCode.OK);

        var recovery = recoveryCodes[3];
        await ReadAsync(await TokenAsync(server, tenant, "alice", recovery.ToLowerInvariant().Replace("-", "", StringComparison.Ordinal)), HttpStatusCode.OK);
        Assert.True((await TokenAsync(server, tenant, "alice", recovery)).StatusCode == HttpStatusCode.Unauthorized,
            "a recovery code works once; the second use must be refused");
        Assert.Equal(9, (await ReadAsync(await alice.GetAsync("/api/v1/account/two-factor"), HttpStatusCode.OK)).GetProperty("recoveryCodesLeft").GetInt32());

        var reset = await ReadAsync(await admin.PostAsync($"/api/v1/users/{aliceId}/reset-two-factor", null), HttpStatusCode.OK);
        Assert.False(reset.GetProperty("twoFactorEnabled").GetBoolean());
        await ReadAsync(await TokenAsync(server, tenant, "alice", totp: null), HttpStatusCode.OK);
        Assert.True((await TokenAsync(server, tenant, "alice", recoveryCodes[4])).StatusCode == HttpStatusCode.OK,
            "without a second factor the code field is ignored (the password alone signs in)");

        var audit = (await ReadAsync(await admin.GetAsync("/api/v1/audit-events?take=500"), HttpStatusCode.OK)).GetProperty("items").EnumerateArray().ToList();
        var actions = audit.Select(e => e.GetProperty("action").GetString()).ToList();
        Assert.Contains("User.TwoFactorSetupStarted", actions);
        Assert.Contains("User.TwoFactorEnableFailed", actions);
        Assert.Contains("User.TwoFactorEnabled", actions);
        Assert.Contains("User.TwoFactorReset", actions);
        Assert.Contains(audit, e => e.GetProperty("action").GetString() == "Auth.LoggedIn"
                                    && e.GetProperty("details").GetProperty("secondFactor").GetString() == "recoveryCode");
        var auditText = string.Join("\n", audit.Select(e => e.GetRawText()));
        var logText = string.Join("\n", server.Logs.Lines);
        foreach (var secret in recoveryCodes.Append(key))
        {
            Assert.False(auditText.Contains(secret, StringComparison.OrdinalIgnoreCase), "the authenticator key and recovery codes must never reach the audit trail");
            Assert.False(logText.Contains(secret, StringComparison.OrdinalIgnoreCase), "the authenticator key and recovery codes must never reach the logs");
        }
    }

    [Fact]
    public async Task Disabling_needs_the_password_or_a_current_code_and_a_live_factor_is_not_replaced_by_setup()
    {
        var server = await pool.GetAsync("Sqlite");
        var tenant = await server.CreateTenantAsync();
        using var admin = await server.AdminClientAsync(tenant);
        await CreateUserAsync(admin, "bob");
        using var bob = await ClientAsync(server, tenant, "bob");
        var key = await EnableAsync(bob);

        Assert.Equal(HttpStatusCode.Conflict, (await bob.PostAsync("/api/v1/account/two-factor/setup", null)).StatusCode);
        var denied = await bob.PostAsJsonAsync("/api/v1/account/two-factor/disable", new { password = "not-the-password" });
        Assert.Equal("WrongProof", (await ReadAsync(denied, HttpStatusCode.BadRequest)).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, (await bob.PostAsJsonAsync("/api/v1/account/two-factor/disable", new { })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TokenAsync(server, tenant, "bob", totp: null)).StatusCode);

        await ReadAsync(await bob.PostAsJsonAsync("/api/v1/account/two-factor/disable", new { code = Code(key) }), HttpStatusCode.OK);
        await ReadAsync(await TokenAsync(server, tenant, "bob", totp: null), HttpStatusCode.OK);

        var again = await EnableAsync(bob);
        Assert.NotEqual(key, again);
        await ReadAsync(await bob.PostAsJsonAsync("/api/v1/account/two-factor/disable", new { password = UserPassword }), HttpStatusCode.OK);
        await ReadAsync(await TokenAsync(server, tenant, "bob", totp: null), HttpStatusCode.OK);
    }

    [Fact]
    public async Task Own_account_endpoints_refuse_anonymous_callers()
    {
        var server = await pool.GetAsync("Sqlite");
        using var anonymous = new HttpClient { BaseAddress = server.WebUrl };

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/account/two-factor")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsync("/api/v1/account/two-factor/setup", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/v1/account/two-factor/enable", new { code = "123456" })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync("/api/v1/account/two-factor/disable", new { password = "x" })).StatusCode);
    }

    private static string Code(string key) => new Totp(Base32Encoding.ToBytes(key)).ComputeTotp();

    /// <summary>A six-digit code that is none of the codes the server accepts around now (it allows some clock drift).</summary>
    private static string WrongCode(string key)
    {
        var totp = new Totp(Base32Encoding.ToBytes(key));
        var now = DateTime.UtcNow;
        var accepted = Enumerable.Range(-3, 7).Select(step => totp.ComputeTotp(now.AddSeconds(30 * step))).ToHashSet();
        return Enumerable.Range(0, 20).Select(i => (123456 + (i * 7919)).ToString("D6", System.Globalization.CultureInfo.InvariantCulture)).First(c => !accepted.Contains(c));
    }

    private static async Task<string> EnableAsync(HttpClient client)
    {
        var key = (await ReadAsync(await client.PostAsync("/api/v1/account/two-factor/setup", null), HttpStatusCode.OK)).GetProperty("sharedKey").GetString()!;
        await ReadAsync(await client.PostAsJsonAsync("/api/v1/account/two-factor/enable", new { code = Code(key) }), HttpStatusCode.OK);
        return key;
    }

    private static async Task<Guid> CreateUserAsync(HttpClient admin, string username)
    {
        var created = await admin.PostAsJsonAsync("/api/v1/users", new { username, password = UserPassword });
        return (await ReadAsync(created, HttpStatusCode.Created)).GetProperty("id").GetGuid();
    }

    private static async Task<HttpClient> ClientAsync(VoltgateServer server, string tenant, string username)
    {
        var token = (await ReadAsync(await TokenAsync(server, tenant, username, totp: null), HttpStatusCode.OK)).GetProperty("accessToken").GetString();
        var client = new HttpClient { BaseAddress = server.WebUrl };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<HttpResponseMessage> TokenAsync(VoltgateServer server, string tenant, string username, string? totp)
    {
        using var client = new HttpClient { BaseAddress = server.WebUrl };
        return await client.PostAsJsonAsync("/api/v1/auth/token", new { tenant, username, password = UserPassword, totp });
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone();
    }
}
