using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Data;
using Voltgate.Core.Persistence;

namespace Voltgate.Core.Transactions;

/// <summary>
/// What a batch of OCPP 2.0.1 TransactionEvents does, in the same group commit as MeterValues: find or create each
/// event's transaction by the station's own id, skip an event whose seqNo is already stored (a replay), store the event,
/// apply it to the transaction (start, stop) and append its meter samples with the transaction's key.
/// </summary>
/// <remarks>
/// <para>State is the writer thread's. Only a new transaction, or a stored one an event changed, goes through the
/// change tracker; the event rows and samples are appended past it once the tracked rows are saved
/// (<see cref="IBatchWriteKind.WriteUntracked"/> runs after SaveChanges), with the key of a transaction new in the
/// same batch.</para>
/// <para>Samples of a TransactionEvent are deduplicated by the event's seqNo, not by <see cref="ReplayedSampleCheck"/>:
/// an event is stored whole or, replayed, not at all.</para>
/// </remarks>
internal sealed class TransactionEventBatch(GroupCommitWriter writer, TimeProvider time) : IBatchWriteKind
{
    private readonly List<TransactionEventWrite> _writes = [];
    private readonly List<MeterSample> _samples = [];
    private readonly List<TransactionEventRecord> _events = [];

    /// <summary>Queues one event; completes once committed, with <see cref="TransactionEventWrite.Outcome"/> set.</summary>
    public async Task<StoredTransactionEvent> WriteAsync(Guid tenantId, Guid stationId, TransactionEventReport report, IReadOnlyList<MeterSample> samples, CancellationToken ct)
    {
        var write = new TransactionEventWrite(this, tenantId, stationId, report, samples);
        await writer.WriteAsync(write, ct);
        return write.Outcome;
    }

    void IBatchWriteKind.Add(BatchedWrite write) => _writes.Add((TransactionEventWrite)write);

    void IBatchWriteKind.Prepare(VoltgateDbContext db)
    {
        var writes = _writes;
        var stationIds = writes.Select(w => w.StationId).Distinct().ToList();
        var transactionIds = writes.Select(w => w.Report.StationTransactionId).Distinct().ToList();
        // One query for the batch's transactions, one for their stored seqNos. Untracked: most events (an Updated of a
        // running transaction) change nothing on it, and only one that does is attached for an UPDATE.
        var transactions = db.Transactions.IgnoreQueryFilters().AsNoTracking()
            .Where(t => EF.Parameter(stationIds).Contains(t.StationId) && t.StationTransactionId != null && EF.Parameter(transactionIds).Contains(t.StationTransactionId!))
            .AsEnumerable()
            .ToDictionary(t => (t.StationId, t.StationTransactionId!));
        var keys = transactions.Values.Select(t => t.Id).ToList();
        var seqNos = writes.Select(w => w.Report.SeqNo).Distinct().ToList();
        var stored = keys.Count == 0 ? [] : db.TransactionEvents.IgnoreQueryFilters().AsNoTracking()
            .Where(e => EF.Parameter(keys).Contains(e.TransactionId) && EF.Parameter(seqNos).Contains(e.SeqNo))
            .Select(e => new { e.TransactionId, e.SeqNo })
            .AsEnumerable()
            .Select(e => (e.TransactionId, e.SeqNo))
            .ToHashSet();
        var inBatch = new HashSet<(ChargingTransaction, int)>();
        var now = time.GetUtcNow();
        foreach (var w in writes)
        {
            var report = w.Report;
            w.Stored = false;
            w.ReceivedAt = now;
            var isNew = !transactions.TryGetValue((w.StationId, report.StationTransactionId), out var transaction);
            transaction ??= Create(db, transactions, w, now);
            if ((!isNew && stored.Contains((transaction.Id, report.SeqNo))) || !inBatch.Add((transaction, report.SeqNo)))
            {
                w.Outcome = new StoredTransactionEvent(transaction, Replay: true, Ended: false);
                continue;
            }

            var before = TransactionFacts.Of(transaction);
            var ended = TransactionEventRules.Apply(transaction, report, w.Samples, now);
            if (before != TransactionFacts.Of(transaction) && db.Entry(transaction).State == EntityState.Detached)
            {
                // A stored transaction the event changed (a late Started, the stop, …); a new one is inserted whole anyway.
                db.Transactions.Update(transaction);
            }

            w.Outcome = new StoredTransactionEvent(transaction, Replay: false, ended);
            w.Stored = true;
        }
    }

