using System.Net;
using System.Net.Http.Json;

namespace Voltgate.Server.Tests.UserManagement;

/// <summary>Tenant B (created with TenantProvisioner) can neither read nor change tenant A's users, groups or companies.</summary>
public class TenantIsolationTests
{
    [Theory]
    [MemberData(nameof(UserMgmtServer.Providers), MemberType = typeof(UserMgmtServer))]
    public async Task Tenant_b_cannot_read_or_change_tenant_a_users_groups_or_companies(string provider)
    {
        var server = await UserMgmtServer.GetAsync(provider);
        var a = await server.NewTenantAsync();
        var b = await server.NewTenantAsync();
        var aCompany = await a.CompanyAsync("A only");
        var aGroup = await a.GroupAsync("A group", "Company", ["Stations.View"]);
        var aUser = await a.UserAsync("a-user", [aGroup], aCompany);
        var aAdmins = await a.AdministratorsAsync();

        Assert.Equal(HttpStatusCode.NotFound, (await b.Admin.GetAsync($"/api/v1/users/{aUser}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.Admin.PatchAsJsonAsync($"/api/v1/users/{aUser}", new { active = false })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.Admin.PostAsJsonAsync($"/api/v1/users/{aUser}/reset-password", new { password = "Taken-Over-123" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.Admin.GetAsync($"/api/v1/groups/{aGroup}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.Admin.GetAsync($"/api/v1/groups/{aAdmins}/rights")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.Admin.PutAsJsonAsync($"/api/v1/groups/{aAdmins}/rights",
            new { rights = new[] { new { name = "UserManagement.Manage", granted = false } } })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.Admin.PostAsJsonAsync($"/api/v1/groups/{aAdmins}/members", new { userId = Guid.NewGuid() })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.Admin.DeleteAsync($"/api/v1/companies/{aCompany}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await b.Admin.GetAsync($"/api/v1/companies/{aCompany}")).StatusCode);

        // B may not put A's company or group into its own records either.
        Assert.Equal(HttpStatusCode.BadRequest, (await b.Admin.PostAsJsonAsync("/api/v1/users",
            new { username = "sneaky", password = UserMgmtServer.UserPassword, companyId = aCompany, groupIds = new[] { aAdmins } })).StatusCode);

        var bUsers = await b.GetJsonAsync("/api/v1/users");
        Assert.Equal(["admin"], bUsers.GetProperty("items").EnumerateArray().Select(u => u.GetProperty("username").GetString()));
        Assert.Equal(["Administrators"], (await b.GetJsonAsync("/api/v1/groups")).GetProperty("items").EnumerateArray().Select(g => g.GetProperty("name").GetString()));
        Assert.Equal(1, (await b.GetJsonAsync("/api/v1/companies")).GetProperty("total").GetInt32());
        Assert.DoesNotContain((await b.GetJsonAsync("/api/v1/audit-events?take=500")).GetProperty("items").EnumerateArray(),
            e => e.GetProperty("target").GetString() == "a-user");

        // Tenant A is unchanged.
        Assert.True((await a.GetJsonAsync($"/api/v1/users/{aUser}")).GetProperty("active").GetBoolean());
    }
}
