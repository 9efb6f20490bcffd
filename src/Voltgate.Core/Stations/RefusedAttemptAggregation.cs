using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Data;

namespace Voltgate.Core.Stations;

/// <summary>
/// Adds a batch of recorded handshakes to the context, folding refused ones into one row per source address,
/// identity, endpoint, reason and time bucket (a new row or the bucket's stored one). Why: an attacker's refused
/// handshakes cost no credential, so one row each would let anyone grow the database without bound (issue 19).
/// </summary>
public static class RefusedAttemptAggregation
{
    public static async Task AddAsync(VoltgateDbContext db, IReadOnlyList<ConnectionAttempt> attempts, TimeSpan bucket, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(attempts);
        var refused = new List<ConnectionAttempt>();
        foreach (var a in attempts)
        {
            if (a.Result == ConnectionResult.Refused)
            {
                refused.Add(a);
            }
            else
            {
                db.ConnectionAttempts.Add(a);
            }
        }

        if (refused.Count == 0)
        {
            return;
        }

        var groups = refused.GroupBy(a => new Key(a.TenantId, a.Identity, a.SourceAddress, a.Endpoint, a.Reason, BucketOf(a.At, bucket))).ToList();
        var earliest = groups.Min(g => g.Key.Bucket);
        var identities = groups.Select(g => g.Key.Identity).Distinct().ToList();
        var sources = groups.Select(g => g.Key.Source).Distinct().ToList();
        // The stored rows of the buckets the batch touches (tracked, so their counts are updated by SaveChanges).
        var stored = await db.ConnectionAttempts.IgnoreQueryFilters()
            .Where(a => a.Result == ConnectionResult.Refused && a.At >= earliest && identities.Contains(a.Identity) && sources.Contains(a.SourceAddress))
            .ToListAsync(ct);
        var byKey = stored.GroupBy(a => new Key(a.TenantId, a.Identity, a.SourceAddress, a.Endpoint, a.Reason, BucketOf(a.At, bucket)))
            .ToDictionary(g => g.Key, g => g.OrderBy(a => a.At).First());
        foreach (var group in groups)
        {
            var ordered = group.OrderBy(a => a.At).ToList();
            var last = ordered[^1].At;
            if (byKey.TryGetValue(group.Key, out var row))
            {
                row.Count += ordered.Count;
                row.LastAt = row.LastAt is { } l && l > last ? l : last;
                continue;
            }

            var first = ordered[0];
            first.Count = ordered.Count;
            first.LastAt = ordered.Count > 1 ? last : null;
            db.ConnectionAttempts.Add(first);
        }
    }

    /// <summary>The start of the bucket a time falls in (buckets are aligned to the Unix epoch, in UTC).</summary>
    public static DateTimeOffset BucketOf(DateTimeOffset at, TimeSpan bucket)
    {
        var ticks = at.UtcTicks - at.UtcTicks % bucket.Ticks;
        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    private readonly record struct Key(Guid TenantId, string Identity, string Source, string Endpoint, RefusalReason Reason, DateTimeOffset Bucket);
}
