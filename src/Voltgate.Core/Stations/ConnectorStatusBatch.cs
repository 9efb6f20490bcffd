using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Data;
using Voltgate.Core.Persistence;

namespace Voltgate.Core.Stations;

/// <summary>What a batch of connector statuses does: insert or update the row of each (station, connector).</summary>
/// <remarks>State is the writer thread's.</remarks>
internal sealed class ConnectorStatusBatch(GroupCommitWriter writer) : IBatchWriteKind
{
    private readonly List<StatusWrite> _writes = [];
    private readonly List<Guid> _stationIds = [];
    private readonly Dictionary<(Guid, int), ConnectorStatus> _existing = [];

    /// <summary>Queues the upsert; completes once committed.</summary>
    public Task WriteAsync(ConnectorStatus status, CancellationToken ct) => writer.WriteAsync(new StatusWrite(this, status), ct);

    void IBatchWriteKind.Add(BatchedWrite write) => _writes.Add((StatusWrite)write);

    void IBatchWriteKind.Prepare(VoltgateDbContext db)
    {
        // Loads the rows of the batch's stations once.
        var ids = _stationIds;
        ids.Clear();
        foreach (var w in _writes)
        {
            if (!ids.Contains(w.Status.StationId))
            {
                ids.Add(w.Status.StationId);
            }
        }

        var existing = _existing;
        existing.Clear();
        foreach (var row in db.ConnectorStatuses.IgnoreQueryFilters().Where(c => EF.Parameter(ids).Contains(c.StationId)))
        {
            existing[(row.StationId, row.ConnectorId)] = row;
        }

        foreach (var w in _writes)
        {
            var s = w.Status;
            if (existing.TryGetValue((s.StationId, s.ConnectorId), out var row))
            {
                row.Status = s.Status;
                row.ErrorCode = s.ErrorCode;
                row.Info = s.Info;
                row.VendorErrorCode = s.VendorErrorCode;
                row.Timestamp = s.Timestamp;
                var entry = db.Entry(row);
                if (entry.State != EntityState.Added)
                {
                    entry.State = EntityState.Modified;
                }
            }
            else
            {
                db.ConnectorStatuses.Add(s);
                existing[(s.StationId, s.ConnectorId)] = s;
            }
        }
    }

    void IBatchWriteKind.Clear()
    {
        _writes.Clear();
        _existing.Clear();
    }

    private sealed class StatusWrite(ConnectorStatusBatch kind, ConnectorStatus status) : BatchedWrite
    {
        public override IBatchWriteKind Kind => kind;
        public ConnectorStatus Status => status;
    }
}
