using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.Data;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.Api;

/// <summary>The password pool API: each bad input gets a clear error and changes nothing.</summary>
[Collection(ServerCollection.Name)]
public sealed class BasicAuthPasswordApiTests(ServerPool pool)
{
    private const string Passwords = "/api/v1/ocpp-security/basic-auth-passwords";

    public static TheoryData<string, object, string> BadAdds => new()
    {
        { "15 characters", new { label = "x", password = "abcdefghij12345" }, "password" },
        { "65 characters", new { label = "x", password = new string('a', 65) }, "password" },
        { "outside the passwordString alphabet", new { label = "x", password = "abcdefghij12345#" }, "password" },
        { "leading space", new { label = "x", password = " abcdefghij123456" }, "password" },
        { "trailing space", new { label = "x", password = "abcdefghij123456 " }, "password" },
        { "hex with odd length", new { label = "x", password = "0123456789abcdef0", isHex = true }, "password" },
        { "hex with a non-hex character", new { label = "x", password = "0123456789abcdefg0", isHex = true }, "password" },
        { "generate 31", new { label = "x", generate = new { length = 31 } }, "generate.length" },
        { "generate 42", new { label = "x", generate = new { length = 42 } }, "generate.length" },
        { "empty label", new { label = "", password = "abcdefghij123456" }, "label" },
        { "label of 300 characters", new { label = new string('l', 300), password = "abcdefghij123456" }, "label" },
    };

    [Fact]
    public async Task A_broken_password_rule_is_worded_in_English_by_the_API()
    {
        var server = await pool.GetAsync("Sqlite");
        var tenant = await server.CreateTenantAsync();
        using var api = await server.AdminClientAsync(tenant);

        var response = await api.PostAsJsonAsync(Passwords, new { label = "x", password = " abcdefghij12" });

        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("ValidationFailed", problem.GetProperty("code").GetString());
        Assert.Equal("The password must not start or end with a space.|The password must have at least 16 characters.", string.Join("|",
            problem.GetProperty("errors").GetProperty("password").EnumerateArray().Select(m => m.GetString())));
    }

