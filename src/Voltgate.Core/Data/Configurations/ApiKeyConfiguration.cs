using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Voltgate.Core.Access;
using Voltgate.Core.Tenancy;

namespace Voltgate.Core.Data.Configurations;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> b)
    {
        b.Property(k => k.Name).HasMaxLength(100);
        b.Property(k => k.Hint).HasMaxLength(16);
        b.Property(k => k.Hash).HasMaxLength(64);
        b.HasIndex(k => k.Hash).IsUnique();
        b.HasIndex(k => new { k.TenantId, k.UserId });
        b.HasOne<Tenant>().WithMany().HasForeignKey(k => k.TenantId);
        b.HasOne<VoltgateUser>().WithMany().HasForeignKey(k => k.UserId);
    }
}
