using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Voltgate.Core.Data;
using Voltgate.Core.Stations;
using Voltgate.Core.Transactions;
using RegistrationStatus = Voltgate.Core.Stations.RegistrationStatus;

namespace Voltgate.Core.Persistence;

/// <summary>
/// Writes the high-volume station messages (MeterValues, StatusNotification) in batches: one DbContext, one
/// transaction and one commit for up to <see cref="MaxBatch"/> messages instead of one of each per message.
/// </summary>
/// <remarks>
/// <para><b>Durability.</b> A caller's task completes only after the batch holding its write has committed; the
/// handlers await it, so a station's MeterValues / StatusNotification is answered only once its rows are in the
/// database. Nothing is acknowledged before it is committed. A failed batch is retried message by message, so one
/// bad message (e.g. a station deleted meanwhile) fails alone and its station gets an InternalError.</para>
/// <para><b>Back-pressure.</b> The queue is bounded (<see cref="Capacity"/> messages). When the database falls
/// behind, <see cref="WriteAsync"/> waits for room, the station's receive loop waits with it and TCP slows the
/// station down; memory does not grow.</para>
/// <para><b>Batching.</b> The writer takes whatever is queued when it is free. A message that arrives alone (the
/// last batch held one message) is written at once. Under load, once a batch held more than one, the writer
/// first waits <see cref="DatabaseOptions.WriteBatchDelayMs"/> (5 ms by default) for the batch to fill: each
/// commit costs a transaction, its queries and a WAL write of every page it touched whatever its size, and at
/// 10,000 MeterValues/s that fixed cost over batches of a few messages was 15 % of the server's CPU (measured when
/// each batch still made its own DbContext).</para>
/// <para><b>Waking the writer.</b> Producers wake the writer thread directly through an event. Awaiting
/// <c>WaitToReadAsync</c> on the writer thread would route every wake-up through a thread-pool work item, which
/// at saturation queues behind thousands of receive callbacks and stalls the one thread that frees them.</para>
/// </remarks>
public sealed partial class OcppWriteBatcher(IServiceScopeFactory scopes, DatabaseOptions database, ILogger<OcppWriteBatcher> logger) : BackgroundService
{
    public const int Capacity = 20_000;
    public const int MaxBatch = 2_000;

    private readonly Channel<PendingWrite> _queue = Channel.CreateBounded<PendingWrite>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    // No spinning before the writer sleeps: on two cores a spinning writer takes the core a producer needs.
    private readonly ManualResetEventSlim _queued = new(initialState: false, spinCount: 0);

    private readonly ReplayedSampleCheck _replays = new();

    // The writer thread's batch-sized lists, kept from batch to batch (indexed loops: no boxed enumerators).
    private readonly List<MeterSample> _received = [];
    private readonly List<MeterSample> _inserted = [];

    // The writer thread's own scope and context (see Context()).
    private IServiceScope? _scope;
    private VoltgateDbContext? _db;

    private long _batches;
    private long _messages;

    /// <summary>Committed batches and messages so far (for diagnostics and tests).</summary>
    public (long Batches, long Messages) Totals => (Interlocked.Read(ref _batches), Interlocked.Read(ref _messages));

    /// <summary>
    /// Queues the samples of one MeterValues message (all of one station); completes once committed. The samples keep
    /// <paramref name="transactionId"/> only if that transaction is the station's.
    /// </summary>
    public Task WriteSamplesAsync(Guid stationId, int? transactionId, IReadOnlyList<MeterSample> samples, CancellationToken ct) =>
        WriteAsync(new MeterWrite(stationId, transactionId, samples), ct);

    /// <summary>
    /// Tells the writer that the station's meter samples may have been stored by someone else, before the station is
    /// answered: by StopTransaction's transactionData, or by another node once the station's connection has ended.
    /// </summary>
    public void ForgetStoredSamples(Guid stationId) => _replays.Forget(stationId);

    /// <summary>Queues one StatusNotification (insert or update of the connector's row); completes once committed.</summary>
    public Task WriteStatusAsync(ConnectorStatus status, CancellationToken ct) => WriteAsync(new StatusWrite(status), ct);

    /// <summary>Stores what a booting station says about itself; returns its registration status once committed.</summary>
    public async Task<RegistrationStatus> WriteBootAsync(Guid stationId, string vendor, string model, string? serialNumber, string? firmwareVersion, DateTimeOffset at, CancellationToken ct)
    {
        var write = new BootWrite(stationId, vendor, model, serialNumber, firmwareVersion, at);
        await WriteAsync(write, ct);
        return write.RegistrationStatus;
    }

