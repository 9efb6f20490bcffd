using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Audit;
using Voltgate.Core.Common;
using Voltgate.Core.Data;
using Voltgate.Core.Tenancy;

namespace Voltgate.Core.Retention;

/// <summary>Days per kind; null keeps that kind for ever. A PUT replaces all four.</summary>
public sealed record RetentionUpdate(int? ConnectionAttemptsDays, int? MeterSamplesDays, int? MessageHistoryDays, int? AuditEventsDays);

/// <summary>The current tenant's retention settings (Settings › Retention, <c>/api/v1/settings/retention</c>).</summary>
public sealed class RetentionSettingsService(VoltgateDbContext db, ITenantContext tenant, AuditLog audit, TimeProvider time, RetentionOptions options)
{
    private Guid TenantId => tenant.TenantId ?? throw new InvalidOperationException("No tenant.");

    public int AuditMinimumDays => options.AuditMinimumDays;

    public async Task<RetentionSettings> GetAsync(CancellationToken ct) =>
        await db.Set<RetentionSettings>().AsNoTracking().FirstOrDefaultAsync(s => s.TenantId == TenantId, ct)
        ?? new RetentionSettings { TenantId = TenantId };

    public async Task<Result<RetentionSettings>> UpdateAsync(RetentionUpdate update, CancellationToken ct)
    {
        // Validate everything before touching anything: a refused update changes nothing.
        var error = OutOfRange("connectionAttemptsDays", "Connection attempts", update.ConnectionAttemptsDays)
            ?? OutOfRange("meterSamplesDays", "Meter samples", update.MeterSamplesDays)
            ?? OutOfRange("messageHistoryDays", "Message history", update.MessageHistoryDays)
            ?? OutOfRange("auditEventsDays", "Audit events", update.AuditEventsDays);
        if (error is null && update.AuditEventsDays is { } audited && audited < options.AuditMinimumDays)
        {
            error = Error.Validation("auditEventsDays", "BelowLegalMinimum",
                $"Audit events must be kept for at least {options.AuditMinimumDays} days, the legal minimum of this installation "
                + $"(Voltgate:Retention:AuditMinimumDays); {audited} days is shorter.");
        }

        if (error is not null)
        {
            return error;
        }

        var settings = await db.Set<RetentionSettings>().FirstOrDefaultAsync(s => s.TenantId == TenantId, ct);
        if (settings is null)
        {
            settings = new RetentionSettings { TenantId = TenantId };
            db.Add(settings);
        }

        var before = Snapshot(settings);
        settings.ConnectionAttemptsDays = update.ConnectionAttemptsDays;
        settings.MeterSamplesDays = update.MeterSamplesDays;
        settings.MessageHistoryDays = update.MessageHistoryDays;
        settings.AuditEventsDays = update.AuditEventsDays;
        settings.UpdatedAt = time.GetUtcNow();
        audit.Add("Retention.SettingsChanged", "retention", new { before, after = Snapshot(settings) });
        await db.SaveChangesAsync(ct);
        return settings;
    }

    private static Error? OutOfRange(string field, string what, int? days) =>
        days is { } d && (d < 1 || d > RetentionOptions.MaxDays)
            ? Error.Validation(field, "OutOfRange", $"{what}: the retention is between 1 and {RetentionOptions.MaxDays} days, or empty to keep them for ever.")
            : null;

    private static object Snapshot(RetentionSettings s) =>
        new { s.ConnectionAttemptsDays, s.MeterSamplesDays, s.MessageHistoryDays, s.AuditEventsDays };
}
