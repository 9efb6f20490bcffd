using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Data;

namespace Voltgate.Core.OcppSecurity.Rotation;

/// <summary>How many of the source's stations one hardware profile applies to, and whether the target fits it.</summary>
public sealed record RotationProfileCheck(string ProfileId, string ProfileName, int Stations, bool TargetFits, IReadOnlyList<string> SomeStations);

/// <summary>
/// What the wizard shows before a rotation is created. Informative only: <see cref="RotationService.CreateAsync"/>
/// checks every station again and is the one that refuses.
/// </summary>
/// <param name="TargetProblem">Why OCPP 1.6 cannot carry the target (null when it can, or when it is generated).</param>
public sealed record RotationPreviewResult(int Stations, IReadOnlyList<string> UnknownIdentities, int AlreadyOnTarget, IReadOnlyList<RotationProfileCheck> Profiles, string? TargetProblem);

/// <summary>Resolves a rotation's source the way the service does (within the caller's data scope) and checks the target's fit.</summary>
public sealed class RotationPreview(VoltgateDbContext db, SecretProtector protector)
{
    private const int NamedStations = 10;

    /// <param name="targetPasswordId">An existing target entry; null for a generated one (always 32–40 hex characters).</param>
    public async Task<RotationPreviewResult> CheckAsync(RotationSource source, Guid? targetPasswordId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(source);
        var query = db.Stations.AsNoTracking();
        var unknown = new List<string>();
        if (source.PasswordId is { } passwordId)
        {
            query = query.Where(s => s.LastPasswordId == passwordId);
        }
        else if (source.CompanyId is { } companyId)
        {
            query = query.Where(s => s.CompanyId == companyId);
        }
        else
        {
            var identities = (source.StationIdentities ?? []).Distinct(StringComparer.Ordinal).ToList();
            query = query.Where(s => identities.Contains(s.Identity));
            var known = await query.Select(s => s.Identity).ToListAsync(ct);
            unknown = identities.Except(known, StringComparer.Ordinal).ToList();
        }

        var stations = await query.OrderBy(s => s.Identity)
            .Select(s => new { s.Identity, s.Vendor, s.Model, s.FirmwareVersion, s.LastPasswordId }).ToListAsync(ct);

        string? secret = null;
        if (targetPasswordId is { } targetId && await db.BasicAuthPasswords.AsNoTracking().FirstOrDefaultAsync(p => p.Id == targetId, ct) is { } entry)
        {
            secret = protector.Unprotect(entry.ProtectedSecret);
        }

        var profiles = HardwareProfiles.All.Select(profile =>
        {
            var matching = stations.Where(s => profile.AppliesTo(s.Vendor, s.Model, s.FirmwareVersion)).Select(s => s.Identity).ToList();
            return new RotationProfileCheck(profile.Id, profile.Name, matching.Count, secret is null || profile.Fits(secret), matching.Take(NamedStations).ToList());
        }).ToList();
        return new RotationPreviewResult(
            stations.Count,
            unknown,
            targetPasswordId is null ? 0 : stations.Count(s => s.LastPasswordId == targetPasswordId),
            profiles,
            secret is null ? null : AuthorizationKeyEncoding.Problem(secret));
    }
}
