using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Audit;
using Voltgate.Core.Data;
using Voltgate.Core.Plausibility;
using Voltgate.Core.Stations;

namespace Voltgate.Core.StationHistory;

/// <summary>A notification as a protocol adapter hands it over (texts are cleaned and cut here).</summary>
public sealed record StationNoticeDraft(StationNoticeKind Kind, DateTimeOffset? At, string Code, int? RequestId = null, string? Subject = null, string? Detail = null);

/// <summary>
/// The per-station history of security events, events, firmware and log status: stored before the station is
/// answered, capped per station and kind (<see cref="StationRecordLimits.MaxNoticesPerKind"/>; the oldest go).
/// </summary>
public sealed class StationNoticeLog(VoltgateDbContext db, AuditLog audit, TimeProvider time, StationRecordLimits limits)
{
    /// <summary>Stores the notices and, when <paramref name="auditAction"/> is given, an audit event in the same commit.</summary>
    public async Task RecordAsync(StationRef station, IReadOnlyList<StationNoticeDraft> notices, CancellationToken ct, string? auditAction = null, object? auditDetails = null)
    {
        var now = time.GetUtcNow();
        foreach (var n in notices)
        {
            db.StationNotices.Add(new StationNotice
            {
                TenantId = station.TenantId,
                StationId = station.StationId,
                Kind = n.Kind,
                At = n.At ?? now,
                ReceivedAt = now,
                Code = Cut(TextCleaner.Clean(n.Code), 50)!,
                RequestId = n.RequestId,
                Subject = Cut(n.Subject is { } s ? TextCleaner.Clean(s) : null, 300),
                Detail = Cut(n.Detail is { } d ? TextCleaner.Clean(d) : null, 2600),
            });
        }

        if (auditAction is not null)
        {
            audit.Add(auditAction, station.Identity, auditDetails, station.TenantId);
        }

        await db.SaveChangesAsync(ct);
        foreach (var kind in notices.Select(n => n.Kind).Distinct())
        {
            await TrimAsync(station.StationId, kind, ct);
        }
    }

    public async Task<(IReadOnlyList<StationNotice> Items, int Total)> ListAsync(Guid stationId, StationNoticeKind? kind, int skip, int take, CancellationToken ct)
    {
        var query = db.StationNotices.AsNoTracking().Where(n => n.StationId == stationId);
        if (kind is { } k)
        {
            query = query.Where(n => n.Kind == k);
        }

        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(n => n.Id).Skip(skip).Take(take).ToListAsync(ct);
        return (items, total);
    }

    /// <summary>Removes what is beyond the cap, oldest first (ids grow with arrival).</summary>
    private async Task TrimAsync(Guid stationId, StationNoticeKind kind, CancellationToken ct)
    {
        var cutoff = await db.StationNotices.Where(n => n.StationId == stationId && n.Kind == kind)
            .OrderByDescending(n => n.Id).Skip(limits.MaxNoticesPerKind).Select(n => (long?)n.Id).FirstOrDefaultAsync(ct);
        if (cutoff is { } id)
        {
            await db.StationNotices.Where(n => n.StationId == stationId && n.Kind == kind && n.Id <= id).ExecuteDeleteAsync(ct);
        }
    }

    private static string? Cut(string? text, int max) => text is null || text.Length <= max ? text : text[..max];
}

/// <summary>
/// Which security events are critical (OCPP 2.0.1 Appendix 1 with the errata, and the 1.6 security whitepaper's
/// spellings): those also go to the audit trail. Any other type is stored and shown, never refused.
/// </summary>
public static class SecurityEventTypes
{
    private static readonly HashSet<string> Critical = new(StringComparer.OrdinalIgnoreCase)
    {
        "FirmwareUpdated", "SettingSystemTime", "StartupOfTheDevice", "ResetOrReboot", "SecurityLogWasCleared", "MemoryExhaustion",
        "TamperDetectionActivated", "InvalidFirmwareSignature", "InvalidFirmwareSigningCertificate", "InvalidCsmsCertificate",
        "InvalidChargingStationCertificate", "InvalidTLSVersion", "InvalidTLSCipherSuite", "MaintenanceLoginAccepted", "MaintenanceLoginFailed",
        "InvalidCentralSystemCertificate", "InvalidChargePointCertificate",
    };

    public static bool IsCritical(string type) => Critical.Contains(type);
}
