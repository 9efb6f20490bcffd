using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Voltgate.Core.Data;
using Voltgate.Core.Plausibility;
using Voltgate.Core.Stations;

namespace Voltgate.Server.Ocpp.FrontDoor;

/// <summary>A successful Basic Auth handshake: which pool entry the station used, and when.</summary>
internal sealed record PasswordUse(Guid StationId, Guid PasswordId, DateTimeOffset At);

/// <summary>
/// Writes connection attempts and password usage in batches off the handshake path, so a flood of bad handshakes
/// costs the database one insert per batch rather than one per attempt. Bounded: when the database falls behind,
/// the oldest unwritten attempts are dropped and counted rather than growing memory.
/// </summary>
internal sealed partial class FrontDoorRecorder : BackgroundService
{
    private readonly IServiceScopeFactory scopes;
    private readonly ILogger<FrontDoorRecorder> logger;
    private readonly IStationEvents? events;
    private readonly TimeSpan bucket;

    private const int Capacity = 50_000;
    private const int BatchSize = 1_000;

    private readonly Channel<object> _queue;
    private long _dropped;
    private long _pending;

    public FrontDoorRecorder(IServiceScopeFactory scopes, ILogger<FrontDoorRecorder> logger, IStationEvents? events = null, InputLimits? limits = null)
    {
        this.scopes = scopes;
        bucket = (limits ?? new InputLimits()).RefusedHandshakeBucket;
        this.logger = logger;
        this.events = events;
        _queue = Channel.CreateBounded<object>(
            new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => Interlocked.Increment(ref _dropped));
    }

    public long Dropped => Interlocked.Read(ref _dropped);

    public void Record(ConnectionAttempt attempt, PasswordUse? use = null)
    {
        Interlocked.Increment(ref _pending);
        _queue.Writer.TryWrite(attempt);
        if (use is not null)
        {
            Interlocked.Increment(ref _pending);
            _queue.Writer.TryWrite(use);
        }
    }

    /// <summary>Waits until everything recorded so far is written (tests, shutdown).</summary>
    public async Task FlushAsync(CancellationToken ct)
    {
        while (Interlocked.Read(ref _pending) > Interlocked.Read(ref _dropped) && !ct.IsCancellationRequested)
        {
            await Task.Delay(10, ct);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<object>(BatchSize);
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                while (batch.Count < BatchSize && _queue.Reader.TryRead(out var item))
                {
                    batch.Add(item);
                }

                await WriteAsync(batch, CancellationToken.None);
                Interlocked.Add(ref _pending, -batch.Count);
                batch.Clear();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            while (_queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            await WriteAsync(batch, CancellationToken.None);
        }
    }

    private async Task WriteAsync(List<object> batch, CancellationToken ct)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
            // Refused handshakes fold into one row per source, identity, reason and bucket (bounded growth).
            await RefusedAttemptAggregation.AddAsync(db, [.. batch.OfType<ConnectionAttempt>()], bucket, ct);
            await db.SaveChangesAsync(ct);
            // One UPDATE per pool entry used in the batch (usually one), not one per station: each statement is
            // its own short transaction, so it neither queues behind nor holds locks against the write batcher
            // for long. LastAuthenticatedAt is the latest use of that entry in the batch (the batch spans at most
            // the time one write takes).
            var latest = batch.OfType<PasswordUse>().GroupBy(u => u.StationId).Select(g => g.MaxBy(u => u.At)!);
            foreach (var entry in latest.GroupBy(u => u.PasswordId))
            {
                var passwordId = entry.Key;
                var at = entry.Max(u => u.At);
                var stationIds = entry.Select(u => u.StationId).ToList();
                await db.Stations.IgnoreQueryFilters().Where(s => stationIds.Contains(s.Id))
                    .ExecuteUpdateAsync(u => u.SetProperty(s => s.LastPasswordId, passwordId).SetProperty(s => s.LastAuthenticatedAt, at), ct);
            }

            // The protocol of each admitted connection, kept on the station (shown while it is offline, too): one
            // UPDATE per protocol in the batch. A station may change protocol between connections; the latest wins.
            var admitted = batch.OfType<ConnectionAttempt>().Where(a => a.Result == ConnectionResult.Accepted && a.Protocol is not null)
                .GroupBy(a => (a.TenantId, a.Identity)).Select(g => g.MaxBy(a => a.At)!);
            foreach (var protocol in admitted.GroupBy(a => (a.TenantId, a.Protocol!)))
            {
                var (tenantId, name) = protocol.Key;
                var identities = protocol.Select(a => a.Identity).ToList();
                await db.Stations.IgnoreQueryFilters().Where(s => s.TenantId == tenantId && identities.Contains(s.Identity) && s.LastProtocol != name)
                    .ExecuteUpdateAsync(u => u.SetProperty(s => s.LastProtocol, name), ct);
            }

            // After the write, so a live view that reloads on the event finds the attempt.
            foreach (var attempt in batch.OfType<ConnectionAttempt>().DistinctBy(a => (a.TenantId, a.Identity)))
            {
                events?.Publish(new StationEvent(attempt.TenantId, attempt.Identity, StationEventKind.ConnectionAttempt, attempt.At));
            }
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            LogWriteFailed(logger, batch.Count, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write {Count} front-door records ({Error}); they are lost")]
    private static partial void LogWriteFailed(ILogger logger, int count, string error);
}
