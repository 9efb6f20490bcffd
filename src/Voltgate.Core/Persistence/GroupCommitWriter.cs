using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Voltgate.Core.Data;
using Voltgate.Core.Telemetry;

namespace Voltgate.Core.Persistence;

/// <summary>One queued write; its kind says what it does to the database.</summary>
internal abstract class BatchedWrite
{
    // Continuations run on the thread pool, never inline on the writer loop.
    public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The feature that turns this write into rows (a singleton).</summary>
    public abstract IBatchWriteKind Kind { get; }

    /// <summary>Set by the kind while preparing: the write is refused with this once the batch has committed.</summary>
    public Exception? Refusal { get; set; }
}

/// <summary>
/// What one feature's writes do inside a batch. Called on the writer thread only, in this order per batch:
/// <see cref="Add"/> for each of the batch's writes of this kind (in queue order), <see cref="Prepare"/>,
/// <see cref="WriteUntracked"/> (inside the transaction, possibly more than once when the provider retries),
/// <see cref="Committed"/> after the commit, and <see cref="Clear"/> whether or not it committed.
/// </summary>
internal interface IBatchWriteKind
{
    void Add(BatchedWrite write);

    /// <summary>Reads what the batch needs and changes tracked entities of <paramref name="db"/>.</summary>
    void Prepare(VoltgateDbContext db);

    /// <summary>Writes rows past the change tracker, on the batch's connection and transaction.</summary>
    void WriteUntracked(VoltgateDbContext db)
    {
    }

    void Committed()
    {
    }

    void Clear();
}

/// <summary>
/// Group commit for the high-volume station messages: one DbContext, one transaction and one commit for up to
/// <see cref="MaxBatch"/> queued writes instead of one of each per message. What a write does lives with its feature
/// (<see cref="IBatchWriteKind"/>); this class only queues, batches, commits and retries.
/// </summary>
/// <remarks>
/// <para><b>Durability.</b> A caller's task completes only after the batch holding its write has committed, so a
/// station is answered only once its rows are in the database. A failed batch is retried write by write, so one bad
/// write (e.g. a station deleted meanwhile) fails alone.</para>
/// <para><b>Back-pressure.</b> The queue is bounded (<see cref="Capacity"/>): when the database falls behind,
/// <see cref="WriteAsync"/> waits for room and TCP slows the station down; memory does not grow.</para>
/// <para><b>Batching.</b> A write that arrives alone is committed at once; once a batch held more than one, the writer
/// first waits <see cref="DatabaseOptions.WriteBatchDelayMs"/> for the batch to fill, since each commit has a fixed
/// cost (docs/performance.md).</para>
/// <para><b>Waking the writer.</b> Producers wake the writer thread directly through an event, not through the
/// thread pool, which at saturation would queue the wake-up behind the receive callbacks it is meant to free.</para>
/// </remarks>
internal sealed partial class GroupCommitWriter(IServiceScopeFactory scopes, DatabaseOptions database, ILogger<GroupCommitWriter> logger, VoltgateMetrics metrics) : BackgroundService
{
    public const int Capacity = 20_000;
    public const int MaxBatch = 2_000;

    private readonly Channel<BatchedWrite> _queue = Channel.CreateBounded<BatchedWrite>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    // No spinning before the writer sleeps: on two cores a spinning writer takes the core a producer needs.
    private readonly ManualResetEventSlim _queued = new(initialState: false, spinCount: 0);

    // The kinds in the current batch (a handful at most, so a list beats a set).
    private readonly List<IBatchWriteKind> _kinds = [];

    // The writer thread's own scope and context (see Context()).
    private IServiceScope? _scope;
    private VoltgateDbContext? _db;

    private long _batches;
    private long _messages;

    /// <summary>Committed batches and writes so far (for diagnostics and tests).</summary>
    public (long Batches, long Messages) Totals => (Interlocked.Read(ref _batches), Interlocked.Read(ref _messages));

    /// <summary>Queues <paramref name="write"/>; completes once its batch has committed (or faults with its error).</summary>
    public async Task WriteAsync(BatchedWrite write, CancellationToken ct)
    {
        if (!_queue.Writer.TryWrite(write))
        {
            await _queue.Writer.WriteAsync(write, ct);
        }

        if (!_queued.IsSet)
        {
            _queued.Set();
        }

        await write.Completion.Task;
    }

