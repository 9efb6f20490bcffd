using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.Audit;
using Voltgate.Core.Data;
using Voltgate.Core.MessageHistory;
using Voltgate.Core.Retention;
using Voltgate.Core.Stations;
using Voltgate.Core.Transactions;
using Voltgate.Server.Tests.Support;

namespace Voltgate.Server.Tests.Operations;

/// <summary>Settings › Retention and the background cleanup (issue 18, item 6), on SQLite and PostgreSQL.</summary>
[Collection(ServerCollection.Name)]
public sealed class RetentionTests(ServerPool pool)
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_settings_start_with_the_defaults_and_a_put_replaces_them(string provider)
    {
        var server = await pool.GetAsync(provider);
        using var api = await server.AdminClientAsync(await server.CreateTenantAsync());

        var defaults = await api.GetFromJsonAsync<JsonElement>("/api/v1/settings/retention");
        Assert.Equal(RetentionSettings.DefaultConnectionAttemptsDays, defaults.GetProperty("connectionAttemptsDays").GetInt32());
        Assert.Equal(JsonValueKind.Null, defaults.GetProperty("meterSamplesDays").ValueKind);
        Assert.Equal(RetentionSettings.DefaultMessageHistoryDays, defaults.GetProperty("messageHistoryDays").GetInt32());
        Assert.Equal(JsonValueKind.Null, defaults.GetProperty("auditEventsDays").ValueKind);
        Assert.Equal(180, defaults.GetProperty("auditMinimumDays").GetInt32());

        var put = await api.PutAsJsonAsync("/api/v1/settings/retention", new { connectionAttemptsDays = 7, meterSamplesDays = 400, messageHistoryDays = 3, auditEventsDays = 365 });

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var stored = await api.GetFromJsonAsync<JsonElement>("/api/v1/settings/retention");
        Assert.Equal(7, stored.GetProperty("connectionAttemptsDays").GetInt32());
        Assert.Equal(400, stored.GetProperty("meterSamplesDays").GetInt32());
        Assert.Equal(3, stored.GetProperty("messageHistoryDays").GetInt32());
        Assert.Equal(365, stored.GetProperty("auditEventsDays").GetInt32());
        var audit = await api.GetStringAsync("/api/v1/audit-events");
        Assert.Contains("Retention.SettingsChanged", audit, StringComparison.Ordinal);
    }

    public static TheoryData<string, object, string, string> BadSettings => new()
    {
        { "audit below the legal minimum", new { connectionAttemptsDays = 7, auditEventsDays = 179 }, "auditEventsDays", "BelowLegalMinimum" },
        { "zero days", new { connectionAttemptsDays = 0 }, "connectionAttemptsDays", "OutOfRange" },
        { "negative days", new { meterSamplesDays = -1 }, "meterSamplesDays", "OutOfRange" },
        { "beyond a hundred years", new { messageHistoryDays = 36_501 }, "messageHistoryDays", "OutOfRange" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public async Task A_bad_setting_is_a_400_with_a_clear_message_and_nothing_changes(string why, object body, string field, string code)
    {
        var server = await pool.GetAsync("Sqlite");
        using var api = await server.AdminClientAsync(await server.CreateTenantAsync());
        await SetShortRetentionAsync(api);
        var before = await api.GetStringAsync("/api/v1/settings/retention");

        var response = await api.PutAsJsonAsync("/api/v1/settings/retention", body);

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, why);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(code, problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
        if (code == "BelowLegalMinimum")
        {
            Assert.Contains("at least 180 days", problem.GetProperty("title").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(before, await api.GetStringAsync("/api/v1/settings/retention"));
    }

    [Fact]
    public async Task Retention_needs_its_right_and_each_tenant_sees_and_changes_only_its_own()
    {
        var server = await pool.GetAsync("Sqlite");
        using var a = await server.AdminClientAsync(await server.CreateTenantAsync());
        using var b = await server.AdminClientAsync(await server.CreateTenantAsync());

        Assert.Equal(HttpStatusCode.OK, (await a.PutAsJsonAsync("/api/v1/settings/retention", new { connectionAttemptsDays = 2 })).StatusCode);

        Assert.Equal(RetentionSettings.DefaultConnectionAttemptsDays,
            (await b.GetFromJsonAsync<JsonElement>("/api/v1/settings/retention")).GetProperty("connectionAttemptsDays").GetInt32());
        using var anonymous = new HttpClient { BaseAddress = server.WebUrl };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/settings/retention")).StatusCode);

        // A user whose group lacks Settings.Retention gets 403.
        var groups = await a.GetFromJsonAsync<JsonElement>("/api/v1/groups");
        var id = groups.GetProperty("items").EnumerateArray().Single(g => g.GetProperty("name").GetString() == "Administrators").GetProperty("id").GetGuid();
        var revoke = await a.PutAsJsonAsync($"/api/v1/groups/{id}/rights", new { rights = new[] { new { name = "Settings.Retention", granted = false } } });
        Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await a.GetAsync("/api/v1/settings/retention")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await a.PutAsJsonAsync("/api/v1/settings/retention", new { connectionAttemptsDays = 1 })).StatusCode);
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_cleanup_deletes_old_rows_of_each_kind_keeps_new_ones_and_leaves_other_tenants_alone(string provider)
    {
        var server = await pool.GetAsync(provider);
        var slug = await server.CreateTenantAsync();
        var bystander = await server.CreateTenantAsync();
        using var api = await server.AdminClientAsync(slug);
        await SetShortRetentionAsync(api);
        var now = DateTimeOffset.UtcNow;
        var tenant = await SeedAsync(server, slug, now, oldAge: TimeSpan.FromDays(300), newAge: TimeSpan.FromDays(1));
        // The bystander keeps the defaults: attempts 30 days, samples and audit for ever; its rows are 25 days old.
        var other = await SeedAsync(server, bystander, now, oldAge: TimeSpan.FromDays(25), newAge: TimeSpan.FromDays(1));

        var run = await server.Services.GetRequiredService<RetentionCleaner>().RunOnceAsync(CancellationToken.None);

        Assert.Equal((0, 0, 0), await CountAsync(server, tenant.Id, now, old: true));
        Assert.Equal(tenant.New, await CountAsync(server, tenant.Id, now, old: false));
        Assert.Equal(other.Old, await CountAsync(server, other.Id, now, old: true));
        Assert.True(run.Deleted(RetentionKind.MeterSamples) >= tenant.Old.Samples);
        Assert.Contains(run.Batches, b => b.TenantId == tenant.Id && b.Kind == RetentionKind.AuditEvents && b.Deleted > 0);
        var audit = await api.GetStringAsync("/api/v1/audit-events");
        Assert.Contains("Retention.Deleted", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_events_inside_the_legal_minimum_stay_even_when_a_shorter_setting_is_stored()
    {
        var server = await pool.GetAsync("Sqlite");
        var slug = await server.CreateTenantAsync();
        var now = DateTimeOffset.UtcNow;
        var seeded = await SeedAsync(server, slug, now, oldAge: TimeSpan.FromDays(100), newAge: TimeSpan.FromDays(1));
        await using (var scope = server.Services.CreateAsyncScope())
        {
            // Stored before the installation raised its minimum (the API would refuse 30 today).
            var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
            db.Add(new RetentionSettings { TenantId = seeded.Id, AuditEventsDays = 30, ConnectionAttemptsDays = null, MessageHistoryDays = null });
            await db.SaveChangesAsync();
        }

        await server.Services.GetRequiredService<RetentionCleaner>().RunOnceAsync(CancellationToken.None);

        Assert.Equal(seeded.Old, await CountAsync(server, seeded.Id, now, old: true));
    }

    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task The_cleanup_deletes_a_tenants_old_message_history_and_keeps_new_frames_and_other_tenants(string provider)
    {
        var server = await pool.GetAsync(provider);
        var slug = await server.CreateTenantAsync();
        var bystander = await server.CreateTenantAsync();
        using var api = await server.AdminClientAsync(slug);
        await SetShortRetentionAsync(api);
        var now = DateTimeOffset.UtcNow;
        var tenantId = await SeedFramesAsync(server, slug, now, oldAge: TimeSpan.FromDays(12));
        // The bystander keeps the default (30 days): its 12-day-old frames stay.
        var otherId = await SeedFramesAsync(server, bystander, now, oldAge: TimeSpan.FromDays(12));

        var run = await server.Services.GetRequiredService<RetentionCleaner>().RunOnceAsync(CancellationToken.None);

        Assert.Equal((0, 4), await CountFramesAsync(server, tenantId, now));
        Assert.Equal((4, 4), await CountFramesAsync(server, otherId, now));
        Assert.Equal(4, run.Batches.Where(b => b.TenantId == tenantId && b.Kind == RetentionKind.MessageHistory).Sum(b => b.Deleted));
    }

    /// <summary>Stores settings shorter than every default (attempts 10, samples 20, history 5, audit 200 days).</summary>
    private static async Task SetShortRetentionAsync(HttpClient api) =>
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync("/api/v1/settings/retention",
            new { connectionAttemptsDays = 10, meterSamplesDays = 20, messageHistoryDays = 5, auditEventsDays = 200 })).StatusCode);

    private static async Task<Guid> SeedFramesAsync(VoltgateServer server, string slug, DateTimeOffset now, TimeSpan oldAge)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        var tenantId = await db.Tenants.Where(t => t.Slug == slug).Select(t => t.Id).SingleAsync();
        var identity = Arrange.NewIdentity("RETM");
        foreach (var at in new[] { now - oldAge, now - TimeSpan.FromHours(1) })
        {
            for (var i = 0; i < 4; i++)
            {
                db.Add(new StationMessage { TenantId = tenantId, Identity = identity, At = at.AddSeconds(i), Direction = MessageDirection.In, MessageType = OcppMessageType.Call, MessageId = $"m{i}", Action = "Heartbeat", Payload = "{}", Length = 30 });
            }
        }

        await db.SaveChangesAsync();
        return tenantId;
    }

    /// <summary>The tenant's frames older and younger than 2.5 days.</summary>
    private static async Task<(int Old, int New)> CountFramesAsync(VoltgateServer server, Guid tenantId, DateTimeOffset now)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        var border = now.AddDays(-2.5);
        var frames = db.Set<StationMessage>().Where(m => m.TenantId == tenantId);
        return (await frames.CountAsync(m => m.At < border), await frames.CountAsync(m => m.At >= border));
    }

    internal sealed record Seeded(Guid Id, (int Attempts, int Samples, int Audit) Old, (int Attempts, int Samples, int Audit) New);

    /// <summary>Old and new rows of each kind: a station with samples, its connection attempts, audit events.</summary>
    internal static async Task<Seeded> SeedAsync(VoltgateServer server, string slug, DateTimeOffset now, TimeSpan oldAge, TimeSpan newAge, int samplesPerAge = 30)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        var tenantId = await db.Tenants.Where(t => t.Slug == slug).Select(t => t.Id).SingleAsync();
        var identity = Arrange.NewIdentity("RET");
        var station = new Station { TenantId = tenantId, Identity = identity, CompanyId = await db.Companies.IgnoreQueryFilters().Where(c => c.TenantId == tenantId).Select(c => c.Id).FirstAsync(), CreatedAt = now };
        db.Stations.Add(station);
        foreach (var age in new[] { oldAge, newAge })
        {
            var at = now - age;
            for (var i = 0; i < 3; i++)
            {
                db.ConnectionAttempts.Add(new ConnectionAttempt { TenantId = tenantId, Identity = identity, At = at.AddMinutes(i), SourceAddress = "127.0.0.1", Variant = "privateauth", Endpoint = "default" });
                db.AuditEvents.Add(new AuditEvent { TenantId = tenantId, At = at.AddMinutes(i), Actor = "test", Action = "Test.Seeded" });
            }

            for (var i = 0; i < samplesPerAge; i++)
            {
                db.MeterSamples.Add(new MeterSample { TenantId = tenantId, StationId = station.Id, ConnectorId = 1, Timestamp = at.AddSeconds(i), Value = "1" });
            }
        }

        await db.SaveChangesAsync();
        return new Seeded(tenantId, (3, samplesPerAge, 3), (3, samplesPerAge, 3));
    }

    /// <summary>Rows of the tenant older (or younger) than 2.5 days — between the seeded ages.</summary>
    internal static async Task<(int Attempts, int Samples, int Audit)> CountAsync(VoltgateServer server, Guid tenantId, DateTimeOffset now, bool old)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        var border = now.AddDays(-2.5);
        return (
            await db.ConnectionAttempts.IgnoreQueryFilters().CountAsync(a => a.TenantId == tenantId && (old ? a.At < border : a.At >= border)),
            await db.MeterSamples.IgnoreQueryFilters().CountAsync(m => m.TenantId == tenantId && (old ? m.Timestamp < border : m.Timestamp >= border)),
            await db.AuditEvents.IgnoreQueryFilters().CountAsync(a => a.TenantId == tenantId && a.Action == "Test.Seeded" && (old ? a.At < border : a.At >= border)));
    }
}
