using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.Audit;
using Voltgate.Core.Stations;

namespace Voltgate.Core.Tests.Domain;

public sealed class StationServicesTests : IAsyncLifetime
{
    private static readonly BootReport Report = new("Vendor", "Model", "SN-1", "1.2.3");

    private DomainDatabase _db = null!;

    public async Task InitializeAsync() => _db = await DomainDatabase.CreateAsync();

    public Task DisposeAsync() => _db.DisposeAsync().AsTask();

    private Task<BootResult> BootAsync(StationRef station) =>
        _db.Services.GetRequiredService<StationBootService>().BootAsync(station, Report, CancellationToken.None);

    private Task<Station> StationAsync(StationRef station) =>
        _db.QueryAsync(db => db.Stations.AsNoTracking().SingleAsync(s => s.Id == station.StationId));

    [Fact]
    public async Task A_boot_stores_what_the_station_says_and_answers_accepted_with_the_heartbeat_interval()
    {
        var station = await _db.AddStationAsync();
        var now = _db.Time.GetUtcNow();

        var result = await BootAsync(station);

        Assert.Equal(new BootResult(RegistrationStatus.Accepted, now, 120), result);
        var stored = await StationAsync(station);
        Assert.Equal(("Vendor", "Model", "SN-1", "1.2.3", now, now), (stored.Vendor, stored.Model, stored.SerialNumber, stored.FirmwareVersion, stored.LastBootAt!.Value, stored.LastSeenAt!.Value));
    }

    [Fact]
    public async Task A_boot_answers_the_stored_registration_status_and_the_directory_takes_it_over()
    {
        var station = await _db.AddStationAsync();
        var directory = _db.Services.GetRequiredService<IStationDirectory>();
        Assert.Equal(RegistrationStatus.Accepted, (await directory.FindAsync(station.TenantId, station.Identity, CancellationToken.None))!.RegistrationStatus);
        // Changed behind the directory's back: only the boot's read tells it.
        await _db.WithDbAsync(db => db.Stations.Where(s => s.Id == station.StationId)
            .ExecuteUpdateAsync(u => u.SetProperty(s => s.RegistrationStatus, RegistrationStatus.Pending)));

        var result = await BootAsync(station);

        Assert.Equal((RegistrationStatus.Pending, StationBootService.RetryIntervalSeconds), (result.Status, result.IntervalSeconds));
        Assert.Equal(RegistrationStatus.Pending, (await directory.FindAsync(station.TenantId, station.Identity, CancellationToken.None))!.RegistrationStatus);
    }

    [Fact]
    public async Task A_boot_of_a_station_deleted_meanwhile_fails()
    {
        var gone = new StationRef(_db.TenantId, Guid.NewGuid(), "GONE");

        await Assert.ThrowsAsync<InvalidOperationException>(() => BootAsync(gone));
    }

    [Fact]
    public async Task A_connector_status_is_inserted_then_updated_and_the_live_views_are_told()
    {
        var station = await _db.AddStationAsync();
        var statuses = _db.Services.GetRequiredService<ConnectorStatusService>();
        var events = new List<StationEvent>();
        using var _ = _db.Services.GetRequiredService<IStationEvents>().Subscribe(_db.TenantId, e =>
        {
            lock (events)
            {
                events.Add(e);
            }
        });
        var reported = _db.Time.GetUtcNow().AddMinutes(-5);

        await statuses.ReportAsync(station, new ConnectorStatusReport(1, "Available", "NoError", null, null, reported), CancellationToken.None);
        await statuses.ReportAsync(station, new ConnectorStatusReport(1, "Faulted", "GroundFailure", "info", "E42", null), CancellationToken.None);
        await statuses.ReportAsync(station, new ConnectorStatusReport(2, "Available", "NoError", null, null, reported), CancellationToken.None);

        var rows = await _db.QueryAsync(db => db.ConnectorStatuses.AsNoTracking().OrderBy(c => c.ConnectorId).ToListAsync());
        Assert.Equal(2, rows.Count);
        Assert.Equal(("Faulted", "GroundFailure", "info", "E42", _db.Time.GetUtcNow()), (rows[0].Status, rows[0].ErrorCode, rows[0].Info, rows[0].VendorErrorCode, rows[0].Timestamp));
        Assert.Equal(("Available", reported), (rows[1].Status, rows[1].Timestamp));
        Assert.Equal([(1, "Available"), (1, "Faulted"), (2, "Available")], events.Select(e => (e.ConnectorId!.Value, e.Status!)));
        Assert.All(events, e => Assert.Equal((StationEventKind.ConnectorStatus, "CP-1"), (e.Kind, e.Identity)));
    }

    [Fact]
    public async Task A_station_notification_is_in_the_audit_trail_once_recorded()
    {
        var station = await _db.AddStationAsync();
        await using (var scope = _db.Scope())
        {
            await scope.ServiceProvider.GetRequiredService<StationAudit>()
                .RecordAsync(station.TenantId, station.Identity, "Station.FirmwareStatus", new { status = "Installed" }, CancellationToken.None);
        }

        var audit = await _db.QueryAsync(db => db.AuditEvents.AsNoTracking().SingleAsync());
        Assert.Equal(("Station.FirmwareStatus", "CP-1", """{"status":"Installed"}"""), (audit.Action, audit.Target, audit.Details));
    }
}
