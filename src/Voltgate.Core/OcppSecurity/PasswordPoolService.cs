using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Audit;
using Voltgate.Core.Common;
using Voltgate.Core.Data;
using Voltgate.Core.Stations;
using Voltgate.Core.Tenancy;

namespace Voltgate.Core.OcppSecurity;

public sealed record AddPasswordCommand(string? Label, string? Note, string? Password, bool IsHex, int? GenerateLength, bool EnforceProfiles = false);

public sealed record PasswordUsage(string Identity, DateTimeOffset? LastUsedAt);

public sealed record PasswordEntryView(
    Guid Id,
    string Label,
    string? Note,
    int Length,
    bool IsHex,
    PasswordState State,
    DateTimeOffset CreatedAt,
    string CreatedBy,
    int StationCount,
    DateTimeOffset? LastUsedAt,
    IReadOnlyList<string> Profiles);

public sealed record ProfileFit(string ProfileId, string ProfileName, bool Fits);

/// <summary>The pool entry a station uses and, per hardware profile that applies to the station, whether it fits.</summary>
public sealed record StationPasswordFit(Guid? PasswordId, string? PasswordLabel, IReadOnlyList<ProfileFit> Profiles);

/// <summary>The result of adding an entry: the only moment besides Reveal when the secret leaves the server.</summary>
public sealed record AddedPassword(PasswordEntryView Entry, string Password, IReadOnlyList<string> Warnings);

