using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Voltgate.Server.Tests.UserManagement;

/// <summary>
/// Data scope is applied by the DbContext's global filters: Company = own company, CompanyTree = own company and
/// below, Instance = everything of the tenant. Companies: Root › A › A1, Root › B.
/// </summary>
public class DataScopeTests
{
    private static async Task<(TenantHandle T, Guid A, Guid A1, Guid B)> SetUpAsync(string provider)
    {
        var t = await (await UserMgmtServer.GetAsync(provider)).NewTenantAsync();
        var a = await t.CompanyAsync("A");
        var a1 = await t.CompanyAsync("A1", a);
        var b = await t.CompanyAsync("B");
        await t.UserAsync("in-a", [], a);
        await t.UserAsync("in-a1", [], a1);
        await t.UserAsync("in-b", [], b);
        foreach (var (identity, company) in new[] { ("CP-A", a), ("CP-A1", a1), ("CP-B", b) })
        {
            var station = await t.Admin.PostAsJsonAsync("/api/v1/stations", new { identity = identity + "-" + t.Slug, companyId = company });
            Assert.Equal(HttpStatusCode.Created, station.StatusCode);
        }

        return (t, a, a1, b);
    }

    private static async Task<HttpClient> ViewerAsync(TenantHandle t, string scope, Guid company)
    {
        var group = await t.GroupAsync("viewers-" + scope, scope, ["UserManagement.View", "Stations.View"], company);
        await t.UserAsync("viewer-" + scope.ToLowerInvariant(), [group], company);
        return await t.LoginAsync("viewer-" + scope.ToLowerInvariant());
    }

    private static async Task<string[]> NamesAsync(TenantHandle t, HttpClient client, string path, string field) =>
        (await t.GetJsonAsync(path, client)).GetProperty("items").EnumerateArray().Select(i => i.GetProperty(field).GetString()!).Order().ToArray();

    [Theory]
    [MemberData(nameof(UserMgmtServer.Providers), MemberType = typeof(UserMgmtServer))]
    public async Task Company_scope_sees_only_its_own_company(string provider)
    {
        var (t, a, _, _) = await SetUpAsync(provider);
        var client = await ViewerAsync(t, "Company", a);
        Assert.Equal(["in-a", "viewer-company"], await NamesAsync(t, client, "/api/v1/users", "username"));
        Assert.Equal([$"CP-A-{t.Slug}"], await NamesAsync(t, client, "/api/v1/stations", "identity"));
    }

    [Theory]
    [MemberData(nameof(UserMgmtServer.Providers), MemberType = typeof(UserMgmtServer))]
    public async Task CompanyTree_scope_sees_its_company_and_the_companies_below(string provider)
    {
        var (t, a, _, _) = await SetUpAsync(provider);
        var client = await ViewerAsync(t, "CompanyTree", a);
        Assert.Equal(["in-a", "in-a1", "viewer-companytree"], await NamesAsync(t, client, "/api/v1/users", "username"));
        Assert.Equal([$"CP-A-{t.Slug}", $"CP-A1-{t.Slug}"], await NamesAsync(t, client, "/api/v1/stations", "identity"));
    }

    [Theory]
    [MemberData(nameof(UserMgmtServer.Providers), MemberType = typeof(UserMgmtServer))]
    public async Task Instance_scope_sees_everything_of_the_tenant(string provider)
    {
        var (t, a, _, _) = await SetUpAsync(provider);
        var client = await ViewerAsync(t, "Instance", a);
        Assert.Equal(["admin", "in-a", "in-a1", "in-b", "viewer-instance"], await NamesAsync(t, client, "/api/v1/users", "username"));
        Assert.Equal(3, (await t.GetJsonAsync("/api/v1/stations", client)).GetProperty("total").GetInt32());
    }

    [Theory]
    [MemberData(nameof(UserMgmtServer.Providers), MemberType = typeof(UserMgmtServer))]
    public async Task A_user_outside_the_scope_is_not_found_rather_than_shown(string provider)
    {
        var (t, a, _, _) = await SetUpAsync(provider);
        var client = await ViewerAsync(t, "Company", a);
        var inB = (await t.GetJsonAsync("/api/v1/users")).GetProperty("items").EnumerateArray()
            .First(u => u.GetProperty("username").GetString() == "in-b").GetProperty("id").GetGuid();
        Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync($"/api/v1/users/{inB}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await t.Admin.GetAsync($"/api/v1/users/{inB}")).StatusCode);
    }
}