    void IBatchWriteKind.WriteUntracked(VoltgateDbContext db)
    {
        // After SaveChanges: a transaction new in this batch has its key now.
        var samples = _samples;
        var events = _events;
        samples.Clear();
        events.Clear();
        foreach (var w in _writes)
        {
            if (!w.Stored)
            {
                continue;
            }

            var id = KeyOf(db, w.Outcome.Transaction);
            var report = w.Report;
            events.Add(new TransactionEventRecord
            {
                TenantId = w.TenantId,
                TransactionId = id,
                SeqNo = report.SeqNo,
                EventType = report.Kind.ToString(),
                TriggerReason = report.TriggerReason,
                Timestamp = report.Timestamp.ToUniversalTime(),
                Offline = report.Offline,
                SampleCount = w.Samples.Count,
                ReceivedAt = w.ReceivedAt,
            });
            for (var i = 0; i < w.Samples.Count; i++)
            {
                w.Samples[i].TransactionId = id;
                samples.Add(w.Samples[i]);
            }
        }

        if (events.Count > 0)
        {
            using var appender = new ModelRowAppender<TransactionEventRecord>(db, "Transaction events", rawSqlite: true);
            appender.Append(events);
        }

        if (samples.Count > 0)
        {
            using var appender = new ModelRowAppender<MeterSample>(db, "Meter samples", rawSqlite: true);
            appender.Append(samples);
        }
    }

    // A stored transaction's key is on the entity; a new one's, until the commit is accepted, lives in its entry only
    // (the entity still holds the temporary one), so that a retried unit can discard it.
    private static int KeyOf(VoltgateDbContext db, ChargingTransaction transaction)
    {
        var id = transaction.Id > 0 ? transaction.Id : db.Entry(transaction).Property(t => t.Id).CurrentValue;
        return id > 0 ? id : throw new InvalidOperationException("A transaction's key was not generated before its events were written.");
    }

    void IBatchWriteKind.Clear()
    {
        _writes.Clear();
        _samples.Clear();
        _events.Clear();
    }

    private static ChargingTransaction Create(VoltgateDbContext db, Dictionary<(Guid, string), ChargingTransaction> transactions, TransactionEventWrite w, DateTimeOffset now)
    {
        var report = w.Report;
        var transaction = TransactionEventRules.NewTransaction(w.TenantId, w.StationId, report, now);
        db.Transactions.Add(transaction);
        transactions[(w.StationId, report.StationTransactionId)] = transaction;
        return transaction;
    }

    private sealed class TransactionEventWrite(TransactionEventBatch kind, Guid tenantId, Guid stationId, TransactionEventReport report, IReadOnlyList<MeterSample> samples) : BatchedWrite
    {
        public override IBatchWriteKind Kind => kind;
        public Guid TenantId => tenantId;
        public Guid StationId => stationId;
        public TransactionEventReport Report => report;
        public IReadOnlyList<MeterSample> Samples => samples;

        // Set while preparing; read by the caller after the commit.
        public StoredTransactionEvent Outcome { get; set; }

        // A new event (not a replay): its row and samples are appended after SaveChanges.
        public bool Stored { get; set; }
        public DateTimeOffset ReceivedAt { get; set; }
    }
}

/// <summary>What the batch did with one event: its transaction (key set after the commit), replayed or new, and whether it ended the transaction.</summary>
internal readonly record struct StoredTransactionEvent(ChargingTransaction Transaction, bool Replay, bool Ended);

/// <summary>What <see cref="TransactionEventRules.Apply"/> may change on a transaction: equal before and after = no UPDATE.</summary>
internal readonly record struct TransactionFacts(
    DateTimeOffset StartedAt, TransactionAnomalies Anomalies, long MeterStartWh, int ConnectorId, string IdTag,
    DateTimeOffset? StoppedAt, long? MeterStopWh, string? StopIdTag, string? StopReason)
{
    public static TransactionFacts Of(ChargingTransaction t) =>
        new(t.StartedAt, t.Anomalies, t.MeterStartWh, t.ConnectorId, t.IdTag, t.StoppedAt, t.MeterStopWh, t.StopIdTag, t.StopReason);
}
