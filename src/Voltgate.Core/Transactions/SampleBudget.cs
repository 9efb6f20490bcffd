using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.Data;
using Voltgate.Core.Plausibility;

namespace Voltgate.Core.Transactions;

/// <summary>
/// How many sampled values a station and a transaction may still have stored: a rolling per-station budget
/// (<see cref="InputLimits.MaxSamplesPerStationPerMinute"/>, refilled continuously) and a per-transaction total
/// (<see cref="InputLimits.MaxSamplesPerTransaction"/>, counted from the database once per transaction and node).
/// A message is charged whole or refused whole, so nothing of a refused message is stored.
/// </summary>
/// <remarks>
/// Counts are per node: with N nodes a transaction holds at most N × the limit, still bounded. Samples later skipped
/// as replays were charged too, so the count is an upper bound of what is stored.
/// </remarks>
public sealed class SampleBudget(InputLimits limits, IServiceScopeFactory scopes, TimeProvider time)
{
    // Only transactions owned by the station that names them are cached, so a station naming made-up ids cannot
    // grow this; an entry goes when its transaction ends.
    private const int MaxCachedTransactions = 100_000;

    private readonly ConcurrentDictionary<Guid, StationBucket> _stations = new();
    private readonly ConcurrentDictionary<int, TransactionCount> _transactions = new();

    /// <summary>Charges <paramref name="count"/> samples or throws <see cref="InputRefusedException"/> charging nothing.</summary>
    /// <param name="transactionId">The transaction the samples are for, when the station named one.</param>
    public async Task ChargeAsync(Guid stationId, int? transactionId, int count, CancellationToken ct)
    {
        if (count == 0)
        {
            return;
        }

        var tx = transactionId is { } id ? await TransactionAsync(stationId, id, ct) : null;
        var bucket = _stations.GetOrAdd(stationId, _ => new StationBucket(limits.MaxSamplesPerStationPerMinute, time.GetTimestamp()));
        lock (bucket)
        {
            bucket.Refill(limits.MaxSamplesPerStationPerMinute, time);
            if (bucket.Tokens < count)
            {
                throw new InputRefusedException(InputProblem.BudgetExceeded,
                    $"The station sent more than {limits.MaxSamplesPerStationPerMinute} sampled values in a minute (Voltgate:Limits:MaxSamplesPerStationPerMinute); retry later.");
            }

            if (tx is not null)
            {
                lock (tx)
                {
                    if (tx.Stored + count > limits.MaxSamplesPerTransaction)
                    {
                        throw new InputRefusedException(InputProblem.BudgetExceeded,
                            $"Transaction {transactionId} already holds {tx.Stored} sampled values; at most {limits.MaxSamplesPerTransaction} per transaction (Voltgate:Limits:MaxSamplesPerTransaction).");
                    }

                    tx.Stored += count;
                }
            }

            bucket.Tokens -= count;
        }
    }

    /// <summary>Gives back what <see cref="ChargeAsync"/> took when the samples could not be stored.</summary>
    public void Refund(Guid stationId, int? transactionId, int count)
    {
        if (_stations.TryGetValue(stationId, out var bucket))
        {
            lock (bucket)
            {
                bucket.Tokens = Math.Min(limits.MaxSamplesPerStationPerMinute, bucket.Tokens + count);
            }
        }

        if (transactionId is { } id && _transactions.TryGetValue(id, out var tx))
        {
            lock (tx)
            {
                tx.Stored = Math.Max(0, tx.Stored - count);
            }
        }
    }

    /// <summary>The transaction ended: its count is read again should samples still arrive.</summary>
    public void Forget(int transactionId) => _transactions.TryRemove(transactionId, out _);

    private async Task<TransactionCount?> TransactionAsync(Guid stationId, int transactionId, CancellationToken ct)
    {
        if (_transactions.TryGetValue(transactionId, out var known))
        {
            return known.StationId == stationId ? known : null;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        var owner = await db.Transactions.IgnoreQueryFilters().AsNoTracking().Where(t => t.Id == transactionId)
            .Select(t => (Guid?)t.StationId).FirstOrDefaultAsync(ct);
        if (owner != stationId)
        {
            return null; // not the station's: its samples are stored without the id (MeterSampleBatch)
        }

        var stored = await db.MeterSamples.IgnoreQueryFilters().LongCountAsync(m => m.TransactionId == transactionId, ct);
        if (_transactions.Count >= MaxCachedTransactions)
        {
            _transactions.Clear();
        }

        return _transactions.GetOrAdd(transactionId, _ => new TransactionCount(stationId) { Stored = stored });
    }

    private sealed class StationBucket(int tokens, long at)
    {
        private long _at = at;

        public double Tokens { get; set; } = tokens;

        public void Refill(int perMinute, TimeProvider time)
        {
            var now = time.GetTimestamp();
            Tokens = Math.Min(perMinute, Tokens + (time.GetElapsedTime(_at, now).TotalSeconds * perMinute / 60.0));
            _at = now;
        }
    }

    private sealed class TransactionCount(Guid stationId)
    {
        public Guid StationId { get; } = stationId;
        public long Stored { get; set; }
    }
}
