using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Data;

namespace Voltgate.Core.MessageHistory;

/// <summary>A history search: all given conditions must hold; times are inclusive.</summary>
public sealed record MessageHistoryFilter(string? Action = null, MessageDirection? Direction = null, string? MessageId = null, DateTimeOffset? From = null, DateTimeOffset? To = null);

/// <summary>
/// Reads and deletes the persistent message history (<c>StationMessages</c>). Every query names its tenant: the table
/// has no global tenant filter, so that the cleanup can work across tenants, and callers pass the tenant they serve.
/// </summary>
public sealed class MessageHistoryStore(VoltgateDbContext db)
{
    /// <summary>Newest first.</summary>
    public async Task<(IReadOnlyList<StationMessage> Items, int Total)> SearchAsync(Guid tenantId, string identity, MessageHistoryFilter filter, int skip, int take, CancellationToken ct)
    {
        var query = Filtered(tenantId, identity, filter);
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(m => m.Id).Skip(skip).Take(take).ToListAsync(ct);
        return (items, total);
    }

    /// <summary>Oldest first, streamed (the export).</summary>
    public IAsyncEnumerable<StationMessage> ExportAsync(Guid tenantId, string identity, MessageHistoryFilter filter) =>
        Filtered(tenantId, identity, filter).OrderBy(m => m.Id).AsAsyncEnumerable();

    /// <summary>
    /// Deletes at most <paramref name="batch"/> rows older than <paramref name="cutoff"/> (of one tenant, or of all when
    /// null) and returns how many; call it again until it returns less than <paramref name="batch"/>. Small batches keep
    /// each delete short, so the station writer is never held up for long (retention, i18-ops, can call this too).
    /// </summary>
    public Task<int> DeleteOlderThanAsync(Guid? tenantId, DateTimeOffset cutoff, int batch, CancellationToken ct)
    {
        var old = db.Set<StationMessage>().Where(m => m.At < cutoff);
        if (tenantId is { } t)
        {
            old = old.Where(m => m.TenantId == t);
        }

        var ids = old.OrderBy(m => m.Id).Take(batch).Select(m => m.Id);
        return db.Set<StationMessage>().Where(m => ids.Contains(m.Id)).ExecuteDeleteAsync(ct);
    }

    /// <summary>Deletes a station's rows beyond its newest <paramref name="keep"/>; returns how many.</summary>
    public async Task<int> TrimStationAsync(Guid tenantId, string identity, int keep, CancellationToken ct)
    {
        var rows = db.Set<StationMessage>().Where(m => m.TenantId == tenantId && m.Identity == identity);
        var newestDropped = await rows.OrderByDescending(m => m.Id).Skip(keep).Select(m => (long?)m.Id).FirstOrDefaultAsync(ct);
        return newestDropped is { } cut ? await rows.Where(m => m.Id <= cut).ExecuteDeleteAsync(ct) : 0;
    }

    private IQueryable<StationMessage> Filtered(Guid tenantId, string identity, MessageHistoryFilter filter)
    {
        var query = db.Set<StationMessage>().AsNoTracking().Where(m => m.TenantId == tenantId && m.Identity == identity);
        if (filter.Action is { } action)
        {
            query = query.Where(m => m.Action == action);
        }

        if (filter.Direction is { } direction)
        {
            query = query.Where(m => m.Direction == direction);
        }

        if (filter.MessageId is { } id)
        {
            query = query.Where(m => m.MessageId == id);
        }

        if (filter.From is { } from)
        {
            query = query.Where(m => m.At >= from);
        }

        if (filter.To is { } to)
        {
            query = query.Where(m => m.At <= to);
        }

        return query;
    }
}
