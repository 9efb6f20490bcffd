using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Data;
using Voltgate.Core.MessageHistory;

namespace Voltgate.Core.Retention;

// Each sweep selects a batch of ids with an index-friendly query and deletes by id: one short statement, portable to
// SQLite and PostgreSQL, that never scans the whole table under the write lock.

internal sealed class ConnectionAttemptSweep : IRetentionSweep
{
    public RetentionKind Kind => RetentionKind.ConnectionAttempts;

    public Task<int> DeleteBatchAsync(VoltgateDbContext db, Guid tenantId, DateTimeOffset cutoff, int batchSize, CancellationToken ct)
    {
        // Index (TenantId, At).
        var ids = db.ConnectionAttempts.IgnoreQueryFilters()
            .Where(a => a.TenantId == tenantId && a.At < cutoff).OrderBy(a => a.At).Select(a => a.Id).Take(batchSize);
        return db.ConnectionAttempts.IgnoreQueryFilters().Where(a => ids.Contains(a.Id)).ExecuteDeleteAsync(ct);
    }
}

internal sealed class MeterSampleSweep : IRetentionSweep
{
    public RetentionKind Kind => RetentionKind.MeterSamples;

    public Task<int> DeleteBatchAsync(VoltgateDbContext db, Guid tenantId, DateTimeOffset cutoff, int batchSize, CancellationToken ct)
    {
        // Through the tenant's stations and the existing (StationId, Timestamp) index: no extra index on the busiest
        // insert path, and a station with nothing old costs one index probe.
        var ids = db.Stations.IgnoreQueryFilters().Where(s => s.TenantId == tenantId)
            .SelectMany(s => db.MeterSamples.IgnoreQueryFilters().Where(m => m.StationId == s.Id && m.Timestamp < cutoff).Select(m => m.Id))
            .Take(batchSize);
        return db.MeterSamples.IgnoreQueryFilters().Where(m => ids.Contains(m.Id)).ExecuteDeleteAsync(ct);
    }
}

internal sealed class AuditEventSweep : IRetentionSweep
{
    public RetentionKind Kind => RetentionKind.AuditEvents;

    public Task<int> DeleteBatchAsync(VoltgateDbContext db, Guid tenantId, DateTimeOffset cutoff, int batchSize, CancellationToken ct)
    {
        // Index (TenantId, At). The cleaner never passes a cutoff inside the legal minimum.
        var ids = db.AuditEvents.IgnoreQueryFilters()
            .Where(a => a.TenantId == tenantId && a.At < cutoff).OrderBy(a => a.At).Select(a => a.Id).Take(batchSize);
        return db.AuditEvents.IgnoreQueryFilters().Where(a => ids.Contains(a.Id)).ExecuteDeleteAsync(ct);
    }
}

internal sealed class MessageHistorySweep : IRetentionSweep
{
    public RetentionKind Kind => RetentionKind.MessageHistory;

    public Task<int> DeleteBatchAsync(VoltgateDbContext db, Guid tenantId, DateTimeOffset cutoff, int batchSize, CancellationToken ct)
    {
        // Index (At); the history's own count-and-age window (MessageHistoryCleanup) runs beside this per-tenant one,
        // whichever is shorter wins.
        var ids = db.Set<StationMessage>()
            .Where(m => m.TenantId == tenantId && m.At < cutoff).OrderBy(m => m.At).Select(m => m.Id).Take(batchSize);
        return db.Set<StationMessage>().Where(m => ids.Contains(m.Id)).ExecuteDeleteAsync(ct);
    }
}
