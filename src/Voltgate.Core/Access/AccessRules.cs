using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Common;
using Voltgate.Core.Data;
using Voltgate.Core.Tenancy;

namespace Voltgate.Core.Access;

/// <summary>
/// Rules shared by users and groups: nobody may lock the tenant out of user management, nor take their own
/// User management right away, nor hand out a data scope wider than their own.
/// </summary>
public sealed class AccessRules(VoltgateDbContext db, ITenantContext tenant, CallerAccess caller)
{
    public static readonly Error LastManager = new(ErrorKind.Conflict, "LastUserManager",
        "This change would leave no active user who can manage users; nobody could administer the tenant anymore.");

    public static readonly Error OwnManageRight = new(ErrorKind.Conflict, "OwnUserManagementRight",
        "You cannot remove your own User management right. Ask another administrator to do it.");

    /// <summary>
    /// Whether the current caller would still hold User management, and how many active users would, if the given
    /// overrides were applied: a group's rights, a user's active flag, a user's set of groups.
    /// </summary>
    public async Task<Error?> CheckManagersAsync(
        (Guid GroupId, bool GrantsManage)? group = null,
        (Guid UserId, bool Active)? userActive = null,
        (Guid UserId, IReadOnlyCollection<Guid> GroupIds)? userGroups = null,
        CancellationToken ct = default)
    {
        var managerGroups = (await db.Groups.Where(g => g.Rights.Any(r => r.Right == Right.UsersManage)).Select(g => g.Id).ToListAsync(ct)).ToHashSet();
        if (group is { } gc)
        {
            if (gc.GrantsManage)
            {
                managerGroups.Add(gc.GroupId);
            }
            else
            {
                managerGroups.Remove(gc.GroupId);
            }
        }

        var ids = managerGroups.ToList();
        var pairs = await db.GroupMembers.Where(m => ids.Contains(m.GroupId)).Select(m => new { m.UserId, m.GroupId }).ToListAsync(ct);
        var managers = pairs.Select(p => p.UserId).ToHashSet();
        if (userGroups is { } ug)
        {
            managers.Remove(ug.UserId);
            if (ug.GroupIds.Any(managerGroups.Contains))
            {
                managers.Add(ug.UserId);
            }
        }

        var tenantId = tenant.TenantId;
        var candidates = managers.ToList();
        // Counted across the whole tenant, whatever the caller's data scope (a reviewed IgnoreQueryFilters).
        var active = await db.Users.IgnoreQueryFilters()
            .Where(u => u.TenantId == tenantId && u.Active && candidates.Contains(u.Id))
            .Select(u => u.Id).ToListAsync(ct);
        var activeManagers = active.ToHashSet();
        if (userActive is { Active: false } ua)
        {
            activeManagers.Remove(ua.UserId);
        }

        if (caller.UserId is { } me && caller.Has(Right.UsersManage) && !activeManagers.Contains(me))
        {
            return activeManagers.Count == 0 ? LastManager : OwnManageRight;
        }

        return activeManagers.Count == 0 ? LastManager : null;
    }

    /// <summary>A caller may only create, change or hand out groups whose scope is not wider than their own.</summary>
    public Error? CheckScope(DataScope requested, Guid companyId)
    {
        if (caller.UserId is null)
        {
            return null;
        }

        if (CallerAccess.Rank(requested) > CallerAccess.Rank(caller.Scope))
        {
            return new Error(ErrorKind.Forbidden, "ScopeExceedsCaller",
                $"Your data scope is {caller.Scope}; you cannot create or change a group with the wider scope {requested}.");
        }

        return caller.Sees(companyId) ? null : Error.NotFound("The company");
    }
}
