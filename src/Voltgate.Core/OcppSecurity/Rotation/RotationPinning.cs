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
    public Task<bool> PinAsync(Guid stationId, string identity, List<Guid> pins, CancellationToken ct) =>
        ChangeAsync(stationId, identity, s => s.PinnedPasswordIds = pins, ct);

    /// <summary>
    /// Sets the variants a station is admitted on: after a security-profile upgrade only the new one, so the front door
    /// refuses the lower variant (VariantNotAllowed, naming the allowed one) — 2.0.1 A00.FR.005 / TC_A_19.
    /// </summary>
    public Task<bool> AllowVariantsAsync(Guid stationId, string identity, List<string> variants, CancellationToken ct) =>
        ChangeAsync(stationId, identity, s => s.AllowedVariants = variants, ct);

    private async Task<bool> ChangeAsync(Guid stationId, string identity, Action<Station> change, CancellationToken ct)
    {
        var station = await db.Stations.IgnoreQueryFilters().FirstOrDefaultAsync(s => s.Id == stationId, ct);
        if (station is null)
        {
            return false;
        }

        change(station);
        // Dropped before the save as well: between the commit (which, in the engine, also makes the row Accepted for
        // every reader) and the drop after it, a cached entry from before would still admit the old password. With
        // no entry the next handshake reads the database, so it sees either no change yet or the committed one.
        directory.Invalidate(station.TenantId, identity);
        await db.SaveChangesAsync(ct);
        directory.Invalidate(station.TenantId, identity);
        await notifier.StationChangedAsync(station.TenantId, identity);
        return true;
    }
}
