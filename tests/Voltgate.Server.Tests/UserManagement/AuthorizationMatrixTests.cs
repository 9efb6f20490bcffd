using System.Net;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.Access;
using Voltgate.Core.Tenancy;
using Voltgate.Server.Tests.Support;
using Voltgate.Server.UserAuth;

namespace Voltgate.Server.Tests.UserManagement;

/// <summary>
/// Every endpoint under /api/v1, read from the app's endpoint table: without its right → 403, with exactly its
/// rights → neither 401 nor 403. A new endpoint without a rights rule fails here.
/// </summary>
public class AuthorizationMatrixTests
{
    private static readonly string[] AnonymousAllowList = ["POST /api/v1/auth/token"];

    /// <summary>The caller's own account: any signed-in user, no right (TwoFactorTests proves 401 for anonymous callers).</summary>
    private static readonly string[] SignedInAllowList =
    [
        "GET /api/v1/account/two-factor",
        "POST /api/v1/account/two-factor/setup",
        "POST /api/v1/account/two-factor/enable",
        "POST /api/v1/account/two-factor/disable",
    ];

    private sealed record ApiEndpoint(string Method, string Pattern, IReadOnlyList<Right> Rights)
    {
        public string Key => $"{Method} {Pattern}";
    }

    private static List<ApiEndpoint> Endpoints(UserMgmtServer server)
    {
        var sources = server.Services.GetRequiredService<IEnumerable<EndpointDataSource>>();
        var result = new List<ApiEndpoint>();
        foreach (var endpoint in sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>())
        {
            var pattern = "/" + endpoint.RoutePattern.RawText?.TrimStart('/');
            if (!pattern.StartsWith("/api/v1", StringComparison.Ordinal))
            {
                continue;
            }

            var rights = endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>()
                .Where(a => a.Policy?.StartsWith(RightPolicies.Prefix, StringComparison.Ordinal) == true)
                .Select(a => Enum.Parse<Right>(a.Policy![RightPolicies.Prefix.Length..]))
                .Distinct().ToList();
            foreach (var method in endpoint.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                result.Add(new ApiEndpoint(method, pattern.TrimEnd('/'), rights));
            }
        }

        return result;
    }

    [Fact]
    public async Task Every_api_endpoint_is_gated_by_a_right()
    {
        var server = await UserMgmtServer.GetAsync();
        var ungated = Endpoints(server)
            .Where(e => e.Rights.Count == 0 && !AnonymousAllowList.Contains(e.Key) && !SignedInAllowList.Contains(e.Key))
            .Select(e => e.Key).ToList();
        Assert.True(ungated.Count == 0, "These endpoints have no RequireRight(...) rule: " + string.Join(", ", ungated));
        Assert.True(Endpoints(server).Count > 20, "the endpoint table should list the whole API");
    }

    [Fact]
    public async Task Without_the_right_403_with_the_right_not_401_or_403_for_every_endpoint()
    {
        var server = await UserMgmtServer.GetAsync();
        var tenant = await server.NewTenantAsync();
        // Instance rights (tenants) mean something only in tenant "default", whose admin holds them to grant.
        var installation = new TenantHandle(server, Tenant.DefaultSlug,
            await server.LoginAsync(Tenant.DefaultSlug, TenantProvisioner.AdminUserName, VoltgateServer.AdminPassword));
        var endpoints = Endpoints(server).Where(e => e.Rights.Count > 0).ToList();
        var clients = new Dictionary<string, (HttpClient With, HttpClient Without)>();
        var failures = new List<string>();
        foreach (var endpoint in endpoints)
        {
            var setKey = string.Join("+", endpoint.Rights.Order());
            if (!clients.TryGetValue(setKey, out var pair))
            {
                var instance = endpoint.Rights.Any(RightCatalog.IsInstanceRight);
                var home = instance ? installation : tenant;
                var withNames = endpoint.Rights.Select(r => RightCatalog.Get(r).Name).ToList();
                var withoutNames = RightCatalog.All
                    .Where(r => !endpoint.Rights.Contains(r.Right) && (instance || !RightCatalog.IsInstanceRight(r.Right)))
                    .Select(r => r.Name).ToList();
                var suffix = clients.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) + (instance ? "-" + Guid.NewGuid().ToString("N")[..6] : "");
                var gWith = await home.GroupAsync("with-" + suffix, "Instance", withNames);
                var gWithout = await home.GroupAsync("without-" + suffix, "Instance", withoutNames);
                await home.UserAsync("with" + suffix, [gWith]);
                await home.UserAsync("without" + suffix, [gWithout]);
                pair = (await home.LoginAsync("with" + suffix), await home.LoginAsync("without" + suffix));
                clients[setKey] = pair;
            }

            var without = await SendAsync(pair.Without, endpoint);
            if (without != HttpStatusCode.Forbidden)
            {
                failures.Add($"{endpoint.Key} without {setKey}: {(int)without}, expected 403");
            }

            var with = await SendAsync(pair.With, endpoint);
            if (with is HttpStatusCode.Forbidden or HttpStatusCode.Unauthorized)
            {
                failures.Add($"{endpoint.Key} with {setKey}: {(int)with}, expected neither 401 nor 403");
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, ApiEndpoint endpoint)
    {
        var path = System.Text.RegularExpressions.Regex.Replace(endpoint.Pattern, @"\{(\w+)(:[^}]*)?\}", m =>
            m.Groups[2].Value.Contains("guid", StringComparison.Ordinal) ? Guid.NewGuid().ToString()
            : m.Groups[1].Value == "action" ? "Reset"
            : "matrix-x");
        using var request = new HttpRequestMessage(new HttpMethod(endpoint.Method), path);
        if (endpoint.Method is "POST" or "PUT" or "PATCH")
        {
            request.Content = new StringContent("{}", Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
