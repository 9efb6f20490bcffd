using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.Access;
using Voltgate.Core.Data;
using Voltgate.Core.Tenancy;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.Api;

[Collection(ServerCollection.Name)]
public sealed class TokenTests(ServerPool pool)
{
    [Fact]
    public async Task A_user_with_a_second_factor_gets_no_token_without_a_valid_code()
    {
        var server = await pool.GetAsync("Sqlite");
        var tenant = await server.CreateTenantAsync();
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
            var tenantId = await db.Tenants.Where(t => t.Slug == tenant).Select(t => t.Id).SingleAsync();
            scope.ServiceProvider.GetRequiredService<TenantContext>().Set(tenantId);
            var users = scope.ServiceProvider.GetRequiredService<UserManager<VoltgateUser>>();
            var admin = await db.Users.SingleAsync(u => u.UserName == "admin");
            await users.ResetAuthenticatorKeyAsync(admin);
            await users.SetTwoFactorEnabledAsync(admin, true);
        }

        using var client = new HttpClient { BaseAddress = server.WebUrl };
        var withoutCode = await client.PostAsJsonAsync("/api/v1/auth/token", new { tenant, username = "admin", password = VoltgateServer.AdminPassword });
        var wrongCode = await client.PostAsJsonAsync("/api/v1/auth/token", new { tenant, username = "admin", password = VoltgateServer.AdminPassword, totp = "000000" });

        Assert.Equal(HttpStatusCode.Unauthorized, withoutCode.StatusCode);
        Assert.Equal("TotpRequired", (await withoutCode.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.Unauthorized, wrongCode.StatusCode);
        Assert.DoesNotContain("accessToken", await wrongCode.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("default", "admin", "wrong-password")]
    [InlineData("no-such-tenant", "admin", VoltgateServer.AdminPassword)]
    [InlineData("default", "nobody", VoltgateServer.AdminPassword)]
    [InlineData("default", "", "")]
    public async Task Wrong_credentials_get_the_same_401_whatever_was_wrong(string tenant, string username, string password)
    {
        var server = await pool.GetAsync("Sqlite");
        using var client = new HttpClient { BaseAddress = server.WebUrl };

        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { tenant, username, password });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains("Tenant, username or password is wrong", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_authenticator_key_is_encrypted_in_the_database()
    {
        var server = await pool.GetAsync("Sqlite");
        var tenant = await server.CreateTenantAsync();
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Set(await db.Tenants.Where(t => t.Slug == tenant).Select(t => t.Id).SingleAsync());
        var users = scope.ServiceProvider.GetRequiredService<UserManager<VoltgateUser>>();
        var admin = await db.Users.SingleAsync(u => u.UserName == "admin");

        await users.ResetAuthenticatorKeyAsync(admin);
        var key = await users.GetAuthenticatorKeyAsync(admin);

        Assert.False(string.IsNullOrEmpty(key));
        var stored = await db.UserTokens.Where(t => t.UserId == admin.Id).Select(t => t.Value).ToListAsync();
        Assert.NotEmpty(stored);
        Assert.DoesNotContain(key, stored);
    }
}
