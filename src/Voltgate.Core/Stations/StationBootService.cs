using Voltgate.Core.Plausibility;
using Voltgate.Core.Tenancy;

namespace Voltgate.Core.Stations;

/// <summary>The registration status a boot is answered with, and how long the station waits for its next message.</summary>
internal readonly record struct BootResult(RegistrationStatus Status, DateTimeOffset At, int IntervalSeconds);

/// <summary>
/// Stores what a booting station says about itself (its boot is also its last-seen time) and answers with the
/// registration status the operator set. Accepted: the interval is the tenant's heartbeat interval; otherwise it is
/// how long the station waits before booting again.
/// </summary>
internal sealed class StationBootService(BootBatch batch, TenantDirectory tenants, IStationDirectory directory, TimeProvider time)
{
    public const int RetryIntervalSeconds = 60;
    public const int DefaultHeartbeatIntervalSeconds = 300;

    public async Task<BootResult> BootAsync(StationRef station, BootReport report, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var seen = await directory.FindAsync(station.TenantId, station.Identity, ct);
        // Through the group commit: a boot storm after an outage becomes a few commits, not one per station.
        // Control and bidi-override characters are stripped, not refused: a refused boot would keep the station off
        // the network, and the texts are only shown (docs/reliability.md).
        report = new BootReport(TextCleaner.Clean(report.Vendor), TextCleaner.Clean(report.Model),
            TextCleaner.CleanOrNull(report.SerialNumber), TextCleaner.CleanOrNull(report.FirmwareVersion));
        var registration = await batch.WriteAsync(station.StationId, report, now, ct);
        // The directory takes over the status the boot read, so the station's next message needs no query. With no
        // entry read before there is nothing stale to replace: the next lookup reads the database.
        if (seen is not null)
        {
            directory.UpdateRegistrationStatus(seen, registration);
        }

        var settings = (await tenants.FindAsync(station.TenantId, ct))?.Settings;
        var interval = registration == RegistrationStatus.Accepted ? settings?.HeartbeatIntervalSeconds ?? DefaultHeartbeatIntervalSeconds : RetryIntervalSeconds;
        return new BootResult(registration, now, interval);
    }
}
