using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Audit;
using Voltgate.Core.Common;
using Voltgate.Core.Data;
using Voltgate.Core.Tenancy;

namespace Voltgate.Core.OcppSecurity.Rotation;

/// <summary>A pool entry a rotation moves stations away from, and who still uses it.</summary>
/// <param name="StationsUsing">Stations of the whole tenant (not only the caller's data scope) whose last successful handshake used it.</param>
/// <param name="Retirable">Active, and no station uses it any more.</param>
public sealed record RotationSourceEntry(Guid Id, string Label, PasswordState State, int StationsUsing, IReadOnlyList<string> SomeStations, bool Retirable);

/// <summary>
/// "Retire the source entry": once no unrotated station uses the entry a rotation moved stations away from, it is
/// disabled (product design §4: an existing secret is never changed; disabling is reversible, deleting is not, so
/// retiring disables). Refused while any station of the tenant still uses it — checked across the whole tenant,
/// because the pool is tenant-wide even when the caller sees only some companies.
/// </summary>
public sealed class RotationRetirement(VoltgateDbContext db, ITenantContext tenant, PasswordPoolService pool, AuditLog audit)
{
    private const int NamedStations = 10;

    private Guid TenantId => tenant.TenantId ?? throw new InvalidOperationException("No tenant.");

    /// <summary>The rotation's source entries: the pool entry it was started from, or else the entries its stations used before.</summary>
    public async Task<Result<IReadOnlyList<RotationSourceEntry>>> SourceEntriesAsync(Guid rotationId, CancellationToken ct)
    {
        var rotation = await db.PasswordRotations.AsNoTracking().FirstOrDefaultAsync(r => r.Id == rotationId, ct);
        if (rotation is null)
        {
            return Error.NotFound("Rotation");
        }

        var rows = await db.RotationStations.AsNoTracking().Where(s => s.RotationId == rotationId)
            .Select(s => new { s.PreviousPasswordId, s.TargetPasswordId }).ToListAsync(ct);
        var targets = rows.Select(r => r.TargetPasswordId).ToHashSet();
        List<Guid> ids = SourcePasswordId(rotation.SourceJson) is { } given
            ? [given]
            : rows.Select(r => r.PreviousPasswordId).OfType<Guid>().Distinct().ToList();
        ids = ids.Where(id => !targets.Contains(id)).ToList();

        var entries = await db.BasicAuthPasswords.AsNoTracking().Where(p => ids.Contains(p.Id)).OrderBy(p => p.Label).ToListAsync(ct);
        var tenantId = TenantId;
        var users = await db.Stations.IgnoreQueryFilters().AsNoTracking()
            .Where(s => s.TenantId == tenantId && s.LastPasswordId != null && ids.Contains(s.LastPasswordId.Value))
            .OrderBy(s => s.Identity)
            .Select(s => new { s.LastPasswordId, s.Identity }).ToListAsync(ct);
        return entries.Select(e =>
        {
            var names = users.Where(u => u.LastPasswordId == e.Id).Select(u => u.Identity).ToList();
            return new RotationSourceEntry(e.Id, e.Label, e.State, names.Count, names.Take(NamedStations).ToList(), e.State == PasswordState.Active && names.Count == 0);
        }).ToList();
    }

    /// <summary>Disables every Active source entry; refuses (and changes nothing) while a station still uses one.</summary>
    public async Task<Result<IReadOnlyList<RotationSourceEntry>>> RetireSourceAsync(Guid rotationId, CancellationToken ct)
    {
        var entries = await SourceEntriesAsync(rotationId, ct);
        if (!entries.IsSuccess)
        {
            return entries.Error!;
        }

        var active = entries.Value!.Where(e => e.State == PasswordState.Active).ToList();
        if (active.Count == 0)
        {
            return new Error(ErrorKind.Conflict, "NothingToRetire", "The rotation has no active source entry to retire.");
        }

        var inUse = active.Where(e => e.StationsUsing > 0).ToList();
        if (inUse.Count > 0)
        {
            var used = inUse[0];
            return new Error(ErrorKind.Conflict, "SourceInUse",
                $"The source entry '{used.Label}' is still used by {used.StationsUsing} station(s) that were not rotated ({string.Join(", ", used.SomeStations)}{(used.StationsUsing > used.SomeStations.Count ? ", …" : "")}); "
                + "retiring it would lock them out. Rotate or retry them first. Nothing was changed.");
        }

        foreach (var entry in active)
        {
            // The pool's own disable: audited there too, and the front door's index is rebuilt at once.
            var disabled = await pool.SetStateAsync(entry.Id, PasswordState.Disabled, force: false, ct);
            if (!disabled.IsSuccess)
            {
                return disabled.Error!;
            }
        }

        audit.Add("OcppSecurity.RotationSourceRetired", rotationId.ToString(), new { passwordIds = active.Select(e => e.Id).ToList() });
        await db.SaveChangesAsync(ct);
        return await SourceEntriesAsync(rotationId, ct);
    }

    private static Guid? SourcePasswordId(string sourceJson)
    {
        using var source = JsonDocument.Parse(sourceJson);
        return source.RootElement.TryGetProperty("passwordId", out var id) && id.ValueKind == JsonValueKind.String && id.TryGetGuid(out var guid) ? guid : null;
    }
}
