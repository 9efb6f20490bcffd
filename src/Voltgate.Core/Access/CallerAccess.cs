using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Data;

namespace Voltgate.Core.Access;

/// <summary>
/// What the signed-in caller of this unit of work may see and do: rights (union over their groups) and data scope
/// (the widest scope of their groups). Scoped. Unset means "system code": no company restriction — the tenant
/// filter still applies. The DbContext reads <see cref="Restricted"/> and <see cref="VisibleCompanyIds"/> in its
/// global query filters, so data scope is enforced in exactly one place.
/// </summary>
public sealed class CallerAccess
{
    public Guid? UserId { get; private set; }
    public Guid? CompanyId { get; private set; }
    public DataScope Scope { get; private set; } = DataScope.Instance;
    public bool Restricted { get; private set; }
    public Guid[] VisibleCompanyIds { get; private set; } = [];
    public IReadOnlySet<Right> Rights { get; private set; } = new HashSet<Right>();

    public bool Has(Right right) => Rights.Contains(right);

    /// <summary>Whether a row of this company is visible to the caller.</summary>
    public bool Sees(Guid companyId) => !Restricted || VisibleCompanyIds.Contains(companyId);

    public void Set(Guid userId, Guid companyId, DataScope scope, IEnumerable<Guid> visibleCompanyIds, IReadOnlySet<Right> rights)
    {
        UserId = userId;
        CompanyId = companyId;
        Scope = scope;
        Restricted = scope != DataScope.Instance;
        VisibleCompanyIds = Restricted ? visibleCompanyIds.Distinct().ToArray() : [];
        Rights = rights;
    }

    /// <summary>Back to "no caller", e.g. before reloading a long-lived UI circuit's user.</summary>
    public void Clear()
    {
        UserId = null;
        CompanyId = null;
        Scope = DataScope.Instance;
        Restricted = false;
        VisibleCompanyIds = [];
        Rights = new HashSet<Right>();
    }

    /// <summary>Instance &gt; CompanyTree &gt; Company.</summary>
    public static int Rank(DataScope scope) => scope switch
    {
        DataScope.Instance => 2,
        DataScope.CompanyTree => 1,
        _ => 0,
    };
}

/// <summary>Computes a user's <see cref="CallerAccess"/> from their groups and the company tree.</summary>
public sealed class CallerAccessLoader(VoltgateDbContext db, CallerAccess access)
{
    /// <summary>Loads the active user (null when missing or deactivated) and fills <see cref="CallerAccess"/>.</summary>
    public async Task<VoltgateUser?> LoadAsync(Guid userId, CancellationToken ct)
    {
        access.Clear();
        // A deactivated tenant's users are refused like deactivated users: on the next request, whatever the credential.
        var row = await db.Users.AsNoTracking().Where(u => u.Id == userId && u.Active)
            .Join(db.Tenants.Where(t => t.DeactivatedAt == null), u => u.TenantId, t => t.Id, (u, t) => new { User = u, t.Slug })
            .FirstOrDefaultAsync(ct);
        if (row is null)
        {
            return null;
        }

        var user = row.User;

        var groups = await db.Groups.AsNoTracking()
            .Where(g => g.Members.Any(m => m.UserId == userId))
            .Select(g => new { g.DataScope, Rights = g.Rights.Select(r => r.Right).ToList() })
            .ToListAsync(ct);
        var rights = groups.SelectMany(g => g.Rights).ToHashSet();
        if (row.Slug != Tenancy.Tenant.DefaultSlug)
        {
            // Instance rights (tenants) belong to the installation's operator, i.e. tenant "default"; granted anywhere else they mean nothing.
            rights.RemoveWhere(RightCatalog.IsInstanceRight);
        }

        var scope = groups.Count == 0 ? DataScope.Company : groups.Select(g => g.DataScope).MaxBy(CallerAccess.Rank);
        IEnumerable<Guid> visible = [user.CompanyId];
        if (scope == DataScope.CompanyTree)
        {
            var companies = await db.Companies.AsNoTracking().Select(c => new { c.Id, c.ParentId }).ToListAsync(ct);
            visible = CompanyTree.Descendants(user.CompanyId, companies.Select(c => (c.Id, c.ParentId)));
        }

        access.Set(user.Id, user.CompanyId, scope, visible, rights);
        return user;
    }
}

internal static class CompanyTree
{
    /// <summary>The company itself and every company below it.</summary>
    public static IReadOnlyList<Guid> Descendants(Guid root, IEnumerable<(Guid Id, Guid? ParentId)> companies)
    {
        var children = companies.Where(c => c.ParentId is not null).ToLookup(c => c.ParentId!.Value, c => c.Id);
        var result = new List<Guid> { root };
        for (var i = 0; i < result.Count; i++)
        {
            result.AddRange(children[result[i]].Where(id => !result.Contains(id)));
        }

        return result;
    }
}
