using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Voltgate.Core.DeviceModel;
using Voltgate.Core.StationHistory;
using Voltgate.Core.Stations;

namespace Voltgate.Core.Data.Configurations;

internal sealed class DeviceModelVariableConfiguration : IEntityTypeConfiguration<DeviceModelVariable>
{
    public void Configure(EntityTypeBuilder<DeviceModelVariable> b)
    {
        b.HasIndex(v => new { v.StationId, v.Key }).IsUnique();
        b.HasIndex(v => v.TenantId);
        b.Property(v => v.ComponentName).HasMaxLength(50);
        b.Property(v => v.ComponentInstance).HasMaxLength(50);
        b.Property(v => v.VariableName).HasMaxLength(50);
        b.Property(v => v.VariableInstance).HasMaxLength(50);
        b.Property(v => v.Key).HasMaxLength(256);
        // A 2.0.1 attribute value is up to 2,500 characters, up to four attributes per variable.
        b.Property(v => v.AttributesJson).Metadata.SetMaxLength(null);
        b.Property(v => v.ValuesList).HasMaxLength(1000);
        b.Property(v => v.Unit).HasMaxLength(16);
        b.Property(v => v.DataType).HasMaxLength(20);
        b.Property(v => v.Source).HasMaxLength(40);
        b.HasOne<Station>().WithMany().HasForeignKey(v => v.StationId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class StationNoticeConfiguration : IEntityTypeConfiguration<StationNotice>
{
    public void Configure(EntityTypeBuilder<StationNotice> b)
    {
        b.Property(n => n.Id).ValueGeneratedOnAdd();
        b.HasIndex(n => new { n.StationId, n.Kind, n.Id });
        b.HasIndex(n => n.TenantId);
        b.Property(n => n.Code).HasMaxLength(50);
        b.Property(n => n.Subject).HasMaxLength(300);
        b.Property(n => n.Detail).HasMaxLength(2600);
        b.HasOne<Station>().WithMany().HasForeignKey(n => n.StationId).OnDelete(DeleteBehavior.Cascade);
    }
}
