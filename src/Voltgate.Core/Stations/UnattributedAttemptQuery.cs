using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Data;

namespace Voltgate.Core.Stations;

/// <summary>The newest unattributed attempts first (instance-wide: they belong to no tenant).</summary>
public sealed class UnattributedAttemptQuery(VoltgateDbContext db)
{
    public async Task<(IReadOnlyList<UnattributedAttempt> Items, int Total)> ListAsync(int skip, int take, CancellationToken ct)
    {
        var total = await db.UnattributedAttempts.CountAsync(ct);
        var items = await db.UnattributedAttempts.AsNoTracking()
            .OrderByDescending(a => a.At).ThenByDescending(a => a.Id)
            .Skip(skip).Take(take).ToListAsync(ct);
        return (items, total);
    }
}
