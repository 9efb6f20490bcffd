using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Voltgate.Core.Stations;

namespace Voltgate.Core.Data.Configurations;

internal sealed class UnattributedAttemptConfiguration : IEntityTypeConfiguration<UnattributedAttempt>
{
    public void Configure(EntityTypeBuilder<UnattributedAttempt> b)
    {
        b.Property(a => a.SourceAddress).HasMaxLength(UnattributedAttempt.MaxAddressLength);
        b.Property(a => a.Endpoint).HasMaxLength(UnattributedAttempt.MaxEndpointLength);
        b.Property(a => a.Detail).HasMaxLength(UnattributedAttempt.MaxDetailLength);
        // The aggregation looks up a minute's row by source and time; the list pages by time.
        b.HasIndex(a => new { a.SourceAddress, a.At });
        b.HasIndex(a => a.At);
    }
}
