using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Data;

namespace Voltgate.Core.Stations;

/// <summary>The order of the stations list: by identity, or online (or offline) stations first, each group by identity.</summary>
public enum StationSort
{
    Identity,
    OnlineFirst,
    OfflineFirst,
}

/// <summary>Filters of the stations list; null means "any". <see cref="Online"/> and the online sorts need the live view.</summary>
public sealed record StationFilter(
    string? Search = null,
    bool? Online = null,
    RegistrationStatus? RegistrationStatus = null,
    Guid? CompanyId = null,
    string? Variant = null,
    string? Vendor = null,
    string? Model = null,
    bool IncludeInactive = true,
    StationSort Sort = StationSort.Identity);

/// <summary>Read side of the stations feature: the filtered list and a station's connectors. Data scope applies (DbContext filters).</summary>
public sealed class StationQueries(VoltgateDbContext db)
{
    /// <param name="isOnline">Whether a station (by identity) is online right now; used by the Online filter and sorts.</param>
    public async Task<(IReadOnlyList<Station> Items, int Total)> SearchAsync(StationFilter filter, Func<string, bool> isOnline, int skip, int take, CancellationToken ct)
    {
        var query = db.Stations.AsNoTracking();
        if (filter.Search is { Length: > 0 } search)
        {
            var pattern = $"%{search.Replace("%", "", StringComparison.Ordinal).Replace("_", "", StringComparison.Ordinal)}%";
            query = query.Where(s => EF.Functions.Like(s.Identity, pattern) || EF.Functions.Like(s.Vendor ?? "", pattern)
                || EF.Functions.Like(s.Model ?? "", pattern) || EF.Functions.Like(s.SerialNumber ?? "", pattern) || EF.Functions.Like(s.Note ?? "", pattern));
        }

        if (filter.RegistrationStatus is { } status)
        {
            query = query.Where(s => s.RegistrationStatus == status);
        }

        if (filter.CompanyId is { } company)
        {
            query = query.Where(s => s.CompanyId == company);
        }

        if (filter.Vendor is { Length: > 0 } vendor)
        {
            query = query.Where(s => s.Vendor == vendor);
        }

        if (filter.Model is { Length: > 0 } model)
        {
            query = query.Where(s => s.Model == model);
        }

        if (!filter.IncludeInactive)
        {
            query = query.Where(s => s.Active);
        }

        // Variant (a list column) and online state (live, in memory) are filtered here; fine for thousands of stations.
        IEnumerable<Station> rows = await query.OrderBy(s => s.Identity).ToListAsync(ct);
        if (filter.Variant is { Length: > 0 } variant)
        {
            rows = rows.Where(s => s.AllowedVariants.Contains(variant, StringComparer.Ordinal));
        }

        if (filter.Online is { } online)
        {
            rows = rows.Where(s => isOnline(s.Identity) == online);
        }

        // OrderBy is stable: each group keeps the identity order of the query.
        rows = filter.Sort switch
        {
            StationSort.OnlineFirst => rows.OrderBy(s => isOnline(s.Identity) ? 0 : 1),
            StationSort.OfflineFirst => rows.OrderBy(s => isOnline(s.Identity) ? 1 : 0),
            _ => rows,
        };
        var all = rows.ToList();
        return (all.Skip(skip).Take(take).ToList(), all.Count);
    }

    /// <summary>The distinct vendors and models seen, for the filter menus.</summary>
    public async Task<(IReadOnlyList<string> Vendors, IReadOnlyList<string> Models)> VendorsAndModelsAsync(CancellationToken ct)
    {
        var pairs = await db.Stations.AsNoTracking().Select(s => new { s.Vendor, s.Model }).Distinct().ToListAsync(ct);
        return (pairs.Select(p => p.Vendor).OfType<string>().Distinct().Order().ToList(), pairs.Select(p => p.Model).OfType<string>().Distinct().Order().ToList());
    }

    /// <summary>Connector statuses of the visible stations, by station id.</summary>
    public async Task<ILookup<Guid, ConnectorStatus>> ConnectorsAsync(IReadOnlyCollection<Guid> stationIds, CancellationToken ct)
    {
        var ids = stationIds.ToList();
        var rows = await db.ConnectorStatuses.AsNoTracking().Where(c => ids.Contains(c.StationId)).OrderBy(c => c.ConnectorId).ToListAsync(ct);
        return rows.ToLookup(c => c.StationId);
    }
}
