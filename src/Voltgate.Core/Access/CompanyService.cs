using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Audit;
using Voltgate.Core.Common;
using Voltgate.Core.Data;
using Voltgate.Core.Tenancy;

namespace Voltgate.Core.Access;

public sealed record CompanyView(Guid Id, string Name, Guid? ParentId, DateTimeOffset CreatedAt);

/// <summary>The company tree of the tenant. A company is deleted only when nothing belongs to it anymore.</summary>
public sealed class CompanyService(VoltgateDbContext db, ITenantContext tenant, CallerAccess caller, AuditLog audit, TimeProvider time)
{
    public async Task<(IReadOnlyList<CompanyView> Items, int Total)> ListAsync(int skip, int take, CancellationToken ct)
    {
        var query = db.Companies.AsNoTracking().OrderBy(c => c.Name);
        var total = await query.CountAsync(ct);
        var items = await query.Skip(skip).Take(take).Select(c => new CompanyView(c.Id, c.Name, c.ParentId, c.CreatedAt)).ToListAsync(ct);
        return (items, total);
    }

    public async Task<Result<CompanyView>> GetAsync(Guid id, CancellationToken ct)
    {
        var c = await db.Companies.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
        return c is null ? Error.NotFound("The company") : new CompanyView(c.Id, c.Name, c.ParentId, c.CreatedAt);
    }

    public async Task<Result<CompanyView>> CreateAsync(string? name, Guid? parentId, CancellationToken ct)
    {
        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200)
        {
            return Error.Validation("name", "Required", "A company name of 1 to 200 characters is required.");
        }

        var parent = parentId ?? caller.CompanyId ?? await db.Companies.Where(c => c.ParentId == null).Select(c => c.Id).FirstAsync(ct);
        if (!caller.Sees(parent) || !await db.Companies.AnyAsync(c => c.Id == parent, ct))
        {
            return Error.Validation("parentId", "UnknownCompany", "The parent company does not exist or is outside your data scope.");
        }

        if (caller.Restricted && caller.Scope == DataScope.Company)
        {
            return new Error(ErrorKind.Forbidden, "ScopeExceedsCaller", "With data scope Company you cannot create sub-companies; you would not see them.");
        }

        var company = new Company { TenantId = tenant.TenantId!.Value, Name = name, ParentId = parent, CreatedAt = time.GetUtcNow() };
        db.Companies.Add(company);
        audit.Add("Company.Created", company.Name, new { company.ParentId });
        await db.SaveChangesAsync(ct);
        return new CompanyView(company.Id, company.Name, company.ParentId, company.CreatedAt);
    }

    public async Task<Result<CompanyView>> RenameAsync(Guid id, string? name, CancellationToken ct)
    {
        var company = await db.Companies.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (company is null || !caller.Sees(id))
        {
            return Error.NotFound("The company");
        }

        name = name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > 200)
        {
            return Error.Validation("name", "Required", "A company name of 1 to 200 characters is required.");
        }

        audit.Add("Company.Renamed", company.Name, new { before = company.Name, after = name });
        company.Name = name;
        await db.SaveChangesAsync(ct);
        return new CompanyView(company.Id, company.Name, company.ParentId, company.CreatedAt);
    }

    /// <summary>Refused while users, stations, ID tags, groups or sub-companies belong to it, and for the root company.</summary>
    public async Task<Result<bool>> DeleteAsync(Guid id, CancellationToken ct)
    {
        var company = await db.Companies.FirstOrDefaultAsync(c => c.Id == id, ct);
        if (company is null || !caller.Sees(id))
        {
            return Error.NotFound("The company");
        }

        if (company.ParentId is null)
        {
            return new Error(ErrorKind.Conflict, "RootCompany", "The root company cannot be deleted.");
        }

        var tenantId = tenant.TenantId;
        // Counted whatever the caller's data scope: hidden rows still belong to the company (reviewed IgnoreQueryFilters).
        var users = await db.Users.IgnoreQueryFilters().CountAsync(u => u.TenantId == tenantId && u.CompanyId == id, ct);
        var stations = await db.Stations.IgnoreQueryFilters().CountAsync(s => s.TenantId == tenantId && s.CompanyId == id, ct);
        var idTags = await db.IdTags.IgnoreQueryFilters().CountAsync(t => t.TenantId == tenantId && t.CompanyId == id, ct);
        var groups = await db.Groups.CountAsync(g => g.CompanyId == id, ct);
        var children = await db.Companies.CountAsync(c => c.ParentId == id, ct);
        if (users + stations + idTags + groups + children > 0)
        {
            return new Error(ErrorKind.Conflict, "CompanyInUse",
                $"The company still has {users} user(s), {stations} station(s), {idTags} ID tag(s), {groups} group(s) and {children} sub-companies. Move or remove them first.",
                Extensions: new { users, stations, idTags, groups, subCompanies = children });
        }

        db.Companies.Remove(company);
        audit.Add("Company.Deleted", company.Name);
        await db.SaveChangesAsync(ct);
        return true;
    }
}
