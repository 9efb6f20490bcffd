using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Data;
using Voltgate.Core.Stations;

namespace Voltgate.Core.OcppSecurity.Rotation;

/// <summary>
/// Sets a station's pinned pool entries and tells every node's front door at once (its station cache and the
/// cluster's change channel), so the new pins apply to the very next handshake.
/// </summary>
public sealed class RotationPinning(VoltgateDbContext db, IStationDirectory directory, IStationChangeNotifier notifier)
{
    public async Task<bool> PinAsync(Guid stationId, string identity, List<Guid> pins, CancellationToken ct)
    {
        var station = await db.Stations.IgnoreQueryFilters().FirstOrDefaultAsync(s => s.Id == stationId, ct);
        if (station is null)
        {
            return false;
        }

        station.PinnedPasswordIds = pins;
        await db.SaveChangesAsync(ct);
        directory.Invalidate(station.TenantId, identity);
        await notifier.StationChangedAsync(station.TenantId, identity);
        return true;
    }
}
