using Voltgate.Core.Data;
using Voltgate.Core.Persistence;

namespace Voltgate.Core.MessageHistory;

/// <summary>What a batch of history rows does: append them past the change tracker, in the batch's transaction.</summary>
/// <remarks>State is the writer thread's.</remarks>
internal sealed class MessageHistoryBatch(GroupCommitWriter writer) : IBatchWriteKind
{
    private readonly List<HistoryWrite> _writes = [];

    /// <summary>Queues many rows as one write; completes once they are committed.</summary>
    public Task WriteAsync(IReadOnlyList<StationMessage> rows, CancellationToken ct) => writer.WriteAsync(new HistoryWrite(this, rows), ct);

    void IBatchWriteKind.Add(BatchedWrite write) => _writes.Add((HistoryWrite)write);

    void IBatchWriteKind.Prepare(VoltgateDbContext db)
    {
    }

    void IBatchWriteKind.WriteUntracked(VoltgateDbContext db)
    {
        using var appender = new ModelRowAppender<StationMessage>(db, "History rows");
        foreach (var write in _writes)
        {
            appender.Append(write.Rows);
        }
    }

    void IBatchWriteKind.Clear() => _writes.Clear();

    private sealed class HistoryWrite(MessageHistoryBatch kind, IReadOnlyList<StationMessage> rows) : BatchedWrite
    {
        public override IBatchWriteKind Kind => kind;
        public IReadOnlyList<StationMessage> Rows => rows;
    }
}
