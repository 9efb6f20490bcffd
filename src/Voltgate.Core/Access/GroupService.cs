using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Audit;
using Voltgate.Core.Common;
using Voltgate.Core.Data;
using Voltgate.Core.Tenancy;

namespace Voltgate.Core.Access;

public sealed record GroupView(Guid Id, string Name, string? Description, DataScope DataScope, Guid CompanyId, int MemberCount, IReadOnlyList<string> Rights);

public sealed record CreateGroupCommand(string? Name, string? Description, DataScope? DataScope, Guid? CompanyId);

public sealed record UpdateGroupCommand(string? Name, string? Description, DataScope? DataScope, Guid? CompanyId);

public sealed record RightState(string Name, string Tab, string Label, string LabelDe, bool Granted);

public sealed record RightChange(string? Name, bool Granted);

/// <summary>Groups: a set of rights plus a data scope. Rights are edited as a whole catalogue of YES/NO switches.</summary>
public sealed class GroupService(VoltgateDbContext db, ITenantContext tenant, CallerAccess caller, AccessRules rules, AuditLog audit)
{
    public async Task<(IReadOnlyList<GroupView> Items, int Total)> ListAsync(int skip, int take, CancellationToken ct)
    {
        var query = db.Groups.AsNoTracking().OrderBy(g => g.Name);
        var total = await query.CountAsync(ct);
        var items = await query.Skip(skip).Take(take).Include(g => g.Rights).Include(g => g.Members).AsSplitQuery().ToListAsync(ct);
        return (items.Select(ToView).ToList(), total);
    }

    public async Task<Result<GroupView>> GetAsync(Guid id, CancellationToken ct)
    {
        var group = await LoadAsync(id, ct);
        return group is null ? Error.NotFound("The group") : ToView(group);
    }

    public async Task<Result<GroupView>> CreateAsync(CreateGroupCommand command, CancellationToken ct)
    {
        var name = command.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 100)
        {
            return Error.Validation("name", "Required", "A group name of 1 to 100 characters is required.");
        }

        if (await db.Groups.AnyAsync(g => g.Name == name, ct))
        {
            return DuplicateName(name);
        }

        var companyId = command.CompanyId ?? caller.CompanyId ?? await db.Companies.Where(c => c.ParentId == null).Select(c => c.Id).FirstAsync(ct);
        if (!await db.Companies.AnyAsync(c => c.Id == companyId, ct))
        {
            return Error.Validation("companyId", "UnknownCompany", "The company does not exist.");
        }

        var scope = command.DataScope ?? DataScope.Company;
        if (rules.CheckScope(scope, companyId) is { } scopeError)
        {
            return scopeError;
        }

