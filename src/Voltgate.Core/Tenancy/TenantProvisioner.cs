using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Access;
using Voltgate.Core.Data;

namespace Voltgate.Core.Tenancy;

/// <summary>
/// Creates a tenant ready to use: its settings, root company, the Administrators group (all rights, scope
/// Instance) and its first user "admin". Used for tenant "default" at first start, and for every new tenant.
/// </summary>
public sealed class TenantProvisioner(VoltgateDbContext db, TenantContext tenantContext, UserManager<VoltgateUser> users, TimeProvider time)
{
    public const string AdminUserName = "admin";

    public Task<Tenant> CreateAsync(string slug, string name, string adminPassword, CancellationToken ct) =>
        CreateAsync(slug, name, AdminUserName, adminPassword, ct);

    public async Task<Tenant> CreateAsync(string slug, string name, string adminUserName, string adminPassword, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var tenant = new Tenant { Slug = slug, Name = name, CreatedAt = now };
        tenantContext.Set(tenant.Id);
        var company = new Company { TenantId = tenant.Id, Name = "Root company", CreatedAt = now };
        var group = new Group
        {
            TenantId = tenant.Id,
            Name = "Administrators",
            Description = "All rights on all data of the tenant.",
            DataScope = DataScope.Instance,
            CompanyId = company.Id,
        };
        // Every tenant's Administrators get every right of a tenant; the instance rights only the installation's own tenant.
        group.Rights.AddRange(RightCatalog.All
            .Where(r => slug == Tenant.DefaultSlug || !RightCatalog.IsInstanceRight(r.Right))
            .Select(r => new GroupRight { GroupId = group.Id, Right = r.Right }));
        db.Tenants.Add(tenant);
        db.TenantSettings.Add(new TenantSettings { TenantId = tenant.Id, UpdatedAt = now });
        db.Companies.Add(company);
        db.Groups.Add(group);
        await db.SaveChangesAsync(ct);

        var admin = new VoltgateUser
        {
            TenantId = tenant.Id,
            CompanyId = company.Id,
            UserName = adminUserName,
            DisplayName = "Administrator",
            CreatedAt = now,
        };
        var created = await users.CreateAsync(admin, adminPassword);
        if (!created.Succeeded)
        {
            throw new InvalidOperationException("Could not create the admin user: " + string.Join(" ", created.Errors.Select(e => e.Description)));
        }

        db.GroupMembers.Add(new GroupMember { GroupId = group.Id, UserId = admin.Id });
        await db.SaveChangesAsync(ct);
        return tenant;
    }

    public Task<bool> AnyAsync(CancellationToken ct) => db.Tenants.AnyAsync(ct);
}
