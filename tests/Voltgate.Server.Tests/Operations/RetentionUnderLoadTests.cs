using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.Data;
using Voltgate.Core.Retention;
using Voltgate.Core.Transactions;
using Voltgate.Server.Tests.Support;
using Xunit.Abstractions;

namespace Voltgate.Server.Tests.Operations;

/// <summary>
/// The cleanup deletes old meter samples in small batches while a station keeps sending MeterValues: every call is
/// answered, the new samples stay. Prints the batch times and the call latency before and during the cleanup
/// (docs/performance.md, "Retention cleanup under load"); 20,000 samples in CI, VOLTGATE_RETENTION_SAMPLES for more.
/// </summary>
[Collection(ServerCollection.Name)]
public sealed class RetentionUnderLoadTests(ServerPool pool, ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(TestDatabases.Providers), MemberType = typeof(TestDatabases))]
    public async Task Old_samples_go_in_batches_while_a_station_keeps_being_answered(string provider)
    {
        var count = int.TryParse(Environment.GetEnvironmentVariable("VOLTGATE_RETENTION_SAMPLES"), out var n) ? n : 20_000;
        var server = await pool.GetAsync(provider);
        var slug = await server.CreateTenantAsync();
        using var api = await server.AdminClientAsync(slug);
        var password = Arrange.RandomPassword();
        await api.PasswordAsync(password);
        var identity = Arrange.NewIdentity("LOAD");
        await api.StationAsync(identity);
        Assert.Equal(HttpStatusCode.OK, (await api.PutAsJsonAsync("/api/v1/settings/retention", new { meterSamplesDays = 30, connectionAttemptsDays = 30 })).StatusCode);
        var connected = await TestStation.ConnectAsync(new Uri(server.AuthEndpoint, slug + "/"), identity, password, "ocpp1.6");
        await using var station = connected.Station!;
        await station.CallOkAsync("BootNotification", new { chargePointVendor = "Load", chargePointModel = "R1" });
        var (tenantId, stationId) = await IdsAsync(server, slug, identity);
        var seeding = Stopwatch.StartNew();
        await SeedOldSamplesAsync(server, tenantId, stationId, count);
        seeding.Stop();

        var baseline = await CallsAsync(station, TimeSpan.FromSeconds(2), until: null);
        var cleaner = server.Services.GetRequiredService<RetentionCleaner>();
        var cleanup = Task.Run(() => cleaner.RunOnceAsync(CancellationToken.None));
        var during = await CallsAsync(station, TimeSpan.FromMinutes(10), until: cleanup);
        var run = await cleanup;

        var batches = run.Batches.Where(b => b.TenantId == tenantId && b.Kind == RetentionKind.MeterSamples).ToList();
        var took = batches.Select(b => b.Took.TotalMilliseconds).Order().ToList();
        output.WriteLine($"{provider}: {count:N0} old samples seeded in {seeding.Elapsed.TotalSeconds:F1} s; "
            + $"deleted {batches.Sum(b => b.Deleted):N0} in {batches.Count} batches, batch ms p50 {P(took, 0.5):F1} p99 {P(took, 0.99):F1} max {took.LastOrDefault():F1}, "
            + $"delete time {took.Sum() / 1000:F2} s");
        output.WriteLine($"{provider}: MeterValues latency ms before: n={baseline.Count} p50 {P(baseline, 0.5):F1} p99 {P(baseline, 0.99):F1} max {baseline.LastOrDefault():F1}; "
            + $"during cleanup: n={during.Count} p50 {P(during, 0.5):F1} p99 {P(during, 0.99):F1} max {during.LastOrDefault():F1}");

        Assert.Equal(count, batches.Sum(b => b.Deleted));
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        var left = await db.MeterSamples.IgnoreQueryFilters().Where(m => m.StationId == stationId).CountAsync();
        // What the station sent (one sample per call) stays; every old one is gone.
        Assert.Equal(baseline.Count + during.Count, left);
    }

    /// <summary>
    /// MeterValues one after the other for at least the given time, or until the task ends; latencies in ms, sorted.
    /// Paced to at most ~65 calls/s: a fast machine otherwise outruns the per-station sample budget
    /// (Voltgate:Limits:MaxSamplesPerStationPerMinute, 6,000) and the station is told to retry later.
    /// </summary>
    private static async Task<List<double>> CallsAsync(TestStation station, TimeSpan duration, Task? until)
    {
        var latencies = new List<double>();
        var watch = Stopwatch.StartNew();
        while (until is null ? watch.Elapsed < duration : !until.IsCompleted && watch.Elapsed < duration)
        {
            var call = Stopwatch.StartNew();
            await station.CallOkAsync("MeterValues", new
            {
                connectorId = 1,
                meterValue = new[] { new { timestamp = DateTimeOffset.UtcNow.ToString("O"), sampledValue = new[] { new { value = latencies.Count.ToString(System.Globalization.CultureInfo.InvariantCulture) } } } },
            });
            latencies.Add(call.Elapsed.TotalMilliseconds);
            await Task.Delay(CallPause);
        }

        latencies.Sort();
        return latencies;
    }

    private static readonly TimeSpan CallPause = TimeSpan.FromMilliseconds(15);

    private static double P(List<double> sorted, double q) => sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];

    private static async Task<(Guid TenantId, Guid StationId)> IdsAsync(VoltgateServer server, string slug, string identity)
    {
        await using var scope = server.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        var tenantId = await db.Tenants.Where(t => t.Slug == slug).Select(t => t.Id).SingleAsync();
        var stationId = await db.Stations.IgnoreQueryFilters().Where(s => s.TenantId == tenantId && s.Identity == identity).Select(s => s.Id).SingleAsync();
        return (tenantId, stationId);
    }

    private static async Task SeedOldSamplesAsync(VoltgateServer server, Guid tenantId, Guid stationId, int count)
    {
        var start = DateTimeOffset.UtcNow.AddDays(-400);
        for (var done = 0; done < count; done += 5_000)
        {
            await using var scope = server.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            for (var i = done; i < Math.Min(count, done + 5_000); i++)
            {
                db.MeterSamples.Add(new MeterSample { TenantId = tenantId, StationId = stationId, ConnectorId = 1, Timestamp = start.AddSeconds(i), Value = "1", Measurand = "Energy.Active.Import.Register" });
            }

            await db.SaveChangesAsync();
        }
    }
}
