using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Data;

namespace Voltgate.Core.Audit;

public sealed record AuditFilter(DateTimeOffset? From, DateTimeOffset? To, string? Action, string? Actor);

/// <summary>Reads the tenant's audit trail, newest first. Read-only: the trail is append-only.</summary>
public sealed class AuditQuery(VoltgateDbContext db)
{
    public async Task<(IReadOnlyList<AuditEvent> Items, int Total)> ListAsync(AuditFilter filter, int skip, int take, CancellationToken ct)
    {
        var query = db.AuditEvents.AsNoTracking();
        if (filter.From is { } from)
        {
            query = query.Where(e => e.At >= from);
        }

        if (filter.To is { } to)
        {
            query = query.Where(e => e.At <= to);
        }

        if (!string.IsNullOrWhiteSpace(filter.Action))
        {
            var action = filter.Action.Trim();
            query = query.Where(e => e.Action.StartsWith(action));
        }

        if (!string.IsNullOrWhiteSpace(filter.Actor))
        {
            var actor = filter.Actor.Trim();
            query = query.Where(e => e.Actor == actor);
        }

        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(e => e.At).ThenByDescending(e => e.Id).Skip(skip).Take(take).ToListAsync(ct);
        return (items, total);
    }
}
