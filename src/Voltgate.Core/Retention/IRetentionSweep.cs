using Voltgate.Core.Data;

namespace Voltgate.Core.Retention;

/// <summary>
/// Deletes one kind of a tenant's old rows, one small batch per call. The extension point for data kept elsewhere:
/// a feature that stores rows with a retention setting (the persistent message history, <see cref="RetentionKind.MessageHistory"/>)
/// registers its sweep with <c>services.AddSingleton&lt;IRetentionSweep, TheSweep&gt;()</c>; the cleaner runs every
/// registered sweep with the tenant's setting for its kind and never needs to know the table.
/// </summary>
public interface IRetentionSweep
{
    RetentionKind Kind { get; }

    /// <summary>Deletes at most <paramref name="batchSize"/> rows of the tenant older than <paramref name="cutoff"/>; returns how many it deleted.</summary>
    Task<int> DeleteBatchAsync(VoltgateDbContext db, Guid tenantId, DateTimeOffset cutoff, int batchSize, CancellationToken ct);
}
