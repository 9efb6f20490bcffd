using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.Data;
using Voltgate.Server.Tests.Support;
using Voltgate.Server.UserAuth;

namespace Voltgate.Server.Tests.UserManagement;

/// <summary>
/// The account lockout under concurrency (issue 19, finding 2): a burst of parallel wrong passwords against one
/// account checks no more passwords than the limit, answers every attempt with 401 (never 500), audits every
/// attempt, and refuses the right password while the account is locked. Both the token API and the UI form go
/// through <see cref="PasswordLogin"/>; the API is driven here.
/// </summary>
public sealed class LoginLockoutTests(LoginLockoutTests.Servers servers) : IClassFixture<LoginLockoutTests.Servers>
{
    public const int Limit = 5;
    public static readonly TimeSpan Lockout = TimeSpan.FromSeconds(3);

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_parallel_burst_checks_at_most_the_limit_counts_and_audits_every_attempt(string provider)
    {
        var server = await servers.GetAsync(provider);
        var tenant = await server.CreateTenantAsync();
        using var client = new HttpClient { BaseAddress = server.WebUrl };

        var burst = await Task.WhenAll(Enumerable.Range(0, 32).Select(i => TokenAsync(client, tenant, $"wrong-password-{i:D2}")));
        var rightWhileLocked = await TokenAsync(client, tenant, VoltgateServer.AdminPassword);

        Assert.All(burst, status => Assert.Equal(HttpStatusCode.Unauthorized, status));
        Assert.Equal(HttpStatusCode.Unauthorized, rightWhileLocked);
        var reasons = await FailureReasonsAsync(server, tenant);
        Assert.Equal(33, reasons.Count);
        Assert.Equal(Limit, reasons.Count(r => r == "password"));
        Assert.Equal(33 - Limit, reasons.Count(r => r == "lockedOut"));

        await Task.Delay(Lockout + TimeSpan.FromMilliseconds(500));
        Assert.Equal(HttpStatusCode.OK, await TokenAsync(client, tenant, VoltgateServer.AdminPassword));
    }

    private static async Task<HttpStatusCode> TokenAsync(HttpClient client, string tenant, string password) =>
        (await client.PostAsJsonAsync("/api/v1/auth/token", new { tenant, username = "admin", password })).StatusCode;

    /// <summary>The recorded reason of each Auth.LoginFailed event of the tenant.</summary>
    private static async Task<List<string>> FailureReasonsAsync(VoltgateServer server, string tenant)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        var tenantId = await db.Tenants.Where(t => t.Slug == tenant).Select(t => t.Id).SingleAsync();
        var details = await db.AuditEvents.IgnoreQueryFilters()
            .Where(e => e.TenantId == tenantId && e.Action == "Auth.LoginFailed").Select(e => e.Details!).ToListAsync();
        return [.. details.Select(d => System.Text.Json.JsonDocument.Parse(d).RootElement.GetProperty("reason").GetString()!)];
    }

    /// <summary>One server per provider with a short lockout, so the test can wait for its end.</summary>
    public sealed class Servers : IAsyncLifetime
    {
        private readonly Dictionary<string, Task<VoltgateServer>> _servers = [];
        private readonly Lock _gate = new();

        public Task<VoltgateServer> GetAsync(string provider)
        {
            lock (_gate)
            {
                if (!_servers.TryGetValue(provider, out var server))
                {
                    // The per-address budgets are out of the way here: this is about the account's own lockout.
                    server = VoltgateServer.StartAsync(provider,
                        "--Voltgate:Login:AddressAccountFailuresBeforeBlock=1000",
                        "--Voltgate:Login:AddressFailuresBeforeBlock=1000",
                        $"--Voltgate:Login:AccountFailuresBeforeLockout={Limit}",
                        $"--Voltgate:Login:LockoutTime={Lockout:c}");
                    _servers[provider] = server;
                }

                return server;
            }
        }

        public Task InitializeAsync() => Task.CompletedTask;

        public async Task DisposeAsync()
        {
            foreach (var server in _servers.Values)
            {
                await (await server).DisposeAsync();
            }
        }
    }
}