        var group = new Group
        {
            TenantId = tenant.TenantId ?? throw new InvalidOperationException("No tenant."),
            Name = name,
            Description = command.Description,
            DataScope = scope,
            CompanyId = companyId,
        };
        db.Groups.Add(group);
        audit.Add("Group.Created", group.Name, new { group.DataScope, group.CompanyId, group.Description });
        await db.SaveChangesAsync(ct);
        return ToView(group);
    }

    public async Task<Result<GroupView>> UpdateAsync(Guid id, UpdateGroupCommand command, CancellationToken ct)
    {
        var group = await LoadAsync(id, ct, tracked: true);
        if (group is null)
        {
            return Error.NotFound("The group");
        }

        if (rules.CheckScope(group.DataScope, group.CompanyId) is { } currentScopeError)
        {
            return currentScopeError;
        }

        var before = new { group.Name, group.Description, group.DataScope, group.CompanyId };
        if (command.Name is not null)
        {
            var name = command.Name.Trim();
            if (name.Length is 0 or > 100)
            {
                return Error.Validation("name", "Required", "A group name of 1 to 100 characters is required.");
            }

            if (name != group.Name && await db.Groups.AnyAsync(g => g.Name == name && g.Id != id, ct))
            {
                return DuplicateName(name);
            }

            group.Name = name;
        }

        if (command.CompanyId is { } companyId && !await db.Companies.AnyAsync(c => c.Id == companyId, ct))
        {
            return Error.Validation("companyId", "UnknownCompany", "The company does not exist.");
        }

        var scope = command.DataScope ?? group.DataScope;
        var company = command.CompanyId ?? group.CompanyId;
        if (rules.CheckScope(scope, company) is { } scopeError)
        {
            return scopeError;
        }

        group.DataScope = scope;
        group.CompanyId = company;
        if (command.Description is not null)
        {
            group.Description = command.Description;
        }

        audit.Add("Group.Updated", group.Name, new { before, after = new { group.Name, group.Description, group.DataScope, group.CompanyId } });
        await db.SaveChangesAsync(ct);
        return ToView(group);
    }

    public async Task<Result<IReadOnlyList<RightState>>> GetRightsAsync(Guid id, CancellationToken ct)
    {
        var group = await LoadAsync(id, ct);
        return group is null ? Error.NotFound("The group") : Result.Ok(RightsOf(group));
    }

    /// <summary>
    /// Applies YES/NO per named right; rights not named stay as they are. Unknown names refuse the whole change.
    /// A caller cannot grant a right they do not hold, nor remove their own or the last User management right.
    /// </summary>
    public async Task<Result<IReadOnlyList<RightState>>> SetRightsAsync(Guid id, IReadOnlyList<RightChange>? changes, CancellationToken ct)
    {
        var group = await LoadAsync(id, ct, tracked: true);
        if (group is null)
        {
            return Error.NotFound("The group");
        }

        if (changes is null)
        {
            return Error.Validation("rights", "Required", "The list of rights is required.");
        }

        var unknown = changes.Where(c => c.Name is null || !RightCatalog.TryGet(c.Name, out _)).Select(c => c.Name ?? "(null)").ToArray();
        if (unknown.Length > 0)
        {
            return new Error(ErrorKind.Validation, "UnknownRight", $"Unknown right name(s): {string.Join(", ", unknown)}.",
                new Dictionary<string, string[]> { ["rights"] = unknown.Select(n => $"'{n}' is not a right.").ToArray() });
        }

        if (rules.CheckScope(group.DataScope, group.CompanyId) is { } scopeError)
        {
            return scopeError;
        }

        var before = group.Rights.Select(r => r.Right).ToHashSet();
        var after = before.ToHashSet();
        foreach (var change in changes)
        {
            RightCatalog.TryGet(change.Name!, out var info);
            if (change.Granted)
            {
                after.Add(info.Right);
            }
            else
            {
                after.Remove(info.Right);
            }
        }

        var notHeld = caller.UserId is null ? [] : after.Except(before).Where(r => !caller.Has(r)).ToList();
        if (notHeld.Count > 0)
        {
            return new Error(ErrorKind.Forbidden, "RightNotHeld", $"You cannot grant the right '{RightCatalog.Get(notHeld[0]).Label}' because you do not hold it yourself.");
        }

        if (before.Contains(Right.UsersManage) && !after.Contains(Right.UsersManage)
            && await rules.CheckManagersAsync(group: (id, false), ct: ct) is { } managerError)
        {
            return managerError;
        }

        group.Rights.RemoveAll(r => !after.Contains(r.Right));
        group.Rights.AddRange(after.Except(before).Select(r => new GroupRight { GroupId = id, Right = r }));
        if (!before.SetEquals(after))
        {
            audit.Add("Group.RightsChanged", group.Name, new
            {
                before = Names(before),
                after = Names(after),
                granted = Names(after.Except(before)),
                revoked = Names(before.Except(after)),
            });
            await db.SaveChangesAsync(ct);
        }

        return Result.Ok(RightsOf(group));
    }

    public async Task<Result<IReadOnlyList<Guid>>> MembersAsync(Guid id, CancellationToken ct)
    {
        var group = await LoadAsync(id, ct);
        return group is null ? Error.NotFound("The group") : Result.Ok<IReadOnlyList<Guid>>(group.Members.Select(m => m.UserId).ToList());
    }

    public async Task<Result<IReadOnlyList<Guid>>> AddMemberAsync(Guid id, Guid userId, CancellationToken ct)
    {
        var group = await LoadAsync(id, ct, tracked: true);
        if (group is null)
        {
            return Error.NotFound("The group");
        }

        if (rules.CheckScope(group.DataScope, group.CompanyId) is { } scopeError)
        {
            return scopeError;
        }

        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == userId, ct);
        if (user is null)
        {
            return Error.Validation("userId", "UnknownUser", "The user does not exist or is outside your data scope.");
        }

        if (group.Members.All(m => m.UserId != userId))
        {
            group.Members.Add(new GroupMember { GroupId = id, UserId = userId });
            audit.Add("Group.MemberAdded", group.Name, new { user = user.UserName });
            await db.SaveChangesAsync(ct);
        }

        return Result.Ok<IReadOnlyList<Guid>>(group.Members.Select(m => m.UserId).ToList());
    }

    public async Task<Result<IReadOnlyList<Guid>>> RemoveMemberAsync(Guid id, Guid userId, CancellationToken ct)
    {
        var group = await LoadAsync(id, ct, tracked: true);
        if (group is null)
        {
            return Error.NotFound("The group");
        }

        var member = group.Members.FirstOrDefault(m => m.UserId == userId);
        if (member is null)
        {
            return Error.NotFound("The member");
        }

        if (rules.CheckScope(group.DataScope, group.CompanyId) is { } scopeError)
        {
            return scopeError;
        }

        if (group.Rights.Any(r => r.Right == Right.UsersManage))
        {
            var remaining = await db.GroupMembers.Where(m => m.UserId == userId && m.GroupId != id).Select(m => m.GroupId).ToListAsync(ct);
            if (await rules.CheckManagersAsync(userGroups: (userId, remaining), ct: ct) is { } managerError)
            {
                return managerError;
            }
        }

        group.Members.Remove(member);
        var name = await db.Users.IgnoreQueryFilters().Where(u => u.Id == userId).Select(u => u.UserName).FirstOrDefaultAsync(ct);
        audit.Add("Group.MemberRemoved", group.Name, new { user = name });
        await db.SaveChangesAsync(ct);
        return Result.Ok<IReadOnlyList<Guid>>(group.Members.Select(m => m.UserId).ToList());
    }

    public static IReadOnlyList<RightState> RightsOf(Group group) =>
        RightCatalog.All.Select(r => new RightState(r.Name, r.Tab, r.Label, r.LabelDe, group.Rights.Any(g => g.Right == r.Right))).ToList();

    private static string[] Names(IEnumerable<Right> rights) => rights.Select(r => RightCatalog.Get(r).Name).Order(StringComparer.Ordinal).ToArray();

    private async Task<Group?> LoadAsync(Guid id, CancellationToken ct, bool tracked = false)
    {
        var query = db.Groups.Include(g => g.Rights).Include(g => g.Members).AsSplitQuery();
        return await (tracked ? query : query.AsNoTracking()).FirstOrDefaultAsync(g => g.Id == id, ct);
    }

    private static GroupView ToView(Group g) =>
        new(g.Id, g.Name, g.Description, g.DataScope, g.CompanyId, g.Members.Count, Names(g.Rights.Select(r => r.Right)));

    private static Error DuplicateName(string name) =>
        new(ErrorKind.Conflict, "DuplicateGroupName", $"A group named '{name}' already exists.",
            new Dictionary<string, string[]> { ["name"] = [$"A group named '{name}' already exists."] });
}
