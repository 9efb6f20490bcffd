using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Voltgate.Server.Tests.UserManagement;

/// <summary>The "bad input" list: each refused with a clear message, nothing changed.</summary>
public class BadInputTests
{
    private static async Task<(HttpStatusCode Status, JsonElement Body)> ReadAsync(HttpResponseMessage response) =>
        (response.StatusCode, await response.Content.ReadFromJsonAsync<JsonElement>());

    private static string Code(JsonElement problem) => problem.GetProperty("code").GetString()!;

    [Theory]
    [MemberData(nameof(UserMgmtServer.Providers), MemberType = typeof(UserMgmtServer))]
    public async Task Duplicate_login_name_is_refused(string provider)
    {
        var t = await (await UserMgmtServer.GetAsync(provider)).NewTenantAsync();
        await t.UserAsync("dup", []);
        var (status, body) = await ReadAsync(await t.Admin.PostAsJsonAsync("/api/v1/users", new { username = "DUP", password = UserMgmtServer.UserPassword }));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("DuplicateUsername", Code(body));
        Assert.Equal(2, (await t.GetJsonAsync("/api/v1/users")).GetProperty("total").GetInt32());
    }

    [Theory]
    [MemberData(nameof(UserMgmtServer.Providers), MemberType = typeof(UserMgmtServer))]
    public async Task Weak_password_is_refused_with_the_policy_message(string provider)
    {
        var t = await (await UserMgmtServer.GetAsync(provider)).NewTenantAsync();
        var (status, body) = await ReadAsync(await t.Admin.PostAsJsonAsync("/api/v1/users", new { username = "weak", password = "short" }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("WeakPassword", Code(body));
        Assert.True(body.GetProperty("errors").TryGetProperty("password", out _), "the message belongs to the password field");
        Assert.Equal(1, (await t.GetJsonAsync("/api/v1/users")).GetProperty("total").GetInt32());
    }

    [Theory]
    [MemberData(nameof(UserMgmtServer.Providers), MemberType = typeof(UserMgmtServer))]
    public async Task Removing_user_management_from_the_last_manager_group_is_refused(string provider)
    {
        var t = await (await UserMgmtServer.GetAsync(provider)).NewTenantAsync();
        var admins = await t.AdministratorsAsync();
        var (status, body) = await ReadAsync(await t.Admin.PutAsJsonAsync($"/api/v1/groups/{admins}/rights",
            new { rights = new[] { new { name = "UserManagement.Manage", granted = false } } }));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("LastUserManager", Code(body));
        var rights = await t.GetJsonAsync($"/api/v1/groups/{admins}/rights");
        Assert.Contains(rights.GetProperty("rights").EnumerateArray(), r => r.GetProperty("name").GetString() == "UserManagement.Manage" && r.GetProperty("granted").GetBoolean());
    }

    [Theory]
    [MemberData(nameof(UserMgmtServer.Providers), MemberType = typeof(UserMgmtServer))]
    public async Task Deactivating_the_last_manager_is_refused(string provider)
    {
        var t = await (await UserMgmtServer.GetAsync(provider)).NewTenantAsync();
        var adminId = (await t.GetJsonAsync("/api/v1/users")).GetProperty("items")[0].GetProperty("id").GetGuid();
        var (status, body) = await ReadAsync(await t.Admin.PatchAsJsonAsync($"/api/v1/users/{adminId}", new { active = false }));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("LastUserManager", Code(body));

        // Taking the last manager out of the manager group is the same loss.
        var (status2, body2) = await ReadAsync(await t.Admin.PatchAsJsonAsync($"/api/v1/users/{adminId}", new { groupIds = Array.Empty<Guid>() }));
        Assert.Equal(HttpStatusCode.Conflict, status2);
        Assert.Equal("LastUserManager", Code(body2));
        Assert.True((await t.GetJsonAsync($"/api/v1/users/{adminId}")).GetProperty("active").GetBoolean());
    }

    [Theory]
    [MemberData(nameof(UserMgmtServer.Providers), MemberType = typeof(UserMgmtServer))]
    public async Task A_user_cannot_remove_their_own_user_management_right(string provider)
    {
        var t = await (await UserMgmtServer.GetAsync(provider)).NewTenantAsync();
        var other = await t.GroupAsync("Other managers", "Instance", ["UserManagement.View", "UserManagement.Manage"]);
        await t.UserAsync("m2", [other]);
        var admins = await t.AdministratorsAsync();
        var (status, body) = await ReadAsync(await t.Admin.PutAsJsonAsync($"/api/v1/groups/{admins}/rights",
            new { rights = new[] { new { name = "UserManagement.Manage", granted = false } } }));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("OwnUserManagementRight", Code(body));

        // Another manager may do it.
        var m2 = await t.LoginAsync("m2");
        var byOther = await m2.PutAsJsonAsync($"/api/v1/groups/{admins}/rights", new { rights = new[] { new { name = "UserManagement.Manage", granted = false } } });
        Assert.Equal(HttpStatusCode.OK, byOther.StatusCode);
    }

    [Theory]
    [MemberData(nameof(UserMgmtServer.Providers), MemberType = typeof(UserMgmtServer))]
    public async Task Deleting_a_company_with_users_or_stations_is_refused(string provider)
    {
        var t = await (await UserMgmtServer.GetAsync(provider)).NewTenantAsync();
        var withUser = await t.CompanyAsync("With user");
        await t.UserAsync("cu", [], withUser);
        var (status, body) = await ReadAsync(await t.Admin.DeleteAsync($"/api/v1/companies/{withUser}"));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("CompanyInUse", Code(body));
        Assert.Equal(1, body.GetProperty("users").GetInt32());

        var withStation = await t.CompanyAsync("With station");
        var station = await t.Admin.PostAsJsonAsync("/api/v1/stations", new { identity = "CP-" + Guid.NewGuid().ToString("N")[..6], companyId = withStation });
        Assert.Equal(HttpStatusCode.Created, station.StatusCode);
        var (status2, body2) = await ReadAsync(await t.Admin.DeleteAsync($"/api/v1/companies/{withStation}"));
        Assert.Equal(HttpStatusCode.Conflict, status2);
        Assert.Equal(1, body2.GetProperty("stations").GetInt32());

        var empty = await t.CompanyAsync("Empty");
        Assert.Equal(HttpStatusCode.NoContent, (await t.Admin.DeleteAsync($"/api/v1/companies/{empty}")).StatusCode);
        Assert.Equal(3, (await t.GetJsonAsync("/api/v1/companies")).GetProperty("total").GetInt32());
    }

    [Theory]
    [MemberData(nameof(UserMgmtServer.Providers), MemberType = typeof(UserMgmtServer))]
    public async Task Duplicate_group_name_is_refused(string provider)
    {
        var t = await (await UserMgmtServer.GetAsync(provider)).NewTenantAsync();
        var (status, body) = await ReadAsync(await t.Admin.PostAsJsonAsync("/api/v1/groups", new { name = "Administrators", dataScope = "Company" }));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("DuplicateGroupName", Code(body));
        Assert.Equal(1, (await t.GetJsonAsync("/api/v1/groups")).GetProperty("total").GetInt32());
    }

    [Theory]
    [MemberData(nameof(UserMgmtServer.Providers), MemberType = typeof(UserMgmtServer))]
    public async Task Unknown_right_name_refuses_the_whole_put(string provider)
    {
        var t = await (await UserMgmtServer.GetAsync(provider)).NewTenantAsync();
        var group = await t.GroupAsync("Techs", "Company", []);
        var (status, body) = await ReadAsync(await t.Admin.PutAsJsonAsync($"/api/v1/groups/{group}/rights", new
        {
            rights = new[] { new { name = "Stations.View", granted = true }, new { name = "Stations.Fly", granted = true } },
        }));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("UnknownRight", Code(body));
        Assert.Contains("Stations.Fly", body.GetProperty("title").GetString(), StringComparison.Ordinal);
        var rights = await t.GetJsonAsync($"/api/v1/groups/{group}/rights");
        Assert.DoesNotContain(rights.GetProperty("rights").EnumerateArray(), r => r.GetProperty("granted").GetBoolean());
    }

    [Theory]
    [MemberData(nameof(UserMgmtServer.Providers), MemberType = typeof(UserMgmtServer))]
    public async Task A_company_scoped_admin_cannot_create_an_instance_scoped_group(string provider)
    {
        var t = await (await UserMgmtServer.GetAsync(provider)).NewTenantAsync();
        var sub = await t.CompanyAsync("Sub");
        var subAdmins = await t.GroupAsync("Sub admins", "Company", ["UserManagement.View", "UserManagement.Manage"], sub);
        await t.UserAsync("subadmin", [subAdmins], sub);
        var client = await t.LoginAsync("subadmin");
        var (status, body) = await ReadAsync(await client.PostAsJsonAsync("/api/v1/groups", new { name = "Everything", dataScope = "Instance" }));
        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("ScopeExceedsCaller", Code(body));
        var ok = await client.PostAsJsonAsync("/api/v1/groups", new { name = "Sub techs", dataScope = "Company" });
        Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        Assert.Equal(3, (await t.GetJsonAsync("/api/v1/groups")).GetProperty("total").GetInt32());
    }
}
