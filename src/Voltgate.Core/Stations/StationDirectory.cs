using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.Data;

namespace Voltgate.Core.Stations;

/// <summary>What the front door needs to know about a station to admit it.</summary>
public sealed record StationAuthInfo(
    Guid StationId,
    Guid TenantId,
    string Identity,
    IReadOnlyList<string> AllowedVariants,
    IReadOnlyList<Guid> PinnedPasswordIds,
    RegistrationStatus RegistrationStatus,
    bool Active);

public interface IStationDirectory
{
    ValueTask<StationAuthInfo?> FindAsync(Guid tenantId, string identity, CancellationToken ct);

    void Invalidate(Guid tenantId, string identity);
}

/// <summary>
/// Caches known stations in memory so a reconnect storm does not become a query storm. Unknown identities are not
/// cached (an attacker could fill memory with them); the throttle limits how often they reach the database.
/// </summary>
public sealed class StationDirectory(IServiceScopeFactory scopes) : IStationDirectory
{
    private readonly ConcurrentDictionary<(Guid, string), StationAuthInfo> _known = new();

    public async ValueTask<StationAuthInfo?> FindAsync(Guid tenantId, string identity, CancellationToken ct)
    {
        if (_known.TryGetValue((tenantId, identity), out var info))
        {
            return info;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        var station = await db.Stations.IgnoreQueryFilters().AsNoTracking()
            .FirstOrDefaultAsync(s => s.TenantId == tenantId && s.Identity == identity, ct);
        if (station is null)
        {
            return null;
        }

        info = new StationAuthInfo(station.Id, station.TenantId, station.Identity, station.AllowedVariants, station.PinnedPasswordIds,
            station.RegistrationStatus, station.Active);
        _known[(tenantId, identity)] = info;
        return info;
    }

    public void Invalidate(Guid tenantId, string identity) => _known.TryRemove((tenantId, identity), out _);
}
