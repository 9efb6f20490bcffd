using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.Common;
using Voltgate.Core.Data;
using Voltgate.Core.IdTags;
using Voltgate.Core.Plausibility;
using Voltgate.Core.Stations;
using Voltgate.Core.Tenancy;

namespace Voltgate.Core.Transactions;

/// <summary>What recording a TransactionEvent answers: Voltgate's key of the transaction, whether the event was a replay, the idToken's decision.</summary>
public readonly record struct TransactionEventOutcome(int TransactionId, bool Replay, IdTagAuthorization? Authorization);

/// <summary>
/// Records the transaction events of stations that name their transactions themselves (OCPP 2.0.1), onto the same
/// transactions, meter sample table, plausibility rules, sample budget and ID tag list as 1.6. Every event is committed
/// through the group-commit writer before it is answered.
/// </summary>
/// <remarks>
/// <para><b>Replays.</b> An event whose (transaction, seqNo) is stored already changes nothing and gets the same
/// answer (the idToken is decided again, with its own transaction excluded from ConcurrentTx).</para>
/// <para><b>Lost Started.</b> The first event seen of a transaction creates it, whatever its type; a transaction
/// created by Updated or Ended is flagged <see cref="TransactionAnomalies.StartedLost"/> until its Started arrives.</para>
/// <para><b>Refusals.</b> Started and Ended are never refused for what they report (an implausible time or samples
/// over a limit are flagged, the samples dropped); an Updated carries only samples, so it is refused whole as
/// MeterValues is (<see cref="InputRefusedException"/>), and the station sends it again later.</para>
/// </remarks>
internal sealed class TransactionEventService(
    IServiceScopeFactory scopes, TransactionEventBatch batch, StationTransactionKeys keys, PlausibilityRules rules, SampleBudget budget, DomainEvents events)
{
    public async Task<TransactionEventOutcome> RecordAsync(StationRef station, TransactionEventReport report, CancellationToken ct)
    {
        if (report.EvseId is { } evse)
        {
            rules.Connector(evse, "evse.id", stationItselfAllowed: false);
        }

        var (key, authorization) = await LookUpAsync(station, report, ct);
        var (admitted, samples) = await AdmitAsync(station, key, report, ct);
        StoredTransactionEvent stored;
        try
        {
            stored = await WriteAsync(station, admitted, samples, ct);
        }
        catch
        {
            budget.Refund(station.StationId, key, samples.Count);
            throw;
        }

        var id = stored.Transaction.Id;
        if (stored.Replay)
        {
            budget.Refund(station.StationId, key, samples.Count);
        }

        keys.Remember(station.StationId, report.StationTransactionId, id);
        if (stored.Ended)
        {
            // Before the station is answered, as for 1.6's StopTransaction: the budget forgets the transaction.
            events.Raise(new TransactionEnded(station.StationId, id, StoredMeterSamples: false));
        }

        return new TransactionEventOutcome(id, stored.Replay, authorization);
    }

    // The frequent event — an Updated of a transaction seen before, without an idToken — reads nothing: only a
    // transaction the cache does not know or an idToken to decide needs the database, and a DI scope for it.
    private async ValueTask<(int? Key, IdTagAuthorization? Authorization)> LookUpAsync(StationRef station, TransactionEventReport report, CancellationToken ct)
    {
        var known = keys.Find(station.StationId, report.StationTransactionId);
        if (known is not null && report.IdToken is null)
        {
            return (known, null);
        }

        await using var scope = scopes.CreateTenantScope(station.TenantId);
        var key = known ?? await StationTransactionKeys.LookUpAsync(scope.ServiceProvider.GetRequiredService<VoltgateDbContext>(), station.StationId, report.StationTransactionId, ct);
        var authorization = report.IdToken is { } token
            ? await scope.ServiceProvider.GetRequiredService<IdTagAuthorizer>().AuthorizeAsync(token, key, ct)
            : (IdTagAuthorization?)null;
        return (key, authorization);
    }

    private async Task<StoredTransactionEvent> WriteAsync(StationRef station, TransactionEventReport report, List<MeterSample> samples, CancellationToken ct)
    {
        try
        {
            return await batch.WriteAsync(station.TenantId, station.StationId, report, samples, ct);
        }
        catch (DbUpdateException)
        {
            // The same new transaction raced in on another connection (unique per station): the second try finds it.
            return await batch.WriteAsync(station.TenantId, station.StationId, report, samples, ct);
        }
    }

    // The samples that may be stored, charged to the budgets; an Updated over a limit is refused, Started/Ended keep going without them.
    private async Task<(TransactionEventReport Report, List<MeterSample> Samples)> AdmitAsync(StationRef station, int? key, TransactionEventReport report, CancellationToken ct)
    {
        var refusable = report.Kind == TransactionEventKind.Updated;
        if (!refusable && !rules.TimestampPlausible(report.Timestamp))
        {
            report = report with { TimestampReplaced = true };
        }

        var connector = report.EvseId ?? 0;
        var samples = new List<MeterSample>(report.Readings.Count);
        for (var i = 0; i < report.Readings.Count; i++)
        {
            samples.Add(MeterSampleFactory.Create(station, connector, null, report.Readings[i]));
        }

        try
        {
            rules.SamplesPerMessage(samples.Count, "The TransactionEvent");
            for (var i = 0; i < samples.Count; i++)
            {
                rules.Timestamp(samples[i].Timestamp, "meterValue.timestamp");
            }

            await budget.ChargeAsync(station.StationId, key, samples.Count, ct);
            return (report, samples);
        }
        catch (InputRefusedException) when (!refusable)
        {
            return (report with { SamplesDropped = true }, []);
        }
    }
}

/// <summary>
/// Voltgate's key of each station's own transaction id, so that the frequent Updated does not look it up every time.
/// Bounded; forgotten wholesale when full (a miss costs one indexed query).
/// </summary>
internal sealed class StationTransactionKeys
{
    private const int MaxEntries = 100_000;
    private readonly ConcurrentDictionary<(Guid StationId, string TransactionId), int> _keys = new();

    // ConcurrentDictionary.Count takes every lock of the table: counted here instead, approximately.
    private int _count;

    public int? Find(Guid stationId, string transactionId) =>
        _keys.TryGetValue((stationId, transactionId), out var known) ? known : null;

    public static async Task<int?> LookUpAsync(VoltgateDbContext db, Guid stationId, string transactionId, CancellationToken ct) =>
        await db.Transactions.IgnoreQueryFilters().AsNoTracking()
            .Where(t => t.StationId == stationId && t.StationTransactionId == transactionId)
            .Select(t => (int?)t.Id).FirstOrDefaultAsync(ct);

    public void Remember(Guid stationId, string transactionId, int key)
    {
        // The frequent case, a key known already, writes nothing (a write takes a lock of the table).
        if (_keys.TryGetValue((stationId, transactionId), out var known) && known == key)
        {
            return;
        }

        if (Interlocked.Increment(ref _count) > MaxEntries)
        {
            _keys.Clear();
            Interlocked.Exchange(ref _count, 1);
        }

        _keys[(stationId, transactionId)] = key;
    }
}
