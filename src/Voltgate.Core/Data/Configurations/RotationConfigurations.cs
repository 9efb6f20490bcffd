using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Voltgate.Core.OcppSecurity.Rotation;
using Voltgate.Core.Stations;
using Voltgate.Core.Tenancy;

namespace Voltgate.Core.Data.Configurations;

internal sealed class PasswordRotationConfiguration : IEntityTypeConfiguration<PasswordRotation>
{
    public void Configure(EntityTypeBuilder<PasswordRotation> b)
    {
        b.Property(r => r.SourceJson).Metadata.SetMaxLength(null);
        b.Property(r => r.CreatedBy).HasMaxLength(256);
        b.Property(r => r.TargetVariant).HasMaxLength(20);
        b.Property(r => r.CsmsUrl).HasMaxLength(512);
        b.HasIndex(r => new { r.TenantId, r.CreatedAt });
        b.HasIndex(r => r.State);
        b.HasOne<Tenant>().WithMany().HasForeignKey(r => r.TenantId);
        b.HasMany(r => r.Stations).WithOne().HasForeignKey(s => s.RotationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class RotationStationConfiguration : IEntityTypeConfiguration<RotationStation>
{
    public void Configure(EntityTypeBuilder<RotationStation> b)
    {
        b.Property(s => s.Identity).HasMaxLength(Station.MaxIdentityLength);
        b.Property(s => s.Reason).HasMaxLength(1000);
        b.HasIndex(s => new { s.RotationId, s.Identity }).IsUnique();
        b.HasIndex(s => new { s.State, s.StationId });
        b.HasOne<Station>().WithMany().HasForeignKey(s => s.StationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class EngineLeaseConfiguration : IEntityTypeConfiguration<EngineLease>
{
    public void Configure(EntityTypeBuilder<EngineLease> b)
    {
        b.HasKey(l => l.Name);
        b.Property(l => l.Name).HasMaxLength(100);
        b.Property(l => l.Holder).HasMaxLength(200);
    }
}
