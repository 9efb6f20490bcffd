using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Data;
using Voltgate.Core.Persistence;

namespace Voltgate.Core.Cluster;

/// <summary>
/// What a batch of connects and disconnects does to <see cref="ConnectionPresence"/>: insert a row per new socket,
/// delete the row of each closed one. A socket that opened and closed within one batch writes nothing.
/// </summary>
/// <remarks>
/// Through the group commit writer, so that a reconnect storm of thousands of stations costs a few commits, not a
/// commit per station. State is the writer thread's.
/// </remarks>
internal sealed class PresenceBatch(GroupCommitWriter writer) : IBatchWriteKind
{
    private readonly Dictionary<Guid, ConnectionPresence> _inserts = [];
    private readonly List<Guid> _deletes = [];

    public Task ConnectedAsync(ConnectionPresence row, CancellationToken ct) => writer.WriteAsync(new PresenceWrite(this, row, row.ConnectionId), ct);

    public Task DisconnectedAsync(Guid connectionId, CancellationToken ct) => writer.WriteAsync(new PresenceWrite(this, null, connectionId), ct);

    void IBatchWriteKind.Add(BatchedWrite write)
    {
        var w = (PresenceWrite)write;
        if (w.Row is { } row)
        {
            _inserts[row.ConnectionId] = row;
        }
        else if (!_inserts.Remove(w.ConnectionId))
        {
            // Queue order: a connect always precedes its disconnect, so only an earlier batch can hold the row.
            _deletes.Add(w.ConnectionId);
        }
    }

    void IBatchWriteKind.Prepare(VoltgateDbContext db)
    {
        foreach (var row in _inserts.Values)
        {
            db.Set<ConnectionPresence>().Add(row);
        }
    }

    void IBatchWriteKind.WriteUntracked(VoltgateDbContext db)
    {
        if (_deletes.Count > 0)
        {
            var ids = _deletes;
            db.Set<ConnectionPresence>().Where(p => EF.Parameter(ids).Contains(p.ConnectionId)).ExecuteDelete();
        }
    }

    void IBatchWriteKind.Clear()
    {
        _inserts.Clear();
        _deletes.Clear();
    }

    private sealed class PresenceWrite(PresenceBatch kind, ConnectionPresence? row, Guid connectionId) : BatchedWrite
    {
        public override IBatchWriteKind Kind => kind;
        public ConnectionPresence? Row => row;
        public Guid ConnectionId => connectionId;
    }
}
