using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Voltgate.Server.Tests.UserManagement;

public class ApiKeyAndAuditTests
{
    [Theory]
    [MemberData(nameof(UserMgmtServer.Providers), MemberType = typeof(UserMgmtServer))]
    public async Task Api_key_is_shown_once_carries_the_users_rights_and_stops_at_revocation(string provider)
    {
        var server = await UserMgmtServer.GetAsync(provider);
        var t = await server.NewTenantAsync();
        var created = await t.Admin.PostAsJsonAsync("/api/v1/api-keys", new { name = "script" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var key = body.GetProperty("key").GetString()!;
        Assert.StartsWith("vgk_", key, StringComparison.Ordinal);

        var list = await t.GetJsonAsync("/api/v1/api-keys");
        Assert.DoesNotContain(key, list.GetRawText(), StringComparison.Ordinal);

        using var byHeader = server.Anonymous();
        byHeader.DefaultRequestHeaders.Add("X-Api-Key", key);
        Assert.Equal(HttpStatusCode.OK, (await byHeader.GetAsync("/api/v1/users")).StatusCode);
        using var byBearer = server.Anonymous();
        byBearer.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        Assert.Equal(HttpStatusCode.OK, (await byBearer.GetAsync("/api/v1/groups")).StatusCode);

        using var wrong = server.Anonymous();
        wrong.DefaultRequestHeaders.Add("X-Api-Key", key[..^2] + "xx");
        Assert.Equal(HttpStatusCode.Unauthorized, (await wrong.GetAsync("/api/v1/users")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await t.Admin.DeleteAsync($"/api/v1/api-keys/{body.GetProperty("id").GetGuid()}")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await byHeader.GetAsync("/api/v1/users")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(UserMgmtServer.Providers), MemberType = typeof(UserMgmtServer))]
    public async Task A_deactivated_users_tokens_and_keys_stop_working_at_once(string provider)
    {
        var server = await UserMgmtServer.GetAsync(provider);
        var t = await server.NewTenantAsync();
        var group = await t.GroupAsync("keyholders", "Instance", ["UserManagement.ApiKeys", "UserManagement.View"]);
        var id = await t.UserAsync("leaver", [group]);
        var token = await t.LoginAsync("leaver");
        var key = (await (await token.PostAsJsonAsync("/api/v1/api-keys", new { name = "k" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("key").GetString()!;
        using var byKey = server.Anonymous();
        byKey.DefaultRequestHeaders.Add("X-Api-Key", key);
        Assert.Equal(HttpStatusCode.OK, (await byKey.GetAsync("/api/v1/users")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await t.Admin.PatchAsJsonAsync($"/api/v1/users/{id}", new { active = false })).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await token.GetAsync("/api/v1/users")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await byKey.GetAsync("/api/v1/users")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(UserMgmtServer.Providers), MemberType = typeof(UserMgmtServer))]
    public async Task Rights_changes_and_failed_logins_are_audited_with_before_and_after(string provider)
    {
        var server = await UserMgmtServer.GetAsync(provider);
        var t = await server.NewTenantAsync();
        var group = await t.GroupAsync("auditors", "Company", ["Audit.View"]);
        using var anonymous = server.Anonymous();
        Assert.Equal(HttpStatusCode.Unauthorized,
            (await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { tenant = t.Slug, username = "admin", password = "wrong-password" })).StatusCode);

        var changed = await t.GetJsonAsync("/api/v1/audit-events?action=Group.RightsChanged");
        var evt = changed.GetProperty("items").EnumerateArray().Single(e => e.GetProperty("target").GetString() == "auditors");
        Assert.Equal("admin", evt.GetProperty("actor").GetString());
        Assert.Empty(evt.GetProperty("details").GetProperty("before").EnumerateArray());
        Assert.Equal(["Audit.View"], evt.GetProperty("details").GetProperty("after").EnumerateArray().Select(e => e.GetString()));
        Assert.NotNull(group.ToString());

        var failed = await t.GetJsonAsync("/api/v1/audit-events?action=Auth.LoginFailed&actor=admin");
        Assert.Equal(1, failed.GetProperty("total").GetInt32());
        Assert.Equal("127.0.0.1", failed.GetProperty("items")[0].GetProperty("sourceAddress").GetString());
    }
}
