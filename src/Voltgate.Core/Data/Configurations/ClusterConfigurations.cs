using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Voltgate.Core.Cluster;
using Voltgate.Core.Stations;

namespace Voltgate.Core.Data.Configurations;

internal sealed class ClusterNodeRecordConfiguration : IEntityTypeConfiguration<ClusterNodeRecord>
{
    public void Configure(EntityTypeBuilder<ClusterNodeRecord> b)
    {
        b.ToTable("ClusterNodes");
        b.HasKey(n => n.NodeId);
        b.Property(n => n.NodeId).HasMaxLength(ClusterNodeRecord.MaxNodeIdLength);
        b.Property(n => n.Address).HasMaxLength(500);
    }
}

/// <summary>No tenant query filter: the presence is read by tenant explicitly, and written by the front door.</summary>
internal sealed class ConnectionPresenceConfiguration : IEntityTypeConfiguration<ConnectionPresence>
{
    public void Configure(EntityTypeBuilder<ConnectionPresence> b)
    {
        b.ToTable("ConnectionPresences");
        b.HasKey(p => p.ConnectionId);
        b.Property(p => p.Identity).HasMaxLength(Station.MaxIdentityLength);
        b.Property(p => p.NodeId).HasMaxLength(ClusterNodeRecord.MaxNodeIdLength);
        b.Property(p => p.Protocol).HasMaxLength(20);
        b.Property(p => p.Variant).HasMaxLength(40);
        b.HasIndex(p => new { p.TenantId, p.Identity });
        b.HasIndex(p => p.NodeId);
    }
}
