using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Voltgate.Core.Access;
using Voltgate.Core.Tenancy;

namespace Voltgate.Core.Data.Configurations;

internal sealed class CompanyConfiguration : IEntityTypeConfiguration<Company>
{
    public void Configure(EntityTypeBuilder<Company> b)
    {
        b.Property(c => c.Name).HasMaxLength(200);
        b.HasIndex(c => new { c.TenantId, c.ParentId });
        b.HasOne<Tenant>().WithMany().HasForeignKey(c => c.TenantId);
        b.HasOne<Company>().WithMany().HasForeignKey(c => c.ParentId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class UserConfiguration : IEntityTypeConfiguration<VoltgateUser>
{
    public void Configure(EntityTypeBuilder<VoltgateUser> b)
    {
        // Login names are unique per tenant, not globally: two customers may both have an "admin".
        b.HasIndex(u => u.NormalizedUserName).HasDatabaseName("UserNameIndex").IsUnique(false);
        b.HasIndex(u => new { u.TenantId, u.NormalizedUserName }).IsUnique();
        b.Property(u => u.DisplayName).HasMaxLength(200);
        b.Property(u => u.PreferredLanguage).HasMaxLength(8);
        b.HasOne<Tenant>().WithMany().HasForeignKey(u => u.TenantId);
        b.HasOne<Company>().WithMany().HasForeignKey(u => u.CompanyId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class GroupConfiguration : IEntityTypeConfiguration<Group>
{
    public void Configure(EntityTypeBuilder<Group> b)
    {
        b.Property(g => g.Name).HasMaxLength(100);
        b.Property(g => g.Description).HasMaxLength(500);
        b.HasIndex(g => new { g.TenantId, g.Name }).IsUnique();
        b.HasOne<Tenant>().WithMany().HasForeignKey(g => g.TenantId);
        b.HasOne<Company>().WithMany().HasForeignKey(g => g.CompanyId).OnDelete(DeleteBehavior.Restrict);
        b.HasMany(g => g.Rights).WithOne().HasForeignKey(r => r.GroupId);
        b.HasMany(g => g.Members).WithOne().HasForeignKey(m => m.GroupId);
    }
}

internal sealed class GroupRightConfiguration : IEntityTypeConfiguration<GroupRight>
{
    public void Configure(EntityTypeBuilder<GroupRight> b)
    {
        b.HasKey(r => new { r.GroupId, r.Right });
        // Rights persist as their stable numbers, not names: a renamed right keeps its grants.
        b.Property(r => r.Right).HasConversion<int>();
    }
}

internal sealed class GroupMemberConfiguration : IEntityTypeConfiguration<GroupMember>
{
    public void Configure(EntityTypeBuilder<GroupMember> b)
    {
        b.HasKey(m => new { m.GroupId, m.UserId });
        b.HasIndex(m => m.UserId);
        b.HasOne<VoltgateUser>().WithMany().HasForeignKey(m => m.UserId);
    }
}
