using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Voltgate.Core.Tenancy;

namespace Voltgate.Core.Data.Configurations;

internal sealed class TenantConfiguration : IEntityTypeConfiguration<Tenant>
{
    public void Configure(EntityTypeBuilder<Tenant> b)
    {
        b.Property(t => t.Slug).HasMaxLength(32);
        b.HasIndex(t => t.Slug).IsUnique();
    }
}

internal sealed class TenantSettingsConfiguration : IEntityTypeConfiguration<TenantSettings>
{
    public void Configure(EntityTypeBuilder<TenantSettings> b)
    {
        b.HasKey(s => s.TenantId);
        b.HasOne<Tenant>().WithOne().HasForeignKey<TenantSettings>(s => s.TenantId);
        b.Property(s => s.IdTagSuffixSeparator).HasMaxLength(4);
    }
}

internal sealed class SystemSecretConfiguration : IEntityTypeConfiguration<SystemSecret>
{
    public void Configure(EntityTypeBuilder<SystemSecret> b)
    {
        b.HasKey(s => s.Name);
        b.Property(s => s.ProtectedValue).HasMaxLength(2000);
    }
}
