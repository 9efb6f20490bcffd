using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.Tenancy;
using Voltgate.Server.Api;

using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.UserManagement;

/// <summary>
/// The real Voltgate server, in-process on free loopback ports with a temp data directory: SQLite always, PostgreSQL
/// when VOLTGATE_TEST_POSTGRES holds a connection string (required when CI=true). One server per provider per test
/// run; tests isolate themselves by provisioning their own tenant.
/// </summary>
public sealed class UserMgmtServer
{
    public const string AdminPassword = "Admin-Password-1";
    public const string UserPassword = "User-Password-12";

    private static readonly ConcurrentDictionary<string, Lazy<Task<UserMgmtServer>>> Servers = new();

    private UserMgmtServer(VoltgateServer host) => Host = host;

    /// <summary>The real server this fixture drives (shared start-up with the front-door tests).</summary>
    public VoltgateServer Host { get; }

    public IServiceProvider Services => Host.Services;

    public Uri BaseAddress => Host.WebUrl;

    public static TheoryData<string> Providers => TestDatabases.Providers;

    public static Task<UserMgmtServer> GetAsync(string provider = "Sqlite") =>
        Servers.GetOrAdd(provider, p => new Lazy<Task<UserMgmtServer>>(async () =>
        {
            var host = await VoltgateServer.StartAsync(p);
            // Shared by every test class of the run: stopped (and its data directory removed) when the run ends.
            AppDomain.CurrentDomain.ProcessExit += (_, _) => host.DisposeAsync().AsTask().GetAwaiter().GetResult();
            return new UserMgmtServer(host);
        })).Value;

    public HttpClient Anonymous() => new() { BaseAddress = BaseAddress };

    /// <summary>A fresh tenant (via TenantProvisioner, like tenant "default") with its admin signed in.</summary>
    public async Task<TenantHandle> NewTenantAsync()
    {
        var slug = "t-" + Guid.NewGuid().ToString("N")[..10];
        await using (var scope = Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<TenantProvisioner>().CreateAsync(slug, slug, AdminPassword, default);
        }

        var admin = await LoginAsync(slug, TenantProvisioner.AdminUserName, AdminPassword);
        return new TenantHandle(this, slug, admin);
    }

    public async Task<string> TokenAsync(string tenant, string username, string password)
    {
        using var client = Anonymous();
        var response = await client.PostAsJsonAsync("/api/v1/auth/token", new { tenant, username, password });
        Assert.True(response.IsSuccessStatusCode, $"login of {username}@{tenant} failed: {(int)response.StatusCode}");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("accessToken").GetString()!;
    }

    public async Task<HttpClient> LoginAsync(string tenant, string username, string password)
    {
        var client = Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(tenant, username, password));
        return client;
    }
}

/// <summary>One provisioned tenant and helpers to build users and groups in it through the API.</summary>
public sealed class TenantHandle(UserMgmtServer server, string slug, HttpClient admin)
{
    public string Slug => slug;
    public HttpClient Admin => admin;
    public UserMgmtServer Server => server;

    public async Task<JsonElement> GetJsonAsync(string path, HttpClient? client = null)
    {
        var response = await (client ?? admin).GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public async Task<Guid> RootCompanyAsync() =>
        (await GetJsonAsync("/api/v1/companies")).GetProperty("items").EnumerateArray()
            .First(c => c.GetProperty("parentId").ValueKind == JsonValueKind.Null).GetProperty("id").GetGuid();

    public async Task<Guid> AdministratorsAsync() =>
        (await GetJsonAsync("/api/v1/groups")).GetProperty("items").EnumerateArray()
            .First(g => g.GetProperty("name").GetString() == "Administrators").GetProperty("id").GetGuid();

    public async Task<Guid> CompanyAsync(string name, Guid? parentId = null)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/companies", new { name, parentId = parentId ?? await RootCompanyAsync() });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public async Task<Guid> GroupAsync(string name, string scope, IEnumerable<string> rights, Guid? companyId = null)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/groups", new { name, dataScope = scope, companyId });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var put = await admin.PutAsJsonAsync($"/api/v1/groups/{id}/rights", new { rights = rights.Select(r => new { name = r, granted = true }) });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        return id;
    }

    public async Task<Guid> UserAsync(string username, Guid[] groupIds, Guid? companyId = null)
    {
        var response = await admin.PostAsJsonAsync("/api/v1/users", new { username, password = UserMgmtServer.UserPassword, groupIds, companyId });
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"creating {username}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }

    public Task<HttpClient> LoginAsync(string username, string password = UserMgmtServer.UserPassword) => server.LoginAsync(slug, username, password);

    public static readonly JsonSerializerOptions Json = ApiJson.Options;
}
