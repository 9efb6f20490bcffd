using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Access;
using Voltgate.Core.Audit;
using Voltgate.Core.Common;
using Voltgate.Core.Data;
using Voltgate.Core.Tenancy;

namespace Voltgate.Core.Stations;

public sealed record CreateStationCommand(
    string? Identity,
    Guid? CompanyId,
    IReadOnlyList<string>? AllowedVariants,
    RegistrationStatus? RegistrationStatus,
    IReadOnlyList<Guid>? PinnedPasswordIds,
    string? Note);

public sealed record UpdateStationCommand(
    Guid? CompanyId,
    IReadOnlyList<string>? AllowedVariants,
    RegistrationStatus? RegistrationStatus,
    IReadOnlyList<Guid>? PinnedPasswordIds,
    string? Note,
    bool? Active);

public sealed class StationService(
    VoltgateDbContext db,
    ITenantContext tenant,
    AuditLog audit,
    TimeProvider time,
    IStationDirectory directory,
    IStationChangeNotifier notifier,
    CallerAccess? access = null)
{
    private Guid TenantId => tenant.TenantId ?? throw new InvalidOperationException("No tenant.");

    public static string? IdentityProblem(string? identity) => identity switch
    {
        null or "" => "An identity is required.",
        { Length: > Station.MaxIdentityLength } => $"The identity may have at most {Station.MaxIdentityLength} characters.",
        _ when identity.Contains('/', StringComparison.Ordinal) => "The identity may not contain '/'.",
        _ when identity.Contains(':', StringComparison.Ordinal) => "The identity may not contain ':' (it is the Basic Auth username).",
        _ when identity.Any(char.IsControl) || identity.Trim() != identity => "The identity may not contain control characters or leading/trailing spaces.",
        _ => null,
    };

    public async Task<Result<Station>> CreateAsync(CreateStationCommand command, Guid defaultCompanyId, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (IdentityProblem(command.Identity) is { } identityProblem)
        {
            errors["identity"] = [identityProblem];
        }

        var variants = command.AllowedVariants ?? ConnectionVariants.Default;
        if (VariantsProblem(variants) is { } variantProblem)
        {
            errors["allowedVariants"] = [variantProblem];
        }

        var companyId = command.CompanyId ?? defaultCompanyId;
        if (!await db.Companies.AnyAsync(c => c.Id == companyId, ct))
        {
            errors["companyId"] = ["No such company."];
        }

        var pinned = command.PinnedPasswordIds ?? [];
        if (await PinnedProblemAsync(pinned, ct) is { } pinnedProblem)
        {
            errors["pinnedPasswordIds"] = [pinnedProblem];
        }

        if (command.Note is { Length: > 1000 })
        {
            errors["note"] = ["The note may have at most 1000 characters."];
        }

        if (errors.Count > 0)
        {
            return new Error(ErrorKind.Validation, "ValidationFailed", "The station was not created.", errors);
        }

        if (await db.Stations.AnyAsync(s => s.Identity == command.Identity, ct))
        {
            return new Error(ErrorKind.Conflict, "DuplicateIdentity", $"A station with identity '{command.Identity}' already exists.");
        }

        var station = new Station
        {
            TenantId = TenantId,
            Identity = command.Identity!,
            CompanyId = companyId,
            AllowedVariants = [.. variants.Distinct()],
            RegistrationStatus = command.RegistrationStatus ?? RegistrationStatus.Accepted,
            PinnedPasswordIds = [.. pinned.Distinct()],
            Note = command.Note,
            CreatedAt = time.GetUtcNow(),
        };
        db.Stations.Add(station);
        audit.Add("Station.Created", station.Identity, new { station.AllowedVariants, station.RegistrationStatus, station.CompanyId });
        await db.SaveChangesAsync(ct);
        directory.Invalidate(TenantId, station.Identity);
        await notifier.StationChangedAsync(TenantId, station.Identity);
        return station;
    }

    public async Task<Result<Station>> UpdateAsync(string identity, UpdateStationCommand command, CancellationToken ct)
    {
        var station = await db.Stations.FirstOrDefaultAsync(s => s.Identity == identity, ct);
        if (station is null)
        {
            return Error.NotFound("Station");
        }

        if (command.AllowedVariants is { } variants)
        {
            if (VariantsProblem(variants) is { } problem)
            {
                return Error.Validation("allowedVariants", "InvalidVariant", problem);
            }

            station.AllowedVariants = [.. variants.Distinct()];
        }

        if (command.PinnedPasswordIds is { } pinned)
        {
            if (await PinnedProblemAsync(pinned, ct) is { } problem)
            {
                return Error.Validation("pinnedPasswordIds", "UnknownPassword", problem);
            }

            station.PinnedPasswordIds = [.. pinned.Distinct()];
        }

        if (command.CompanyId is { } companyId)
        {
            if (!await db.Companies.AnyAsync(c => c.Id == companyId, ct))
            {
                return Error.Validation("companyId", "UnknownCompany", "No such company.");
            }

            station.CompanyId = companyId;
        }

        if (command.Note is { Length: > 1000 })
        {
            return Error.Validation("note", "TooLong", "The note may have at most 1000 characters.");
        }

        station.RegistrationStatus = command.RegistrationStatus ?? station.RegistrationStatus;
        station.Note = command.Note ?? station.Note;
        station.Active = command.Active ?? station.Active;
        audit.Add("Station.Updated", station.Identity, command);
        await db.SaveChangesAsync(ct);
        directory.Invalidate(TenantId, station.Identity);
        await notifier.StationChangedAsync(TenantId, station.Identity);
        return station;
    }

    public async Task<Result<Station>> GetAsync(string identity, CancellationToken ct)
    {
        var station = await db.Stations.AsNoTracking().FirstOrDefaultAsync(s => s.Identity == identity, ct);
        return station is null ? Error.NotFound("Station") : station;
    }

    public async Task<(IReadOnlyList<Station> Items, int Total)> ListAsync(int skip, int take, CancellationToken ct)
    {
        var total = await db.Stations.CountAsync(ct);
        var items = await db.Stations.AsNoTracking().OrderBy(s => s.Identity).Skip(skip).Take(take).ToListAsync(ct);
        return (items, total);
    }

    public async Task<Result<(IReadOnlyList<ConnectionAttempt> Items, int Total)>> ConnectionAttemptsAsync(string identity, int skip, int take, CancellationToken ct)
    {
        var query = db.ConnectionAttempts.AsNoTracking().Where(a => a.Identity == identity);
        var total = await query.CountAsync(ct);
        // Attempts are not company-owned rows: a scoped caller sees them only for a station it can see.
        if ((total == 0 || access?.Restricted == true) && !await db.Stations.AnyAsync(s => s.Identity == identity, ct))
        {
            return Error.NotFound("Station");
        }

        var items = await query.OrderByDescending(a => a.At).ThenByDescending(a => a.Id).Skip(skip).Take(take).ToListAsync(ct);
        return (items, total);
    }

    private static string? VariantsProblem(IReadOnlyList<string> variants)
    {
        if (variants.Count == 0)
        {
            return "At least one connection variant is required.";
        }

        var unknown = variants.Where(v => !ConnectionVariants.IsKnown(v)).ToList();
        return unknown.Count == 0
            ? null
            : $"Unknown connection variant(s): {string.Join(", ", unknown)}. Known: {string.Join(", ", ConnectionVariants.All)}.";
    }

    private async Task<string?> PinnedProblemAsync(IReadOnlyList<Guid> pinned, CancellationToken ct)
    {
        if (pinned.Count == 0)
        {
            return null;
        }

        var ids = pinned.Distinct().ToList();
        var found = await db.BasicAuthPasswords.CountAsync(p => ids.Contains(p.Id), ct);
        return found == ids.Count ? null : "A pinned password entry does not exist in this tenant's pool.";
    }
}

/// <summary>Tells other nodes that a station record changed (in-process: nothing to tell; Redis: a publish).</summary>
public interface IStationChangeNotifier
{
    Task StationChangedAsync(Guid tenantId, string identity);
}

public sealed class LocalStationChangeNotifier : IStationChangeNotifier
{
    public Task StationChangedAsync(Guid tenantId, string identity) => Task.CompletedTask;
}
