using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Voltgate.Core.Data;
using Voltgate.Server.Ocpp;

namespace Voltgate.Server.Diagnostics;

/// <summary>
/// Keeps <c>Station.LastSeenAt</c> following every message without a write per frame: the connection only notes the
/// time in memory (<see cref="StationConnection.LastSeen"/>); every <see cref="DiagnosticsOptions.FlushInterval"/>
/// this scans the live sessions and writes the stations whose time moved, grouped by the second (one UPDATE per
/// distinct second, a handful per flush whatever the number of stations). Stored times are floored to the second:
/// another node's page shows "last seen" to within a second plus the flush interval.
/// </summary>
internal sealed partial class LastSeenFlusher(StationSessions sessions, DiagnosticsOptions options, IServiceScopeFactory scopes, ILogger<LastSeenFlusher> logger) : BackgroundService
{
    private const int MaxIdsPerStatement = 5_000;

    // What was written last per station (this node's view); ended connections wait in _ended for the next flush.
    private readonly Dictionary<Guid, DateTimeOffset> _written = [];
    private readonly ConcurrentDictionary<Guid, DateTimeOffset> _ended = new();
    private readonly SemaphoreSlim _flushing = new(1, 1);

    /// <summary>A connection ended: its last frame is written with the next flush.</summary>
    public void Ended(Guid stationId, DateTimeOffset lastSeen) =>
        _ended.AddOrUpdate(stationId, lastSeen, (_, old) => old > lastSeen ? old : lastSeen);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.FlushInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await FlushAsync(CancellationToken.None);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            await FlushAsync(CancellationToken.None);
        }
    }

    /// <summary>Writes the last-seen times that moved since the previous flush; returns how many stations (tests, shutdown).</summary>
    public async Task<int> FlushAsync(CancellationToken ct)
    {
        await _flushing.WaitAsync(ct);
        try
        {
            var due = Collect();
            if (due.Count == 0)
            {
                return 0;
            }

            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
            foreach (var second in due.GroupBy(d => FloorToSecond(d.Value)))
            {
                var at = second.Key;
                foreach (var chunk in second.Select(d => d.Key).Chunk(MaxIdsPerStatement))
                {
                    // Never backwards: another node (or a boot) may have written a later time.
                    await db.Stations.IgnoreQueryFilters()
                        .Where(s => chunk.Contains(s.Id) && (s.LastSeenAt == null || s.LastSeenAt < at))
                        .ExecuteUpdateAsync(u => u.SetProperty(s => s.LastSeenAt, at), ct);
                }
            }

            foreach (var (id, at) in due)
            {
                _written[id] = at;
            }

            return due.Count;
        }
        catch (Exception ex) when (ex is DbUpdateException or InvalidOperationException or System.Data.Common.DbException)
        {
            LogWriteFailed(logger, ex.GetType().Name);
            return 0;
        }
        finally
        {
            _flushing.Release();
        }
    }

    private Dictionary<Guid, DateTimeOffset> Collect()
    {
        var due = new Dictionary<Guid, DateTimeOffset>();
        var live = new HashSet<Guid>();
        foreach (var connection in sessions.All)
        {
            var id = connection.Context.StationId;
            live.Add(id);
            var seen = connection.LastSeen;
            if (!_written.TryGetValue(id, out var written) || seen > written)
            {
                due[id] = seen;
            }
        }

        foreach (var id in _ended.Keys)
        {
            if (_ended.TryRemove(id, out var seen) && (!_written.TryGetValue(id, out var written) || seen > written)
                && (!due.TryGetValue(id, out var other) || seen > other))
            {
                due[id] = seen;
            }
        }

        // Forget stations that left this node, so the map stays the size of the live sessions.
        foreach (var id in _written.Keys.Where(id => !live.Contains(id)).ToList())
        {
            _written.Remove(id);
        }

        return due;
    }

    private static DateTimeOffset FloorToSecond(DateTimeOffset at) => new(at.UtcTicks - (at.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);

    public override void Dispose()
    {
        _flushing.Dispose();
        base.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not write stations' last-seen times ({Error}); the next flush retries")]
    private static partial void LogWriteFailed(ILogger logger, string error);
}