/// <summary>
/// The tenant's BasicAuth password pool. Secrets are write-once; every change is audited and
/// invalidates the in-memory index the front door matches against.
/// </summary>
public sealed class PasswordPoolService(
    VoltgateDbContext db,
    ITenantContext tenant,
    SecretProtector protector,
    PoolHmacKey hmacKey,
    PasswordPoolCache cache,
    IPoolChangeNotifier notifier,
    AuditLog audit,
    TimeProvider time)
{
    public const int MaxLabelLength = 100;
    public const int MaxNoteLength = 1000;

    private Guid TenantId => tenant.TenantId ?? throw new InvalidOperationException("No tenant.");

    public async Task<(IReadOnlyList<PasswordEntryView> Items, int Total)> ListAsync(int skip, int take, CancellationToken ct)
    {
        var total = await db.BasicAuthPasswords.CountAsync(ct);
        var rows = await db.BasicAuthPasswords.AsNoTracking().OrderBy(p => p.CreatedAt).Skip(skip).Take(take).ToListAsync(ct);
        var usage = await UsageByEntryAsync(rows.Select(r => r.Id).ToList(), ct);
        return (rows.Select(r => ToView(r, usage)).ToList(), total);
    }

    public async Task<Result<PasswordEntryView>> GetAsync(Guid id, CancellationToken ct)
    {
        var row = await db.BasicAuthPasswords.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (row is null)
        {
            return Error.NotFound("BasicAuth password");
        }

        return ToView(row, await UsageByEntryAsync([id], ct));
    }

    /// <summary>
    /// Adds an entered or generated password. A broken password rule comes back in the <c>password</c> field errors
    /// as its code (<see cref="BasicAuthPasswordRules.AllCodes"/>), for the host to word in the caller's language.
    /// </summary>
    public async Task<Result<AddedPassword>> AddAsync(AddPasswordCommand command, string createdBy, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        var label = command.Label?.Trim();
        if (string.IsNullOrEmpty(label))
        {
            errors["label"] = ["A label is required."];
        }
        else if (label.Length > MaxLabelLength)
        {
            errors["label"] = [$"The label may have at most {MaxLabelLength} characters."];
        }

        if (command.Note is { Length: > MaxNoteLength })
        {
            errors["note"] = [$"The note may have at most {MaxNoteLength} characters."];
        }

        string? secret = command.Password;
        var isHex = command.IsHex;
        if (command.GenerateLength is { } length)
        {
            if (command.Password is not null)
            {
                errors["password"] = ["Either enter a password or ask for a generated one, not both."];
            }
            else if (!BasicAuthPasswordGenerator.AllowedHexLengths.Contains(length))
            {
                errors["generate.length"] = [$"A generated password has one of these lengths: {string.Join(", ", BasicAuthPasswordGenerator.AllowedHexLengths)}."];
            }
            else
            {
                secret = BasicAuthPasswordGenerator.GenerateHex(length);
            }
        }
        else
        {
            foreach (var fieldError in BasicAuthPasswordRules.Validate(secret, isHex))
            {
                // The rule's code, not a sentence: the host words it in the caller's language.
                errors[fieldError.Field] = [.. errors.GetValueOrDefault(fieldError.Field, []), fieldError.Code];
            }
        }

        if (errors.Count > 0 || secret is null)
        {
            return new Error(ErrorKind.Validation, "ValidationFailed", "The BasicAuth password was not added.", errors);
        }

        var warnings = await ProfileWarningsAsync(secret, ct);
        if (warnings.Count > 0 && command.EnforceProfiles)
        {
            return new Error(ErrorKind.Validation, "HardwareProfileMismatch", "The password does not suit stations of this tenant.",
                new Dictionary<string, string[]> { ["password"] = [.. warnings] });
        }

        var fingerprint = hmacKey.Fingerprint(secret);
        if (await db.BasicAuthPasswords.AnyAsync(p => p.Fingerprint == fingerprint, ct))
        {
            return new Error(ErrorKind.Validation, "DuplicatePassword", "This password already exists in the pool. Use the existing entry or choose another password.",
                new Dictionary<string, string[]> { ["password"] = ["This password already exists in the pool."] });
        }

        var entry = new BasicAuthPassword
        {
            TenantId = TenantId,
            Label = label!,
            Note = command.Note,
            ProtectedSecret = protector.Protect(secret),
            Fingerprint = fingerprint,
            Length = secret.Length,
            IsHex = isHex,
            CreatedAt = time.GetUtcNow(),
            CreatedBy = createdBy,
        };
        db.BasicAuthPasswords.Add(entry);
        audit.Add("OcppSecurity.PasswordAdded", entry.Id.ToString(), new { entry.Label, entry.Length, entry.IsHex, generated = command.GenerateLength is not null });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            return new Error(ErrorKind.Conflict, "DuplicatePassword", "This password already exists in the pool.");
        }

        await PoolChangedAsync();
        return new AddedPassword(ToView(entry, new Dictionary<Guid, (int, DateTimeOffset?)>()), secret, warnings);
    }

    public async Task<Result<PasswordEntryView>> UpdateAsync(Guid id, string? label, string? note, bool noteGiven, CancellationToken ct)
    {
        var entry = await db.BasicAuthPasswords.FirstOrDefaultAsync(p => p.Id == id, ct);
        if (entry is null)
        {
            return Error.NotFound("BasicAuth password");
        }

        var before = new { entry.Label, entry.Note };
        if (label is not null)
        {
            label = label.Trim();
            if (label.Length == 0)
            {
                return Error.Validation("label", "Required", "A label is required.");
            }

            if (label.Length > MaxLabelLength)
            {
                return Error.Validation("label", "TooLong", $"The label may have at most {MaxLabelLength} characters.");
            }

            entry.Label = label;
        }

        if (noteGiven)
        {
            if (note is { Length: > MaxNoteLength })
            {
                return Error.Validation("note", "TooLong", $"The note may have at most {MaxNoteLength} characters.");
            }

            entry.Note = note;
        }

        audit.Add("OcppSecurity.PasswordEdited", entry.Id.ToString(), new { before, after = new { entry.Label, entry.Note } });
        await db.SaveChangesAsync(ct);
        return ToView(entry, await UsageByEntryAsync([id], ct));
    }

    public async Task<Result<PasswordEntryView>> SetStateAsync(Guid id, PasswordState state, bool force, CancellationToken ct)
    {
        var entry = await db.BasicAuthPasswords.FirstOrDefaultAsync(p => p.Id == id, ct);
        if (entry is null)
        {
            return Error.NotFound("BasicAuth password");
        }

        if (entry.State == state)
        {
            return ToView(entry, await UsageByEntryAsync([id], ct));
        }

        var users = await StationsUsingAsync(id, ct);
        if (state == PasswordState.Disabled && users.Count > 0 && !force)
        {
            return InUse("disabled", users);
        }

        entry.State = state;
        entry.DisabledAt = state == PasswordState.Disabled ? time.GetUtcNow() : null;
        audit.Add(state == PasswordState.Disabled ? "OcppSecurity.PasswordDisabled" : "OcppSecurity.PasswordEnabled", entry.Id.ToString(),
            new { entry.Label, affectedStations = users.Select(u => u.Identity).ToList(), force });
        await db.SaveChangesAsync(ct);
        await PoolChangedAsync();
        return ToView(entry, await UsageByEntryAsync([id], ct));
    }

    public async Task<Result<IReadOnlyList<PasswordUsage>>> DeleteAsync(Guid id, bool force, CancellationToken ct)
    {
        var entry = await db.BasicAuthPasswords.FirstOrDefaultAsync(p => p.Id == id, ct);
        if (entry is null)
        {
            return Error.NotFound("BasicAuth password");
        }

        var users = await StationsUsingAsync(id, ct);
        if (users.Count > 0 && !force)
        {
            return InUse("deleted", users);
        }

        db.BasicAuthPasswords.Remove(entry);
        await db.Stations.Where(s => s.LastPasswordId == id).ExecuteUpdateAsync(u => u.SetProperty(s => s.LastPasswordId, (Guid?)null), ct);
        audit.Add("OcppSecurity.PasswordDeleted", entry.Id.ToString(), new { entry.Label, affectedStations = users.Select(u => u.Identity).ToList(), force });
        await db.SaveChangesAsync(ct);
        await PoolChangedAsync();
        return Result.Ok(users);
    }

    public async Task<Result<string>> RevealAsync(Guid id, CancellationToken ct)
    {
        var entry = await db.BasicAuthPasswords.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        if (entry is null)
        {
            return Error.NotFound("BasicAuth password");
        }

        audit.Add("OcppSecurity.PasswordRevealed", entry.Id.ToString(), new { entry.Label });
        await db.SaveChangesAsync(ct);
        return protector.Unprotect(entry.ProtectedSecret);
    }

    /// <summary>
    /// Whether the password a station last authenticated with suits the hardware profiles that apply to its model
    /// (e.g. a KEBA x-series with firmware 1.15+ needs 32-40 hex characters).
    /// </summary>
    public async Task<StationPasswordFit> FitForStationAsync(Station station, CancellationToken ct)
    {
        if (station.LastPasswordId is not { } id
            || await db.BasicAuthPasswords.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct) is not { } entry)
        {
            return new StationPasswordFit(null, null, []);
        }

        var secret = protector.Unprotect(entry.ProtectedSecret);
        var fits = HardwareProfiles.All
            .Where(p => p.AppliesTo(station.Vendor, station.Model, station.FirmwareVersion))
            .Select(p => new ProfileFit(p.Id, p.Name, p.Fits(secret)))
            .ToList();
        return new StationPasswordFit(entry.Id, entry.Label, fits);
    }

    /// <summary>The stations whose last successful handshake used the entry, newest first.</summary>
    public async Task<IReadOnlyList<PasswordUsage>> StationsUsingAsync(Guid id, CancellationToken ct) =>
        await db.Stations.AsNoTracking().Where(s => s.LastPasswordId == id)
            .OrderByDescending(s => s.LastAuthenticatedAt)
            .Select(s => new PasswordUsage(s.Identity, s.LastAuthenticatedAt))
            .ToListAsync(ct);

    /// <summary>Warnings for hardware profiles that apply to stations of this tenant and that the secret does not fit.</summary>
    public async Task<IReadOnlyList<string>> ProfileWarningsAsync(string secret, CancellationToken ct) =>
        (await ApplicableProfilesAsync(ct))
            .Where(p => !p.Fits(secret))
            .Select(p => $"Stations of this tenant are {p.Name}; this password does not suit them.")
            .ToList();

    /// <summary>
    /// The hardware profiles that apply to at least one station of this tenant (from BootNotification), so a form can
    /// warn while the operator types instead of after saving.
    /// </summary>
    public async Task<IReadOnlyList<HardwareProfile>> ApplicableProfilesAsync(CancellationToken ct)
    {
        var models = await db.Stations.AsNoTracking().Where(s => s.Vendor != null)
            .Select(s => new { s.Vendor, s.Model, s.FirmwareVersion }).Distinct().ToListAsync(ct);
        return HardwareProfiles.All.Where(p => models.Any(m => p.AppliesTo(m.Vendor, m.Model, m.FirmwareVersion))).ToList();
    }

    private static Error InUse(string verb, IReadOnlyList<PasswordUsage> users) =>
        new(ErrorKind.Conflict, "PasswordInUse",
            $"{users.Count} station(s) authenticated with this password. If it is {verb}, they cannot connect any more. Repeat with force=true to do it anyway.",
            Extensions: new { stations = users });

    private async Task PoolChangedAsync()
    {
        cache.Invalidate(TenantId);
        await notifier.PoolChangedAsync(TenantId);
    }

    private async Task<Dictionary<Guid, (int Count, DateTimeOffset? LastUsed)>> UsageByEntryAsync(List<Guid> ids, CancellationToken ct)
    {
        var usage = await db.Stations.AsNoTracking()
            .Where(s => s.LastPasswordId != null && ids.Contains(s.LastPasswordId.Value))
            .GroupBy(s => s.LastPasswordId!.Value)
            .Select(g => new { Id = g.Key, Count = g.Count(), Last = g.Max(s => s.LastAuthenticatedAt) })
            .ToListAsync(ct);
        return usage.ToDictionary(u => u.Id, u => (u.Count, u.Last));
    }

    private PasswordEntryView ToView(BasicAuthPassword p, IReadOnlyDictionary<Guid, (int Count, DateTimeOffset? LastUsed)> usage)
    {
        var (count, last) = usage.TryGetValue(p.Id, out var u) ? u : (0, null);
        var secret = protector.Unprotect(p.ProtectedSecret);
        var profiles = HardwareProfiles.All.Where(h => h.Fits(secret)).Select(h => h.Id).ToList();
        return new PasswordEntryView(p.Id, p.Label, p.Note, p.Length, p.IsHex, p.State, p.CreatedAt, p.CreatedBy, count, last, profiles);
    }
}

/// <summary>Tells other nodes that a tenant's pool changed (in-process: nothing to tell; Redis: a publish).</summary>
public interface IPoolChangeNotifier
{
    Task PoolChangedAsync(Guid tenantId);
}

public sealed class LocalPoolChangeNotifier : IPoolChangeNotifier
{
    public Task PoolChangedAsync(Guid tenantId) => Task.CompletedTask;
}
