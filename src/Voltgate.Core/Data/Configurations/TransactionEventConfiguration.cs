using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Voltgate.Core.Transactions;

namespace Voltgate.Core.Data.Configurations;

internal sealed class TransactionEventConfiguration : IEntityTypeConfiguration<TransactionEventRecord>
{
    public void Configure(EntityTypeBuilder<TransactionEventRecord> b)
    {
        b.ToTable("TransactionEvents");
        b.Property(e => e.EventType).HasMaxLength(16);
        b.Property(e => e.TriggerReason).HasMaxLength(40);
        // The replay check: one event per seqNo and transaction.
        b.HasIndex(e => new { e.TransactionId, e.SeqNo }).IsUnique();
        b.HasOne(e => e.Transaction).WithMany().HasForeignKey(e => e.TransactionId).OnDelete(DeleteBehavior.Cascade);
    }
}
