using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Voltgate.Core.Access;
using Voltgate.Core.IdTags;
using Voltgate.Core.OcppSecurity;
using Voltgate.Core.Stations;
using Voltgate.Core.Tenancy;
using Voltgate.Core.Transactions;

namespace Voltgate.Core.Data.Configurations;

internal sealed class BasicAuthPasswordConfiguration : IEntityTypeConfiguration<BasicAuthPassword>
{
    public void Configure(EntityTypeBuilder<BasicAuthPassword> b)
    {
        b.Property(p => p.Label).HasMaxLength(100);
        b.Property(p => p.Note).HasMaxLength(1000);
        b.Property(p => p.ProtectedSecret).HasMaxLength(1000);
        b.Property(p => p.Fingerprint).HasMaxLength(64);
        b.HasIndex(p => new { p.TenantId, p.Fingerprint }).IsUnique();
        b.HasOne<Tenant>().WithMany().HasForeignKey(p => p.TenantId);
        // Write-once: EF refuses to save a changed secret; a database trigger (see migrations) refuses it too.
        b.Property(p => p.ProtectedSecret).Metadata.SetAfterSaveBehavior(Microsoft.EntityFrameworkCore.Metadata.PropertySaveBehavior.Throw);
        b.Property(p => p.Fingerprint).Metadata.SetAfterSaveBehavior(Microsoft.EntityFrameworkCore.Metadata.PropertySaveBehavior.Throw);
    }
}

internal sealed class StationConfiguration : IEntityTypeConfiguration<Station>
{
    public void Configure(EntityTypeBuilder<Station> b)
    {
        b.Property(s => s.Identity).HasMaxLength(Station.MaxIdentityLength);
        b.HasIndex(s => new { s.TenantId, s.Identity }).IsUnique();
        b.HasIndex(s => new { s.TenantId, s.LastPasswordId });
        b.Property(s => s.Note).HasMaxLength(1000);
        b.HasOne<Tenant>().WithMany().HasForeignKey(s => s.TenantId);
        b.HasOne<Company>().WithMany().HasForeignKey(s => s.CompanyId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class ConnectorStatusConfiguration : IEntityTypeConfiguration<ConnectorStatus>
{
    public void Configure(EntityTypeBuilder<ConnectorStatus> b)
    {
        b.HasKey(c => new { c.StationId, c.ConnectorId });
        b.HasIndex(c => c.TenantId);
        b.HasOne<Station>().WithMany().HasForeignKey(c => c.StationId);
    }
}

internal sealed class ConnectionAttemptConfiguration : IEntityTypeConfiguration<ConnectionAttempt>
{
    public void Configure(EntityTypeBuilder<ConnectionAttempt> b)
    {
        b.Property(a => a.Identity).HasMaxLength(Station.MaxIdentityLength);
        b.Property(a => a.PresentedUsername).HasMaxLength(Station.MaxIdentityLength);
        b.HasIndex(a => new { a.TenantId, a.Identity, a.At });
        b.HasIndex(a => new { a.TenantId, a.At });
    }
}

internal sealed class IdTagConfiguration : IEntityTypeConfiguration<IdTag>
{
    public void Configure(EntityTypeBuilder<IdTag> b)
    {
        b.Property(t => t.Value).HasMaxLength(IdTag.MaxLength);
        b.Property(t => t.ParentIdTag).HasMaxLength(IdTag.MaxLength);
        b.HasIndex(t => new { t.TenantId, t.Value }).IsUnique();
        b.HasOne<Tenant>().WithMany().HasForeignKey(t => t.TenantId);
    }
}

internal sealed class TransactionConfiguration : IEntityTypeConfiguration<ChargingTransaction>
{
    public void Configure(EntityTypeBuilder<ChargingTransaction> b)
    {
        b.Property(t => t.Id).ValueGeneratedOnAdd();
        // An idToken of OCPP 2.0.1 (36) is longer than a 1.6 idTag (20).
        b.Property(t => t.IdTag).HasMaxLength(ChargingTransaction.MaxIdTokenLength);
        b.Property(t => t.StopIdTag).HasMaxLength(ChargingTransaction.MaxIdTokenLength);
        b.Property(t => t.StationTransactionId).HasMaxLength(ChargingTransaction.MaxStationTransactionIdLength);
        b.HasIndex(t => new { t.TenantId, t.StartedAt });
        // A replayed StartTransaction (same station, connector, start time) finds its transaction instead of a twin. Only
        // for 1.6: 2.0.1 transactions are told apart by the station's own id (a lost Started may share a start time).
        b.HasIndex(t => new { t.StationId, t.ConnectorId, t.StartedAt }).IsUnique().HasFilter("\"StationTransactionId\" IS NULL");
        // A 2.0.1 station's transaction id is unique per station (NULLs, the 1.6 transactions, are distinct on both providers).
        b.HasIndex(t => new { t.StationId, t.StationTransactionId }).IsUnique();
        b.HasOne<Station>().WithMany().HasForeignKey(t => t.StationId);
    }
}

internal sealed class MeterSampleConfiguration : IEntityTypeConfiguration<MeterSample>
{
    public void Configure(EntityTypeBuilder<MeterSample> b)
    {
        b.HasIndex(m => new { m.TenantId, m.TransactionId });
        b.HasIndex(m => new { m.StationId, m.Timestamp });
    }
}
