using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Voltgate.Core.MessageHistory;

internal sealed class StationMessageConfiguration : IEntityTypeConfiguration<StationMessage>
{
    public void Configure(EntityTypeBuilder<StationMessage> b)
    {
        b.ToTable("StationMessages");
        b.Property(m => m.Identity).HasMaxLength(Stations.Station.MaxIdentityLength);
        b.Property(m => m.MessageId).HasMaxLength(StationMessage.MaxMessageIdLength);
        b.Property(m => m.Action).HasMaxLength(StationMessage.MaxActionLength);
        b.Property(m => m.Payload).Metadata.SetMaxLength(null);
        // A station's page and search read newest first by id; the age cleanup reads by time.
        b.HasIndex(m => new { m.TenantId, m.Identity, m.Id });
        b.HasIndex(m => m.At);
    }
}

internal sealed class StationMessageRecordingConfiguration : IEntityTypeConfiguration<StationMessageRecording>
{
    public void Configure(EntityTypeBuilder<StationMessageRecording> b)
    {
        b.ToTable("StationMessageRecordings");
        b.HasKey(r => new { r.TenantId, r.Identity });
        b.Property(r => r.Identity).HasMaxLength(Stations.Station.MaxIdentityLength);
    }
}
