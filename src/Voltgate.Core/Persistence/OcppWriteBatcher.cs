using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Voltgate.Core.Data;
using Voltgate.Core.OcppHandlers;
using Voltgate.Core.OcppHandlers.V16;
using Voltgate.Core.Stations;
using Voltgate.Ocpp.V16;

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
/// <para><b>Batching without waiting.</b> The writer takes whatever is queued when it is free; it never waits for
/// a batch to fill, so at low rates a message is written alone and at once, and at high rates batches grow by
/// themselves while the previous commit runs.</para>
/// </remarks>
public sealed partial class OcppWriteBatcher(IServiceScopeFactory scopes, ILogger<OcppWriteBatcher> logger) : BackgroundService
{
    public const int Capacity = 20_000;
    public const int MaxBatch = 2_000;

    private readonly Channel<PendingWrite> _queue = Channel.CreateBounded<PendingWrite>(
        new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.Wait, SingleReader = true });

    private long _batches;
    private long _messages;

    /// <summary>Committed batches and messages so far (for diagnostics and tests).</summary>
    public (long Batches, long Messages) Totals => (Interlocked.Read(ref _batches), Interlocked.Read(ref _messages));

    /// <summary>Queues the meter values of one MeterValues (or StopTransaction) message; completes once committed.</summary>
    public Task WriteMeterValuesAsync(OcppStationContext station, int connectorId, int? transactionId, IReadOnlyList<MeterValue> values, CancellationToken ct) =>
        WriteAsync(new MeterWrite(station.TenantId, station.StationId, connectorId, transactionId, values), ct);

    /// <summary>Queues one StatusNotification (insert or update of the connector's row); completes once committed.</summary>
    public Task WriteStatusAsync(ConnectorStatus status, CancellationToken ct) => WriteAsync(new StatusWrite(status), ct);

    private async Task WriteAsync(PendingWrite write, CancellationToken ct)
    {
        if (!_queue.Writer.TryWrite(write))
        {
            await _queue.Writer.WriteAsync(write, ct);
        }

        await write.Completion.Task;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<PendingWrite>(MaxBatch);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                await CommitAsync(batch);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: write what is queued, refuse the rest.
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
                if (batch.Count == MaxBatch)
                {
                    await CommitAsync(batch);
                    batch.Clear();
                }
            }

            await CommitAsync(batch);
        }
    }

    private async Task CommitAsync(List<PendingWrite> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await WriteBatchAsync(batch);
            Interlocked.Increment(ref _batches);
            Interlocked.Add(ref _messages, batch.Count);
            foreach (var write in batch)
            {
                write.Completion.TrySetResult();
            }
        }
        catch (Exception ex) when (batch.Count > 1 && IsDatabaseError(ex))
        {
            LogBatchFailed(logger, batch.Count, ex.GetType().Name);
            foreach (var write in batch)
            {
                await CommitAsync([write]);
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

    private async Task WriteBatchAsync(List<PendingWrite> batch)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        db.ChangeTracker.AutoDetectChangesEnabled = false;

        // MeterValues may name a transaction: keep the link only when the transaction is this station's (one query).
        var transactionIds = batch.OfType<MeterWrite>().Where(m => m.TransactionId is not null).Select(m => m.TransactionId!.Value).Distinct().ToList();
        var owners = transactionIds.Count == 0
            ? []
            : await db.Transactions.IgnoreQueryFilters().AsNoTracking().Where(t => transactionIds.Contains(t.Id))
                .Select(t => new { t.Id, t.StationId }).ToDictionaryAsync(t => t.Id, t => t.StationId);

        // StatusNotification is an upsert of (station, connector): load the rows of the batch's stations once.
        var statusWrites = batch.OfType<StatusWrite>().ToList();
        var existing = new Dictionary<(Guid, int), ConnectorStatus>();
        if (statusWrites.Count > 0)
        {
            var stationIds = statusWrites.Select(s => s.Status.StationId).Distinct().ToList();
            foreach (var row in await db.ConnectorStatuses.IgnoreQueryFilters().Where(c => stationIds.Contains(c.StationId)).ToListAsync())
            {
                existing[(row.StationId, row.ConnectorId)] = row;
            }
        }

        foreach (var write in batch)
        {
            switch (write)
            {
                case MeterWrite m:
                    int? transactionId = m.TransactionId is { } id && owners.TryGetValue(id, out var owner) && owner == m.StationId ? id : null;
                    db.MeterSamples.AddRange(MeterSampleWriter.Create(m.TenantId, m.StationId, m.ConnectorId, transactionId, m.Values));
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
            }
        }

        await db.SaveChangesAsync();
    }

    private static bool IsDatabaseError(Exception ex) => ex is DbUpdateException or InvalidOperationException or System.Data.Common.DbException;

    private abstract record PendingWrite
    {
        // Continuations run on the thread pool, never inline on the writer loop.
        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private sealed record MeterWrite(Guid TenantId, Guid StationId, int ConnectorId, int? TransactionId, IReadOnlyList<MeterValue> Values) : PendingWrite;

    private sealed record StatusWrite(ConnectorStatus Status) : PendingWrite;

    [LoggerMessage(Level = LogLevel.Warning, Message = "A batch of {Count} station messages could not be written ({Error}); retrying them one by one")]
    private static partial void LogBatchFailed(ILogger logger, int count, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} station message(s) could not be written; their stations get an error answer")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, int count);
}