    [Theory]
    [MemberData(nameof(BadAdds))]
    public async Task A_bad_entry_is_refused_at_its_field_and_nothing_is_stored(string why, object body, string field)
    {
        var server = await pool.GetAsync("Sqlite");
        var tenant = await server.CreateTenantAsync();
        using var api = await server.AdminClientAsync(tenant);

        var response = await api.PostAsJsonAsync(Passwords, body);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{why}: {response.StatusCode}");
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out var messages), $"{why}: no error at '{field}' in {problem}");
        Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
        Assert.Equal(0, (await api.GetFromJsonAsync<JsonElement>(Passwords)).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_duplicate_secret_is_refused_even_in_other_hex_case()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync(await server.CreateTenantAsync());
        await api.PasswordAsync("0123456789abcdef0123456789abcdef");

        var again = await api.PostAsJsonAsync(Passwords, new { label = "again", password = "0123456789ABCDEF0123456789ABCDEF" });

        Assert.Equal(HttpStatusCode.BadRequest, again.StatusCode);
        Assert.Contains("already exists", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(1, (await api.GetFromJsonAsync<JsonElement>(Passwords)).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task A_generated_password_is_40_hex_characters_by_default_fits_KEBA_and_is_only_revealed_on_request()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync(await server.CreateTenantAsync());

        var created = await api.PostAsJsonAsync(Passwords, new { label = "KEBA", generate = new { } });

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.NotNull(created.Headers.Location);
        var entry = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(entry.TryGetProperty("password", out _), "the created resource must not carry the secret");
        Assert.Equal(40, entry.GetProperty("length").GetInt32());
        Assert.False(entry.GetProperty("isHex").GetBoolean());
        Assert.Contains("keba-x-series", entry.GetProperty("profiles").EnumerateArray().Select(p => p.GetString()));
        var revealed = await api.PostAsync($"{Passwords}/{entry.GetProperty("id").GetGuid()}/reveal", null);
        var secret = (await revealed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("password").GetString()!;
        Assert.Matches("^[0-9a-f]{40}$", secret);
        Assert.DoesNotContain(secret, await api.GetStringAsync(Passwords), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_secret_can_never_be_changed_only_label_and_note()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync(await server.CreateTenantAsync());
        var id = await api.PasswordAsync("abcdefghij123456");

        var changeSecret = await api.PatchAsJsonAsync($"{Passwords}/{id}", new { password = "zzzzzzzzzz123456" });
        var changeHex = await api.PatchAsJsonAsync($"{Passwords}/{id}", new { isHex = true });
        var relabel = await api.PatchAsJsonAsync($"{Passwords}/{id}", new { label = "Depot A", note = "KEBA wallboxes" });

        Assert.Equal(HttpStatusCode.Conflict, changeSecret.StatusCode);
        var problem = await changeSecret.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("lose their connection", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("Add a new password", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, changeHex.StatusCode);
        Assert.Equal(HttpStatusCode.OK, relabel.StatusCode);
        var revealed = await api.PostAsync($"{Passwords}/{id}/reveal", null);
        Assert.Equal("abcdefghij123456", (await revealed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("password").GetString());
        Assert.Equal("Depot A", (await api.GetFromJsonAsync<JsonElement>($"{Passwords}/{id}")).GetProperty("label").GetString());
    }

    [Fact]
    public async Task The_database_itself_refuses_a_changed_secret()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync(await server.CreateTenantAsync());
        var id = await api.PasswordAsync("abcdefghij123456");
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();

        var update = () => db.Database.ExecuteSqlRawAsync("UPDATE \"BasicAuthPasswords\" SET \"ProtectedSecret\" = 'tampered' WHERE \"Id\" = {0}", id);

        var error = await Assert.ThrowsAnyAsync<Exception>(update);
        Assert.Contains("never be changed", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_an_entry_in_use_needs_force_and_deleting_twice_is_404()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync();
        var password = Arrange.RandomPassword();
        var id = await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity();
        await api.StationAsync(identity);
        await (await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp1.6")).Station!.DisposeAsync();
        await server.FlushAsync();

        var refused = await api.DeleteAsync($"{Passwords}/{id}");
        var forced = await api.DeleteAsync($"{Passwords}/{id}?force=true");
        var twice = await api.DeleteAsync($"{Passwords}/{id}?force=true");

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(identity, problem.GetProperty("stations")[0].GetProperty("identity").GetString());
        Assert.Equal(HttpStatusCode.OK, forced.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, twice.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TestStation.ConnectAsync(server.AuthEndpoint, identity, password, "ocpp1.6")).Status);
    }

    [Fact]
    public async Task Without_a_token_the_pool_answers_401_and_never_lists_secrets()
    {
        var server = await pool.GetAsync("Sqlite");
        using var anonymous = new HttpClient { BaseAddress = server.WebUrl };

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync(Passwords)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.PostAsJsonAsync(Passwords, new { label = "x", password = "abcdefghij123456" })).StatusCode);
    }

    [Fact]
    public async Task Settings_reject_an_unknown_value_and_an_out_of_range_interval()
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync(await server.CreateTenantAsync());

        var badEnum = await api.PutAsJsonAsync("/api/v1/ocpp-security/settings", new { hexMatching = "Sometimes" });
        var badInterval = await api.PutAsJsonAsync("/api/v1/ocpp-security/settings", new { heartbeatIntervalSeconds = 1 });
        var settings = await api.GetFromJsonAsync<JsonElement>("/api/v1/ocpp-security/settings");

        Assert.Equal(HttpStatusCode.BadRequest, badEnum.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badInterval.StatusCode);
        Assert.Equal("Lenient", settings.GetProperty("hexMatching").GetString());
        Assert.Equal(300, settings.GetProperty("heartbeatIntervalSeconds").GetInt32());
    }
}
