using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Audit;
using Voltgate.Core.Common;
using Voltgate.Core.Data;
using Voltgate.Core.Tenancy;

namespace Voltgate.Core.Access;

public sealed record UserView(Guid Id, string Username, string? DisplayName, string? Email, Guid CompanyId, IReadOnlyList<Guid> GroupIds,
    bool Active, string PreferredLanguage, bool TwoFactorEnabled, bool LockedOut, DateTimeOffset CreatedAt);

public sealed record CreateUserCommand(string? Username, string? DisplayName, string? Email, Guid? CompanyId, IReadOnlyList<Guid>? GroupIds, string? Password, string? PreferredLanguage);

public sealed record UpdateUserCommand(string? DisplayName, string? Email, Guid? CompanyId, IReadOnlyList<Guid>? GroupIds, bool? Active, string? PreferredLanguage);

/// <summary>Users of the tenant, as far as the caller's data scope reaches. Users are deactivated, never deleted.</summary>
public sealed class UserAdminService(
    VoltgateDbContext db,
    UserManager<VoltgateUser> users,
    ITenantContext tenant,
    CallerAccess caller,
    AccessRules rules,
    AuditLog audit,
    TimeProvider time)
{
    public static readonly IReadOnlyList<string> Languages = ["en", "de"];

    public async Task<(IReadOnlyList<UserView> Items, int Total)> ListAsync(int skip, int take, CancellationToken ct)
    {
        var query = db.Users.AsNoTracking().OrderBy(u => u.UserName);
        var total = await query.CountAsync(ct);
        var page = await query.Skip(skip).Take(take).ToListAsync(ct);
        return (await ToViewsAsync(page, ct), total);
    }

    public async Task<Result<UserView>> GetAsync(Guid id, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct);
        return user is null ? Error.NotFound("The user") : (await ToViewsAsync([user], ct))[0];
    }

    public async Task<Result<UserView>> CreateAsync(CreateUserCommand command, CancellationToken ct)
    {
        var username = command.Username?.Trim();
        if (string.IsNullOrEmpty(username))
        {
            return Error.Validation("username", "Required", "A login name is required.");
        }

        if (string.IsNullOrEmpty(command.Password))
        {
            return Error.Validation("password", "Required", "A password is required.");
        }

        var normalized = users.NormalizeName(username);
        var tenantId = tenant.TenantId;
        // Unique per tenant, whether or not the caller's data scope shows the other user (reviewed IgnoreQueryFilters).
        if (await db.Users.IgnoreQueryFilters().AnyAsync(u => u.TenantId == tenantId && u.NormalizedUserName == normalized, ct))
        {
            return new Error(ErrorKind.Conflict, "DuplicateUsername", $"The login name '{username}' is already used.",
                new Dictionary<string, string[]> { ["username"] = [$"The login name '{username}' is already used."] });
        }

        var companyId = command.CompanyId ?? caller.CompanyId ?? await RootCompanyIdAsync(ct);
        if (await CheckCompanyAsync(companyId, ct) is { } companyError)
        {
            return companyError;
        }

        var groupIds = (command.GroupIds ?? []).Distinct().ToList();
        if (await CheckGroupsAsync(groupIds, ct) is { } groupError)
        {
            return groupError;
        }

        var language = command.PreferredLanguage ?? "en";
        if (!Languages.Contains(language))
        {
            return Error.Validation("preferredLanguage", "UnknownLanguage", "The language must be 'en' or 'de'.");
        }

        var user = new VoltgateUser
        {
            TenantId = tenantId ?? throw new InvalidOperationException("No tenant."),
            CompanyId = companyId,
            UserName = username,
            DisplayName = command.DisplayName,
            Email = command.Email,
            PreferredLanguage = language,
            CreatedAt = time.GetUtcNow(),
        };
        foreach (var validator in users.PasswordValidators)
        {
            var check = await validator.ValidateAsync(users, user, command.Password);
            if (!check.Succeeded)
            {
                return WeakPassword(check);
            }
        }

        var created = await users.CreateAsync(user, command.Password);
        if (!created.Succeeded)
        {
            return IdentityError("username", created);
        }

        db.GroupMembers.AddRange(groupIds.Select(g => new GroupMember { GroupId = g, UserId = user.Id }));
        audit.Add("User.Created", user.UserName, new { user.CompanyId, groupIds, user.DisplayName, user.Email });
        await db.SaveChangesAsync(ct);
        return (await ToViewsAsync([user], ct))[0];
    }

    public async Task<Result<UserView>> UpdateAsync(Guid id, UpdateUserCommand command, CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return Error.NotFound("The user");
        }

        var before = (await ToViewsAsync([user], ct))[0];

        List<Guid>? newGroups = null;
        if (command.GroupIds is not null)
        {
            newGroups = command.GroupIds.Distinct().ToList();
            var added = newGroups.Except(before.GroupIds).ToList();
            if (await CheckGroupsAsync(added, ct) is { } groupError)
            {
                return groupError;
            }
        }

        if (command.Active == false || newGroups is not null)
        {
            var managerError = await rules.CheckManagersAsync(
                userActive: command.Active == false ? (id, false) : null,
                userGroups: newGroups is null ? null : (id, newGroups),
                ct: ct);
            if (managerError is not null)
            {
                return managerError;
            }
        }

        if (command.Active == false && id == caller.UserId)
        {
            return new Error(ErrorKind.Conflict, "CannotDeactivateSelf", "You cannot deactivate yourself.");
        }

        if (command.CompanyId is { } companyId && companyId != user.CompanyId)
        {
            if (await CheckCompanyAsync(companyId, ct) is { } companyError)
            {
                return companyError;
            }

            user.CompanyId = companyId;
        }

        if (command.PreferredLanguage is { } language)
        {
            if (!Languages.Contains(language))
            {
                return Error.Validation("preferredLanguage", "UnknownLanguage", "The language must be 'en' or 'de'.");
            }

            user.PreferredLanguage = language;
        }

        if (command.DisplayName is not null)
        {
            user.DisplayName = command.DisplayName;
        }

        if (command.Email is not null)
        {
            user.Email = command.Email.Length == 0 ? null : command.Email;
        }

        if (command.Active is { } active)
        {
            user.Active = active;
        }

        if (newGroups is not null)
        {
            var existing = await db.GroupMembers.Where(m => m.UserId == id).ToListAsync(ct);
            db.GroupMembers.RemoveRange(existing.Where(m => !newGroups.Contains(m.GroupId)));
            db.GroupMembers.AddRange(newGroups.Where(g => existing.All(m => m.GroupId != g)).Select(g => new GroupMember { GroupId = g, UserId = id }));
        }

        var updated = await users.UpdateAsync(user);
        if (!updated.Succeeded)
        {
            return IdentityError("user", updated);
        }

        var after = (await ToViewsAsync([user], ct))[0];
        var action = command.Active switch
        {
            false when before.Active => "User.Deactivated",
            true when !before.Active => "User.Reactivated",
            _ => "User.Updated",
        };
        audit.Add(action, user.UserName, new
        {
            before = new { before.DisplayName, before.Email, before.CompanyId, before.GroupIds, before.Active, before.PreferredLanguage },
            after = new { after.DisplayName, after.Email, after.CompanyId, after.GroupIds, after.Active, after.PreferredLanguage },
        });
        await db.SaveChangesAsync(ct);
        return after;
    }

    /// <summary>An administrator sets a new password; the user's lockout is lifted.</summary>
    public async Task<Result<UserView>> ResetPasswordAsync(Guid id, string? password, CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
        if (user is null)
        {
            return Error.NotFound("The user");
        }

        if (string.IsNullOrEmpty(password))
        {
            return Error.Validation("password", "Required", "A password is required.");
        }

        foreach (var validator in users.PasswordValidators)
        {
            var check = await validator.ValidateAsync(users, user, password);
            if (!check.Succeeded)
            {
                return WeakPassword(check);
            }
        }

        await users.RemovePasswordAsync(user);
        var result = await users.AddPasswordAsync(user, password);
        if (!result.Succeeded)
        {
            return WeakPassword(result);
        }

        await users.SetLockoutEndDateAsync(user, null);
        await users.ResetAccessFailedCountAsync(user);
        audit.Add("User.PasswordReset", user.UserName);
        await db.SaveChangesAsync(ct);
        return (await ToViewsAsync([user], ct))[0];
    }

    /// <summary>The signed-in user changes their own password (needs the current one).</summary>
    public async Task<Result<bool>> ChangeOwnPasswordAsync(Guid userId, string? current, string? next, CancellationToken ct)
    {
        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null)
        {
            return Error.NotFound("The user");
        }

        if (string.IsNullOrEmpty(current) || !await users.CheckPasswordAsync(user, current))
        {
            return Error.Validation("currentPassword", "WrongPassword", "The current password is not correct.");
        }

        var result = await users.ChangePasswordAsync(user, current, next ?? "");
        if (!result.Succeeded)
        {
            return WeakPassword(result);
        }

        audit.Add("User.PasswordChanged", user.UserName);
        await db.SaveChangesAsync(ct);
        return true;
    }

    public async Task<Result<bool>> SetOwnLanguageAsync(Guid userId, string language, CancellationToken ct)
    {
        if (!Languages.Contains(language))
        {
            return Error.Validation("preferredLanguage", "UnknownLanguage", "The language must be 'en' or 'de'.");
        }

        var user = await db.Users.FirstOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null)
        {
            return Error.NotFound("The user");
        }

        user.PreferredLanguage = language;
        await db.SaveChangesAsync(ct);
        return true;
    }

    private async Task<Guid> RootCompanyIdAsync(CancellationToken ct) =>
        await db.Companies.Where(c => c.ParentId == null).Select(c => c.Id).FirstAsync(ct);

    private async Task<Error?> CheckCompanyAsync(Guid companyId, CancellationToken ct)
    {
        if (!caller.Sees(companyId) || !await db.Companies.AnyAsync(c => c.Id == companyId, ct))
        {
            return Error.Validation("companyId", "UnknownCompany", "The company does not exist or is outside your data scope.");
        }

        return null;
    }

    private async Task<Error?> CheckGroupsAsync(List<Guid> groupIds, CancellationToken ct)
    {
        var groups = await db.Groups.AsNoTracking().Where(g => groupIds.Contains(g.Id)).ToListAsync(ct);
        if (groups.Count != groupIds.Count)
        {
            return Error.Validation("groupIds", "UnknownGroup", "At least one group does not exist.");
        }

        return groups.Select(g => rules.CheckScope(g.DataScope, g.CompanyId)).FirstOrDefault(e => e is not null);
    }

    private async Task<List<UserView>> ToViewsAsync(IReadOnlyList<VoltgateUser> page, CancellationToken ct)
    {
        var ids = page.Select(u => u.Id).ToList();
        var memberships = await db.GroupMembers.AsNoTracking().Where(m => ids.Contains(m.UserId)).ToListAsync(ct);
        var now = time.GetUtcNow();
        return page.Select(u => new UserView(u.Id, u.UserName ?? "", u.DisplayName, u.Email, u.CompanyId,
            memberships.Where(m => m.UserId == u.Id).Select(m => m.GroupId).ToList(), u.Active, u.PreferredLanguage,
            u.TwoFactorEnabled, u.LockoutEnd is { } end && end > now, u.CreatedAt)).ToList();
    }

    private static Error WeakPassword(IdentityResult result)
    {
        var messages = result.Errors.Select(e => e.Description).ToArray();
        return new Error(ErrorKind.Validation, "WeakPassword", "The password does not meet the password policy: " + string.Join(" ", messages),
            new Dictionary<string, string[]> { ["password"] = messages });
    }

    private static Error IdentityError(string field, IdentityResult result)
    {
        var messages = result.Errors.Select(e => e.Description).ToArray();
        return new Error(ErrorKind.Validation, result.Errors.FirstOrDefault()?.Code ?? "Invalid", string.Join(" ", messages),
            new Dictionary<string, string[]> { [field] = messages });
    }
}
