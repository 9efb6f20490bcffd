using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Audit;
using Voltgate.Core.Common;
using Voltgate.Core.Data;
using Voltgate.Core.OcppSecurity;

namespace Voltgate.Core.Tenancy;

public sealed record SettingsUpdate(
    HexMatching? HexMatching,
    UnknownStationPolicy? UnknownStationPolicy,
    bool? AssumeOcpp16WhenNoSubprotocol,
    int? HeartbeatIntervalSeconds,
    bool? EnforceHardwareProfiles,
    string? IdTagSuffixSeparator = null);

public sealed class TenantSettingsService(
    VoltgateDbContext db,
    ITenantContext tenant,
    AuditLog audit,
    TimeProvider time,
    TenantDirectory directory,
    ITenantSettingsChangeNotifier notifier)
{
    public const int MinHeartbeatSeconds = 10;
    public const int MaxHeartbeatSeconds = 86_400;

    private Guid TenantId => tenant.TenantId ?? throw new InvalidOperationException("No tenant.");

    public async Task<TenantSettings> GetAsync(CancellationToken ct) =>
        await db.TenantSettings.AsNoTracking().FirstOrDefaultAsync(ct) ?? new TenantSettings { TenantId = TenantId };

    public async Task<Result<TenantSettings>> UpdateAsync(SettingsUpdate update, CancellationToken ct)
    {
        if (update.HeartbeatIntervalSeconds is { } hb && (hb < MinHeartbeatSeconds || hb > MaxHeartbeatSeconds))
        {
            return Error.Validation("heartbeatIntervalSeconds", "OutOfRange",
                $"The heartbeat interval must be between {MinHeartbeatSeconds} and {MaxHeartbeatSeconds} seconds.");
        }

        if (update.IdTagSuffixSeparator is { } sep && (sep.Length > 4 || sep.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))))
        {
            return Error.Validation("idTagSuffixSeparator", "InvalidSeparator",
                "The idTag suffix separator has at most 4 characters and no spaces (\"_\" for KEBA x-series); empty switches it off.");
        }

        var settings = await db.TenantSettings.FirstOrDefaultAsync(ct);
        if (settings is null)
        {
            settings = new TenantSettings { TenantId = TenantId };
            db.TenantSettings.Add(settings);
        }

        var before = Snapshot(settings);
        settings.HexMatching = update.HexMatching ?? settings.HexMatching;
        settings.UnknownStationPolicy = update.UnknownStationPolicy ?? settings.UnknownStationPolicy;
        settings.AssumeOcpp16WhenNoSubprotocol = update.AssumeOcpp16WhenNoSubprotocol ?? settings.AssumeOcpp16WhenNoSubprotocol;
        settings.HeartbeatIntervalSeconds = update.HeartbeatIntervalSeconds ?? settings.HeartbeatIntervalSeconds;
        settings.EnforceHardwareProfiles = update.EnforceHardwareProfiles ?? settings.EnforceHardwareProfiles;
        if (update.IdTagSuffixSeparator is { } separator)
        {
            settings.IdTagSuffixSeparator = separator.Length == 0 ? null : separator;
        }

        settings.UpdatedAt = time.GetUtcNow();
        audit.Add("OcppSecurity.SettingsChanged", "settings", new { before, after = Snapshot(settings) });
        await db.SaveChangesAsync(ct);
        directory.Invalidate(TenantId);
        await notifier.SettingsChangedAsync(TenantId);
        return settings;
    }

    private static object Snapshot(TenantSettings s) =>
        new { s.HexMatching, s.UnknownStationPolicy, s.AssumeOcpp16WhenNoSubprotocol, s.HeartbeatIntervalSeconds, s.EnforceHardwareProfiles, s.IdTagSuffixSeparator };
}

/// <summary>Tells other nodes that a tenant's settings changed (in-process: nothing to tell; Redis: a publish).</summary>
public interface ITenantSettingsChangeNotifier
{
    Task SettingsChangedAsync(Guid tenantId);
}

public sealed class LocalTenantSettingsChangeNotifier : ITenantSettingsChangeNotifier
{
    public Task SettingsChangedAsync(Guid tenantId) => Task.CompletedTask;
}
