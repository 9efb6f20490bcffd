using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Data;
using Voltgate.Core.Persistence;

namespace Voltgate.Core.Transactions;

/// <summary>
/// What a batch of MeterValues does: keep a transaction id only when the transaction is the sending station's,
/// skip samples already stored (a replay), and append the rest past the change tracker.
/// </summary>
/// <remarks>State is the writer thread's, apart from <see cref="Forget"/>.</remarks>
internal sealed class MeterSampleBatch(GroupCommitWriter writer) : IBatchWriteKind
{
    private readonly ReplayedSampleCheck _replays = new();

    // Batch-sized lists, kept from batch to batch (indexed loops: no boxed enumerators).
    private readonly List<MeterWrite> _writes = [];
    private readonly List<MeterSample> _received = [];
    private readonly List<MeterSample> _inserted = [];
    private readonly HashSet<int> _transactionIds = [];
    private readonly List<int> _transactionIdList = [];

    /// <summary>Queues the samples of one message (all of one station); completes once committed.</summary>
    public Task WriteAsync(Guid stationId, int? transactionId, IReadOnlyList<MeterSample> samples, CancellationToken ct) =>
        writer.WriteAsync(new MeterWrite(this, stationId, transactionId, samples), ct);

    /// <summary>Makes the replay check read the station's stored samples again: someone else stored some of them.</summary>
    public void Forget(Guid stationId) => _replays.Forget(stationId);

    void IBatchWriteKind.Add(BatchedWrite write) => _writes.Add((MeterWrite)write);

    void IBatchWriteKind.Prepare(VoltgateDbContext db)
    {
        var writes = _writes;
        _received.Clear();
        _transactionIds.Clear();
        for (var w = 0; w < writes.Count; w++)
        {
            var m = writes[w];
            if (m.TransactionId is { } id)
            {
                _transactionIds.Add(id);
            }

            for (var i = 0; i < m.Samples.Count; i++)
            {
                _received.Add(m.Samples[i]);
            }
        }

        var owners = Owners(db);
        var storedSamples = _replays.LoadStored(db, _received);
        var samples = _inserted;
        samples.Clear();
        for (var w = 0; w < writes.Count; w++)
        {
            var m = writes[w];
            var owned = m.TransactionId is { } id && owners is not null && owners.TryGetValue(id, out var owner) && owner == m.StationId;
            for (var i = 0; i < m.Samples.Count; i++)
            {
                var x = m.Samples[i];
                if (storedSamples.Add(SampleKey.Of(x)))
                {
                    // Set both ways: a batch retried write by write runs this again on the same samples.
                    x.TransactionId = owned ? m.TransactionId : null;
                    samples.Add(x);
                }
            }
        }
    }

    void IBatchWriteKind.WriteUntracked(VoltgateDbContext db)
    {
        using var appender = new ModelRowAppender<MeterSample>(db, "Meter samples", rawSqlite: true);
        appender.Append(_inserted);
    }

    void IBatchWriteKind.Committed() => _replays.Committed(_inserted);

    void IBatchWriteKind.Clear()
    {
        _writes.Clear();
        _received.Clear();
        _inserted.Clear();
    }

    // The station of each transaction the batch names (one query).
    private Dictionary<int, Guid>? Owners(VoltgateDbContext db)
    {
        if (_transactionIds.Count == 0)
        {
            return null;
        }

        var ids = _transactionIdList;
        ids.Clear();
        ids.AddRange(_transactionIds);
        return db.Transactions.IgnoreQueryFilters().AsNoTracking().Where(t => EF.Parameter(ids).Contains(t.Id))
            .Select(t => new { t.Id, t.StationId }).ToDictionary(t => t.Id, t => t.StationId);
    }

    private sealed class MeterWrite(MeterSampleBatch kind, Guid stationId, int? transactionId, IReadOnlyList<MeterSample> samples) : BatchedWrite
    {
        public override IBatchWriteKind Kind => kind;
        public Guid StationId => stationId;
        public int? TransactionId => transactionId;
        public IReadOnlyList<MeterSample> Samples => samples;
    }
}
