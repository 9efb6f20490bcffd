using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Voltgate.Server.Tests.Support;
using Xunit.Abstractions;

namespace Voltgate.Server.Tests.UserManagement;

/// <summary>
/// The user login cannot be turned against a user and does not tell which names exist (issue 19, finding 3):
/// wrong passwords from one address block that address for the account, not the user on another address; an
/// unknown name takes as long to refuse as a known one. Sources are real loopback addresses (X-Forwarded-For is
/// not trusted).
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class LoginBackoffTests(ServerPool pool, ITestOutputHelper output)
{
    [Fact]
    public async Task Wrong_passwords_from_one_address_do_not_lock_the_user_out_on_another()
    {
        var server = await pool.GetAsync("Sqlite");
        var tenant = await server.CreateTenantAsync();
        using var attacker = SourceAddressClient.Create(server.WebUrl, IPAddress.Parse("127.0.0.3"));
        using var user = SourceAddressClient.Create(server.WebUrl, IPAddress.Loopback);

        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, await TokenAsync(attacker, tenant, "admin", $"wrong-password-{i:D2}"));
        }

        Assert.Equal(HttpStatusCode.Unauthorized, await TokenAsync(attacker, tenant, "admin", VoltgateServer.AdminPassword));
        Assert.Equal(HttpStatusCode.OK, await TokenAsync(user, tenant, "admin", VoltgateServer.AdminPassword));
    }

    [Fact]
    public async Task An_unknown_login_name_takes_as_long_as_a_known_one()
    {
        var server = await pool.GetAsync("Sqlite");
        var tenant = await server.CreateTenantAsync();
        using var signIn = SourceAddressClient.Create(server.WebUrl, IPAddress.Loopback);
        var known = new List<double>();
        var unknown = new List<double>();

        // Each attempt from its own address, so no per-address budget ends the series early; the first two warm up.
        for (var i = 0; i < 12; i++)
        {
            using var fromKnown = SourceAddressClient.Create(server.WebUrl, IPAddress.Parse($"127.0.2.{i + 1}"));
            using var fromUnknown = SourceAddressClient.Create(server.WebUrl, IPAddress.Parse($"127.0.3.{i + 1}"));
            var knownTime = await TimeAsync(fromKnown, tenant, "admin");
            var unknownTime = await TimeAsync(fromUnknown, tenant, $"nobody-{i}");
            if (i >= 2)
            {
                known.Add(knownTime);
                unknown.Add(unknownTime);
            }

            // A right password now and then keeps the account's own count below any lockout.
            if (i % 4 == 3)
            {
                Assert.Equal(HttpStatusCode.OK, await TokenAsync(signIn, tenant, "admin", VoltgateServer.AdminPassword));
            }
        }

        var knownMedian = Median(known);
        var unknownMedian = Median(unknown);
        output.WriteLine($"median login refusal: known name {knownMedian:F1} ms, unknown name {unknownMedian:F1} ms");
        Assert.True(unknownMedian >= 0.5 * knownMedian, $"unknown {unknownMedian:F1} ms vs known {knownMedian:F1} ms: the time tells which names exist");
    }

    private static async Task<double> TimeAsync(HttpClient client, string tenant, string username)
    {
        var watch = Stopwatch.StartNew();
        Assert.Equal(HttpStatusCode.Unauthorized, await TokenAsync(client, tenant, username, "wrong-password-00"));
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return (sorted[(sorted.Count - 1) / 2] + sorted[sorted.Count / 2]) / 2;
    }

    private static async Task<HttpStatusCode> TokenAsync(HttpClient client, string tenant, string username, string password) =>
        (await client.PostAsJsonAsync("/api/v1/auth/token", new { tenant, username, password })).StatusCode;
}