    /// <summary>Writes waiting for the writer (voltgate_writer_queue_depth): near <see cref="Capacity"/>, stations wait on the database.</summary>
    public int QueueDepth => _queue.Reader.Count;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        metrics.Meter.CreateObservableGauge("voltgate.writer.queue.depth", () => QueueDepth, "{write}", "Station messages queued for the writer.");
        // A dedicated thread: Microsoft.Data.Sqlite does its I/O synchronously (also behind the async API), and a
        // commit of a big batch must not hold one of the few thread-pool threads.
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                Run(stoppingToken);
                done.TrySetResult();
            }
            catch (Exception ex)
            {
                done.TrySetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = "voltgate-db-writer",
        };
        thread.Start();
        return done.Task;
    }

    private void Run(CancellationToken stoppingToken)
    {
        var batch = new List<BatchedWrite>(MaxBatch);
        var delay = TimeSpan.FromMilliseconds(database.WriteBatchDelayMs);
        var lastDrained = 0;
        try
        {
            while (true)
            {
                _queued.Wait(stoppingToken);
                // Reset before draining: a write queued after the drain sets the event again.
                _queued.Reset();
                if (lastDrained > 1 && delay > TimeSpan.Zero && _queue.Reader.Count < MaxBatch)
                {
                    stoppingToken.WaitHandle.WaitOne(delay);
                    stoppingToken.ThrowIfCancellationRequested();
                }

                lastDrained = CommitQueued(batch);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: write what is queued, refuse the rest.
            _queue.Writer.TryComplete();
            CommitQueued(batch);
        }
        finally
        {
            DropContext();
        }
    }

    /// <summary>Commits everything queued, in batches of at most <see cref="MaxBatch"/>; returns how many writes.</summary>
    private int CommitQueued(List<BatchedWrite> batch)
    {
        var drained = 0;
        while (_queue.Reader.TryRead(out var item))
        {
            batch.Add(item);
            if (batch.Count == MaxBatch)
            {
                drained += batch.Count;
                Commit(batch);
                batch.Clear();
            }
        }

        drained += batch.Count;
        Commit(batch);
        batch.Clear();
        return drained;
    }

    private void Commit(List<BatchedWrite> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            WriteBatch(batch);
            metrics.WriterCommitted(batch.Count, started);
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _messages, batch.Count);
            foreach (var write in batch)
            {
                if (write.Refusal is { } refusal)
                {
                    write.Completion.TrySetException(refusal);
                }
                else
                {
                    write.Completion.TrySetResult();
                }
            }
        }
        catch (Exception ex) when (batch.Count > 1 && IsDatabaseError(ex))
        {
            LogBatchFailed(logger, batch.Count, ex.GetType().Name);
            foreach (var write in batch)
            {
                Commit([write]);
            }
        }
        catch (Exception ex)
        {
            LogWriteFailed(logger, ex, batch.Count);
            foreach (var write in batch)
            {
                write.Completion.TrySetException(ex);
            }
        }
    }

    private void WriteBatch(List<BatchedWrite> batch)
    {
        var kinds = _kinds;
        var db = Context();
        try
        {
            foreach (var write in batch)
            {
                write.Refusal = null;
                var kind = write.Kind;
                if (!kinds.Contains(kind))
                {
                    kinds.Add(kind);
                }

                kind.Add(write);
            }

            foreach (var kind in kinds)
            {
                kind.Prepare(db);
            }

            // One transaction for the tracked rows and the untracked ones; the provider's retrying strategy (PostgreSQL)
            // repeats the whole unit, so changes are accepted only after the commit.
            db.Database.CreateExecutionStrategy().Execute(() =>
            {
                using var transaction = db.Database.BeginTransaction();
                db.SaveChanges(acceptAllChangesOnSuccess: false);
                foreach (var kind in kinds)
                {
                    kind.WriteUntracked(db);
                }

                transaction.Commit();
            });
            db.ChangeTracker.AcceptAllChanges();
            foreach (var kind in kinds)
            {
                kind.Committed();
            }
        }
        catch
        {
            // Whatever the failed batch left in the context goes with it.
            DropContext();
            throw;
        }
        finally
        {
            foreach (var kind in kinds)
            {
                kind.Clear();
            }

            kinds.Clear();
        }

        db.ChangeTracker.Clear();
    }

    // One context for the writer's life, emptied after every batch: a scope and a context per batch cost a sizeable
    // share of the writer thread (docs/performance.md).
    private VoltgateDbContext Context()
    {
        if (_db is null)
        {
            _scope = scopes.CreateScope();
            _db = _scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
            _db.ChangeTracker.AutoDetectChangesEnabled = false;
        }

        return _db;
    }

    private void DropContext()
    {
        _scope?.Dispose();
        (_scope, _db) = (null, null);
    }

    private static bool IsDatabaseError(Exception ex) => ex is DbUpdateException or InvalidOperationException or System.Data.Common.DbException;

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} station messages could not be written ({Error}); retrying them one by one")]
    private static partial void LogBatchFailed(ILogger logger, int count, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} station message(s) could not be written; their stations get an error answer")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count);
}
