using System.Collections.Concurrent;
using System.Linq.Expressions;
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

    /// <summary>
    /// Replaces <paramref name="seen"/> with its copy carrying <paramref name="status"/> (what a boot just read from
    /// the database), unless the entry changed or was invalidated since <paramref name="seen"/> was read.
    /// </summary>
    void UpdateRegistrationStatus(StationAuthInfo seen, RegistrationStatus status);

    /// <summary>Fills the cache with every station in one query (at start, before stations connect).</summary>
    Task LoadAllAsync(CancellationToken ct);
}

/// <summary>
/// Caches known stations in memory so a reconnect storm does not become a query storm. Every station is loaded at
/// start in one query; later ones on first contact. Unknown identities are not cached (an attacker could fill memory
/// with them); the throttle limits how often they reach the database.
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
        info = await db.Stations.IgnoreQueryFilters().Where(s => s.TenantId == tenantId && s.Identity == identity)
            .Select(ToInfo).FirstOrDefaultAsync(ct);
        if (info is not null)
        {
            _known[(tenantId, identity)] = info;
        }

        return info;
    }

    public void Invalidate(Guid tenantId, string identity) => _known.TryRemove((tenantId, identity), out _);

    public void UpdateRegistrationStatus(StationAuthInfo seen, RegistrationStatus status)
    {
        if (seen.RegistrationStatus != status)
        {
            // Compare-and-swap on the object read before the boot: an operator's change in between invalidated
            // (or replaced) it, and its newer state must not be overwritten with the boot's older read.
            _known.TryUpdate((seen.TenantId, seen.Identity), seen with { RegistrationStatus = status }, seen);
        }
    }

    public async Task LoadAllAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        await foreach (var info in db.Stations.IgnoreQueryFilters().Select(ToInfo).AsAsyncEnumerable().WithCancellation(ct))
        {
            // TryAdd: an entry cached meanwhile was read no earlier than this one.
            _known.TryAdd((info.TenantId, info.Identity), info);
        }
    }

    /// <summary>The columns the front door needs, and no more: at start this runs over every station.</summary>
    private static readonly Expression<Func<Station, StationAuthInfo>> ToInfo = station =>
        new StationAuthInfo(station.Id, station.TenantId, station.Identity, station.AllowedVariants, station.PinnedPasswordIds, station.RegistrationStatus, station.Active);
}