    private async Task WriteAsync(PendingWrite write, CancellationToken ct)
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

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A dedicated thread: Microsoft.Data.Sqlite does its I/O synchronously (also behind the async API), and a
        // commit of a big batch must not hold one of the two thread-pool threads this machine starts with.
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
        var batch = new List<PendingWrite>(MaxBatch);
        var delay = TimeSpan.FromMilliseconds(database.WriteBatchDelayMs);
        var lastDrained = 0;
        try
        {
            while (true)
            {
                _queued.Wait(stoppingToken);
                // Reset before draining: a message queued after the drain sets the event again.
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

    /// <summary>Commits everything queued, in batches of at most <see cref="MaxBatch"/>; returns how many messages.</summary>
    private int CommitQueued(List<PendingWrite> batch)
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

    private void Commit(List<PendingWrite> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            WriteBatch(batch);
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _messages, batch.Count);
            foreach (var write in batch)
            {
                if (write is BootWrite { Missing: true })
                {
                    write.Completion.TrySetException(new InvalidOperationException("The station no longer exists."));
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

    private void WriteBatch(List<PendingWrite> batch)
    {
        var db = Context();
        try
        {
            WriteBatch(db, batch);
        }
        catch
        {
            // Whatever the failed batch left in the context goes with it.
            DropContext();
            throw;
        }

        db.ChangeTracker.Clear();
    }

    // One context for the writer's life, emptied after every batch: a scope and a context per batch were 15-20 % of
    // the writer thread at 7,000 MeterValues/s (service resolution, options and the context's internal services).
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

    private void WriteBatch(VoltgateDbContext db, List<PendingWrite> batch)
    {
        // MeterValues may name a transaction: keep the link only when the transaction is this station's (one query).
        var transactionIds = batch.OfType<MeterWrite>().Where(m => m.TransactionId is not null).Select(m => m.TransactionId!.Value).Distinct().ToList();
        var owners = transactionIds.Count == 0
            ? []
            : db.Transactions.IgnoreQueryFilters().AsNoTracking().Where(t => EF.Parameter(transactionIds).Contains(t.Id))
                .Select(t => new { t.Id, t.StationId }).ToDictionary(t => t.Id, t => t.StationId);

        // A station replaying its queue after an outage sends the same samples again: skip any already stored
        // (or already in this batch).
        _received.Clear();
        foreach (var write in batch)
        {
            if (write is MeterWrite m)
            {
                for (var i = 0; i < m.Samples.Count; i++)
                {
                    _received.Add(m.Samples[i]);
                }
            }
        }

        var storedSamples = _replays.LoadStored(db, _received);

        // StatusNotification is an upsert of (station, connector): load the rows of the batch's stations once.
        var statusWrites = batch.OfType<StatusWrite>().ToList();
        var existing = new Dictionary<(Guid, int), ConnectorStatus>();
        if (statusWrites.Count > 0)
        {
            var stationIds = statusWrites.Select(s => s.Status.StationId).Distinct().ToList();
            foreach (var row in db.ConnectorStatuses.IgnoreQueryFilters().Where(c => EF.Parameter(stationIds).Contains(c.StationId)))
            {
                existing[(row.StationId, row.ConnectorId)] = row;
            }
        }

        // BootNotification updates what the station says about itself; the answer needs its registration status.
        var bootWrites = batch.OfType<BootWrite>().ToList();
        var stations = new Dictionary<Guid, Station>();
        if (bootWrites.Count > 0)
        {
            var ids = bootWrites.Select(b => b.StationId).Distinct().ToList();
            foreach (var row in db.Stations.IgnoreQueryFilters().Where(s => EF.Parameter(ids).Contains(s.Id)))
            {
                stations[row.Id] = row;
            }
        }

        var samples = _inserted;
        samples.Clear();
        foreach (var write in batch)
        {
            switch (write)
            {
                case MeterWrite m:
                    var owned = m.TransactionId is { } id && owners.TryGetValue(id, out var owner) && owner == m.StationId;
                    for (var i = 0; i < m.Samples.Count; i++)
                    {
                        var x = m.Samples[i];
                        if (storedSamples.Add(SampleKey.Of(x)))
                        {
                            if (!owned)
                            {
                                x.TransactionId = null;
                            }

                            samples.Add(x);
                        }
                    }
                    break;
                case StatusWrite { Status: var s }:
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

                    break;
                case BootWrite b when stations.TryGetValue(b.StationId, out var station):
                    station.Vendor = b.Vendor;
                    station.Model = b.Model;
                    station.SerialNumber = b.SerialNumber;
                    station.FirmwareVersion = b.FirmwareVersion;
                    station.LastBootAt = b.At;
                    station.LastSeenAt = b.At;
                    var stationEntry = db.Entry(station);
                    foreach (var name in BootProperties)
                    {
                        stationEntry.Property(name).IsModified = true;
                    }

                    b.RegistrationStatus = station.RegistrationStatus;
                    break;
                case BootWrite b:
                    b.Missing = true;
                    break;
            }
        }

        // One transaction for the tracked rows and the appended samples; the provider's retrying strategy (PostgreSQL)
        // repeats the whole unit, so changes are accepted only after the commit.
        db.Database.CreateExecutionStrategy().Execute(() =>
        {
            using var transaction = db.Database.BeginTransaction();
            db.SaveChanges(acceptAllChangesOnSuccess: false);
            using (var appender = new MeterSampleAppender(db))
            {
                appender.Append(samples);
            }

            transaction.Commit();
        });
        db.ChangeTracker.AcceptAllChanges();
        _replays.Committed(samples);
    }

    private static readonly string[] BootProperties =
        [nameof(Station.Vendor), nameof(Station.Model), nameof(Station.SerialNumber), nameof(Station.FirmwareVersion), nameof(Station.LastBootAt), nameof(Station.LastSeenAt)];

    private static bool IsDatabaseError(Exception ex) => ex is DbUpdateException or InvalidOperationException or System.Data.Common.DbException;

    private abstract record PendingWrite
    {
        // Continuations run on the thread pool, never inline on the writer loop.
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed record MeterWrite(Guid StationId, int? TransactionId, IReadOnlyList<MeterSample> Samples) : PendingWrite;

    private sealed record StatusWrite(ConnectorStatus Status) : PendingWrite;

    private sealed record BootWrite(Guid StationId, string Vendor, string Model, string? SerialNumber, string? FirmwareVersion, DateTimeOffset At) : PendingWrite
    {
        public RegistrationStatus RegistrationStatus { get; set; }
        public bool Missing { get; set; }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} station messages could not be written ({Error}); retrying them one by one")]
    private static partial void LogBatchFailed(ILogger logger, int count, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} station message(s) could not be written; their stations get an error answer")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count);
}
