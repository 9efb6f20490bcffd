using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.Data;
using Voltgate.Core.Stations;
using Voltgate.Core.Tenancy;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.Operations;

/// <summary>Instance › Tenants (issue 18, item 5): create, stations at /ocpp/{tenant}/{identity}, deactivate, isolation, bad input.</summary>
[Collection(ServerCollection.Name)]
public sealed class TenantApiTests(ServerPool pool)
{
    private static string NewSlug() => "ops-" + Guid.NewGuid().ToString("N")[..10];

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task An_instance_admin_creates_a_tenant_whose_generated_password_is_shown_once_and_whose_station_connects_at_its_path(string provider)
    {
        var server = await pool.GetAsync(provider);
        using var instance = await server.AdminClientAsync();
        var slug = NewSlug();

        var response = await instance.PostAsJsonAsync("/api/v1/tenants", new { slug, name = "Ops GmbH", admin = new { username = "owner" } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        Assert.Equal($"/api/v1/tenants/{slug}", response.Headers.Location?.OriginalString);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(slug, created.GetProperty("slug").GetString());
        Assert.Equal("Ops GmbH", created.GetProperty("name").GetString());
        Assert.True(created.GetProperty("active").GetBoolean());
        Assert.True(created.TryGetProperty("createdAt", out _));
        Assert.Equal("owner", created.GetProperty("admin").GetProperty("username").GetString());
        var password = created.GetProperty("admin").GetProperty("password").GetString()!;
        Assert.True(password.Length >= 12);

        // Never again: neither the list nor the single tenant carries it.
        var list = await instance.GetStringAsync("/api/v1/tenants?take=500");
        Assert.Contains(slug, list, StringComparison.Ordinal);
        Assert.DoesNotContain(password, list, StringComparison.Ordinal);
        Assert.DoesNotContain(password, await instance.GetStringAsync($"/api/v1/tenants/{slug}"), StringComparison.Ordinal);

        // The new admin signs in with it and runs the tenant: a pool password and a station of its own.
        using var owner = await server.AdminClientAsync(slug, password, "owner");
        var poolPassword = Arrange.RandomPassword();
        await owner.PasswordAsync(poolPassword);
        var identity = Arrange.NewIdentity();
        await owner.StationAsync(identity);

        var tenantUrl = new Uri(server.AuthEndpoint, slug + "/");
        var admitted = await TestStation.ConnectAsync(tenantUrl, identity, poolPassword, "ocpp1.6");
        Assert.Equal(HttpStatusCode.SwitchingProtocols, admitted.Status);
        await using (var station = admitted.Station!)
        {
            var boot = await station.CallOkAsync("BootNotification", new { chargePointVendor = "Ops", chargePointModel = "T1" });
            Assert.Equal("Accepted", boot["status"]!.GetValue<string>());
        }

        // The same identity without the tenant segment is a station of "default", which does not know it.
        var elsewhere = await TestStation.ConnectAsync(server.AuthEndpoint, identity, poolPassword, "ocpp1.6");
        Assert.Equal(HttpStatusCode.Unauthorized, elsewhere.Status);
        // And the default tenant's pool does not open the new tenant's door.
        var defaultPassword = Arrange.RandomPassword();
        await instance.PasswordAsync(defaultPassword);
        var wrongPool = await TestStation.ConnectAsync(tenantUrl, identity, defaultPassword, "ocpp1.6");
        Assert.Equal(HttpStatusCode.Unauthorized, wrongPool.Status);
        var attempt = await owner.LastAttemptAsync(server, identity);
        Assert.Equal("PasswordMismatch", attempt.GetProperty("reason").GetString());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_chosen_password_is_not_echoed_and_a_new_tenants_admin_gets_no_instance_right(string provider)
    {
        var server = await pool.GetAsync(provider);
        using var instance = await server.AdminClientAsync();
        var slug = NewSlug();

        var response = await instance.PostAsJsonAsync("/api/v1/tenants", new { slug, name = "Chosen", admin = new { username = "admin", password = VoltgateServer.AdminPassword } });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(created.GetProperty("admin").TryGetProperty("password", out _));
        using var tenantAdmin = await server.AdminClientAsync(slug);
        var groups = await tenantAdmin.GetFromJsonAsync<JsonElement>("/api/v1/groups");
        var administrators = groups.GetProperty("items").EnumerateArray().Single(g => g.GetProperty("name").GetString() == "Administrators");
        var rights = await tenantAdmin.GetFromJsonAsync<JsonElement>($"/api/v1/groups/{administrators.GetProperty("id").GetGuid()}/rights");
        var granted = rights.GetProperty("rights").EnumerateArray().Where(r => r.GetProperty("granted").GetBoolean()).Select(r => r.GetProperty("name").GetString()).ToList();
        Assert.Contains("Settings.Retention", granted);
        Assert.DoesNotContain("Instance.Tenants", granted);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_tenant_admin_of_another_tenant_can_neither_list_create_nor_deactivate_tenants_nor_grant_the_right(string provider)
    {
        var server = await pool.GetAsync(provider);
        var other = await server.CreateTenantAsync();
        using var tenantB = await server.AdminClientAsync(other);
        var slug = NewSlug();

        Assert.Equal(HttpStatusCode.Forbidden, (await tenantB.GetAsync("/api/v1/tenants")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tenantB.GetAsync($"/api/v1/tenants/{other}")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tenantB.PostAsJsonAsync("/api/v1/tenants", new { slug, name = "Sneaky" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tenantB.PostAsync($"/api/v1/tenants/{other}/deactivate", null)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tenantB.PostAsync($"/api/v1/tenants/{other}/activate", null)).StatusCode);

        // It cannot give itself the right either: nobody grants a right they lack.
        var groups = await tenantB.GetFromJsonAsync<JsonElement>("/api/v1/groups");
        var id = groups.GetProperty("items").EnumerateArray().Single(g => g.GetProperty("name").GetString() == "Administrators").GetProperty("id").GetGuid();
        var grant = await tenantB.PutAsJsonAsync($"/api/v1/groups/{id}/rights", new { rights = new[] { new { name = "Instance.Tenants", granted = true } } });
        Assert.Equal(HttpStatusCode.Forbidden, grant.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tenantB.GetAsync("/api/v1/tenants")).StatusCode);

        // Nothing was created.
        using var instance = await server.AdminClientAsync();
        Assert.Equal(HttpStatusCode.NotFound, (await instance.GetAsync($"/api/v1/tenants/{slug}")).StatusCode);
        Assert.True((await instance.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{other}")).GetProperty("active").GetBoolean());
    }

    [Fact]
    public async Task The_instance_right_granted_in_another_tenant_by_the_database_still_means_nothing()
    {
        var server = await pool.GetAsync("Sqlite");
        var other = await server.CreateTenantAsync();
        await using (var scope = server.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
            var tenantId = await db.Tenants.Where(t => t.Slug == other).Select(t => t.Id).SingleAsync();
            var groupId = await db.Groups.IgnoreQueryFilters().Where(g => g.TenantId == tenantId && g.Name == "Administrators").Select(g => g.Id).SingleAsync();
            db.GroupRights.Add(new Core.Access.GroupRight { GroupId = groupId, Right = Core.Access.Right.InstanceTenants });
            await db.SaveChangesAsync();
        }

        using var tenantB = await server.AdminClientAsync(other);
        Assert.Equal(HttpStatusCode.Forbidden, (await tenantB.GetAsync("/api/v1/tenants")).StatusCode);
    }

    public static TheoryData<string, object, HttpStatusCode, string> BadRequests => new()
    {
        { "reserved api", new { slug = "api", name = "X" }, HttpStatusCode.BadRequest, "SlugReserved" },
        { "reserved ocpp", new { slug = "ocpp", name = "X" }, HttpStatusCode.BadRequest, "SlugReserved" },
        { "reserved default", new { slug = "default", name = "X" }, HttpStatusCode.BadRequest, "SlugReserved" },
        { "upper case", new { slug = "Ops-GmbH", name = "X" }, HttpStatusCode.BadRequest, "SlugMalformed" },
        { "one character", new { slug = "a", name = "X" }, HttpStatusCode.BadRequest, "SlugMalformed" },
        { "33 characters", new { slug = new string('a', 33), name = "X" }, HttpStatusCode.BadRequest, "SlugMalformed" },
        { "underscore", new { slug = "ops_gmbh", name = "X" }, HttpStatusCode.BadRequest, "SlugMalformed" },
        { "slash", new { slug = "ops/gmbh", name = "X" }, HttpStatusCode.BadRequest, "SlugMalformed" },
        { "leading dash", new { slug = "-ops", name = "X" }, HttpStatusCode.BadRequest, "SlugMalformed" },
        { "no slug", new { name = "X" }, HttpStatusCode.BadRequest, "Required" },
        { "no name", new { slug = "PLACEHOLDER" }, HttpStatusCode.BadRequest, "Required" },
        { "blank name", new { slug = "PLACEHOLDER", name = "   " }, HttpStatusCode.BadRequest, "Required" },
        { "weak password", new { slug = "PLACEHOLDER", name = "X", admin = new { username = "admin", password = "short" } }, HttpStatusCode.BadRequest, "WeakPassword" },
        { "bad login name", new { slug = "PLACEHOLDER", name = "X", admin = new { username = "a b" } }, HttpStatusCode.BadRequest, "InvalidUsername" },
    };

    [Theory]
    [MemberData(nameof(BadRequests))]
    public async Task Bad_input_is_refused_with_a_clear_problem_and_nothing_is_created(string why, object body, HttpStatusCode status, string code)
    {
        var server = await pool.GetAsync("Sqlite");
        using var instance = await server.AdminClientAsync();
        var slug = NewSlug();
        var json = JsonSerializer.Serialize(body).Replace("PLACEHOLDER", slug, StringComparison.Ordinal);
        var before = await TenantCountAsync(server);

        var response = await instance.PostAsync("/api/v1/tenants", new StringContent(json, MediaTypeHeaderValue.Parse("application/json")));

        Assert.True(status == response.StatusCode, why);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.Equal(before, await TenantCountAsync(server));
        Assert.Equal(HttpStatusCode.NotFound, (await instance.GetAsync($"/api/v1/tenants/{slug}")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_taken_slug_is_a_conflict_and_the_existing_tenant_is_unchanged(string provider)
    {
        var server = await pool.GetAsync(provider);
        using var instance = await server.AdminClientAsync();
        var slug = NewSlug();
        Assert.Equal(HttpStatusCode.Created, (await instance.PostAsJsonAsync("/api/v1/tenants", new { slug, name = "First" })).StatusCode);
        var before = await TenantCountAsync(server);

        var again = await instance.PostAsJsonAsync("/api/v1/tenants", new { slug, name = "Second", admin = new { username = "other" } });

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal("SlugTaken", (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(before, await TenantCountAsync(server));
        Assert.Equal("First", (await instance.GetFromJsonAsync<JsonElement>($"/api/v1/tenants/{slug}")).GetProperty("name").GetString());
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task A_deactivated_tenants_stations_are_refused_with_the_reason_recorded_and_its_users_cannot_sign_in(string provider)
    {
        var server = await pool.GetAsync(provider);
        using var instance = await server.AdminClientAsync();
        var slug = NewSlug();
        var created = await instance.PostAsJsonAsync("/api/v1/tenants", new { slug, name = "Soon gone", admin = new { username = "admin", password = VoltgateServer.AdminPassword } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var owner = await server.AdminClientAsync(slug);
        var poolPassword = Arrange.RandomPassword();
        await owner.PasswordAsync(poolPassword);
        var identity = Arrange.NewIdentity();
        await owner.StationAsync(identity);
        var tenantUrl = new Uri(server.AuthEndpoint, slug + "/");
        var live = (await TestStation.ConnectAsync(tenantUrl, identity, poolPassword, "ocpp1.6")).Station!;
        await using var _ = live;

        var deactivated = await instance.PostAsync($"/api/v1/tenants/{slug}/deactivate", null);

        Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);
        Assert.False((await deactivated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("active").GetBoolean());
        // The live connection is closed, and the next handshake refused with a bare 401.
        Assert.NotNull(await live.Closed.WaitAsync(TimeSpan.FromSeconds(10)));
        var refused = await TestStation.ConnectAsync(tenantUrl, identity, poolPassword, "ocpp1.6");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.Status);
        await server.FlushAsync();
        Assert.Equal(RefusalReason.TenantDeactivated, await LastReasonAsync(server, slug, identity));

        // Its users: the token already issued stops working, and no new sign-in succeeds.
        Assert.Equal(HttpStatusCode.Unauthorized, (await owner.GetAsync("/api/v1/stations")).StatusCode);
        using var anonymous = new HttpClient { BaseAddress = server.WebUrl };
        var login = await anonymous.PostAsJsonAsync("/api/v1/auth/token", new { tenant = slug, username = "admin", password = VoltgateServer.AdminPassword });
        Assert.False(login.IsSuccessStatusCode);

        // Activated again, all of it works again.
        Assert.Equal(HttpStatusCode.OK, (await instance.PostAsync($"/api/v1/tenants/{slug}/activate", null)).StatusCode);
        using var back = await server.AdminClientAsync(slug);
        var again = await TestStation.ConnectAsync(tenantUrl, identity, poolPassword, "ocpp1.6");
        Assert.Equal(HttpStatusCode.SwitchingProtocols, again.Status);
        await again.Station!.DisposeAsync();
    }

    [Fact]
    public async Task The_default_tenant_cannot_be_deactivated_and_an_unknown_slug_is_404()
    {
        var server = await pool.GetAsync("Sqlite");
        using var instance = await server.AdminClientAsync();

        var self = await instance.PostAsync("/api/v1/tenants/default/deactivate", null);
        Assert.Equal(HttpStatusCode.Conflict, self.StatusCode);
        Assert.Equal("DefaultTenant", (await self.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.True((await instance.GetFromJsonAsync<JsonElement>("/api/v1/tenants/default")).GetProperty("active").GetBoolean());
        Assert.Equal(HttpStatusCode.NotFound, (await instance.PostAsync($"/api/v1/tenants/{NewSlug()}/deactivate", null)).StatusCode);
    }

    private static async Task<int> TenantCountAsync(VoltgateServer server)
    {
        await using var scope = server.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<VoltgateDbContext>().Tenants.CountAsync();
    }

    private static async Task<RefusalReason> LastReasonAsync(VoltgateServer server, string slug, string identity)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        var tenantId = await db.Tenants.Where(t => t.Slug == slug).Select(t => t.Id).SingleAsync();
        var reasons = await db.ConnectionAttempts.IgnoreQueryFilters().Where(a => a.TenantId == tenantId && a.Identity == identity)
            .Select(a => new { a.Id, a.Reason }).ToListAsync();
        return reasons.OrderByDescending(a => a.Id).First().Reason;
    }
}
