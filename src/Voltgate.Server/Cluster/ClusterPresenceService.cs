using Voltgate.Core.Cluster;
using Voltgate.Core.Stations;

namespace Voltgate.Server.Cluster;

/// <summary>
/// This node's heartbeat in the database, and what it knows about the others. Every second it reads the node list:
/// a node whose heartbeat is older than the claim TTL is dead, and its presence rows stop counting at once. When a
/// node dies, this node tells its own live pages that the dead node's stations went offline (nobody else will: the
/// dead node cannot), and when it comes back, that they are online again. Nodes dead for long are purged.
/// </summary>
/// <remarks>
/// Independent of Redis on purpose: with the backplane away, the stations lists and counts still see the whole
/// network through the database; only the live events of other nodes stop.
/// </remarks>
internal sealed partial class ClusterPresenceService(
    ClusterNode node,
    ClusterPresenceStore store,
    RedisStationEvents events,
    TimeProvider time,
    ILogger<ClusterPresenceService> logger) : BackgroundService
{
    private static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan PurgeEvery = TimeSpan.FromMinutes(1);

    private readonly DateTimeOffset _startedAt = time.GetUtcNow();
    private volatile IReadOnlySet<string> _dead = new HashSet<string>(StringComparer.Ordinal);
    private HashSet<string>? _alive;
    private DateTimeOffset _lastBeat = DateTimeOffset.MinValue;
    private DateTimeOffset _lastPurge = DateTimeOffset.MinValue;

    /// <summary>Nodes known (from the database) to be dead: their presence rows and their Redis claims do not count.</summary>
    public IReadOnlySet<string> DeadNodes => _dead;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        // Before the listeners open: rows left by an earlier run under the same node id would look alive again.
        try
        {
            await store.ForgetNodeAsync(node.NodeId, entryToo: false, cancellationToken);
            await BeatAsync(time.GetUtcNow(), cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            LogTickFailed(logger, ex);
        }

        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            // A clean stop: this node's stations are offline for everyone at once, not after the TTL.
            await store.ForgetNodeAsync(node.NodeId, entryToo: true, cancellationToken);
        }
        catch (Exception ex)
        {
            LogTickFailed(logger, ex);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Tick, time);
        do
        {
            try
            {
                await TickAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogTickFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task TickAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        // Half a tick early: a timer that fires a moment before the interval is up must not skip a whole beat.
        if (now - _lastBeat >= node.Settings.RefreshInterval - (Tick / 2))
        {
            await BeatAsync(now, ct);
        }

        var nodes = await store.NodesAsync(ct);
        var aliveAfter = now - node.Settings.ClaimTtl;
        var alive = nodes.Where(n => n.HeartbeatAt >= aliveAfter || n.NodeId == node.NodeId).Select(n => n.NodeId).ToHashSet(StringComparer.Ordinal);
        _dead = nodes.Select(n => n.NodeId).Where(id => !alive.Contains(id)).ToHashSet(StringComparer.Ordinal);
        if (_alive is { } before)
        {
            var died = before.Where(id => !alive.Contains(id)).ToList();
            var returned = alive.Where(id => !before.Contains(id)).ToList();
            await TellPagesAsync(died, StationEventKind.Disconnected, now, ct);
            await TellPagesAsync(returned, StationEventKind.Connected, now, ct);
        }

        _alive = alive;
        if (now - _lastPurge >= PurgeEvery)
        {
            _lastPurge = now;
            // Long enough that every node has told its pages, short enough that the table stays small.
            var purged = await store.PurgeAsync(now - Max(TimeSpan.FromMinutes(10), 3 * node.Settings.ClaimTtl), ct);
            if (purged > 0)
            {
                LogPurged(logger, purged);
            }
        }
    }

    private async Task TellPagesAsync(List<string> nodeIds, StationEventKind kind, DateTimeOffset now, CancellationToken ct)
    {
        if (nodeIds.Count == 0)
        {
            return;
        }

        var rows = await store.OfNodesAsync(nodeIds, ct);
        var state = kind == StationEventKind.Disconnected ? "dead (heartbeat too old)" : "alive";
        foreach (var id in nodeIds)
        {
            var held = rows.Count(r => r.NodeId == id);
            LogNodeChanged(logger, id, state, held);
        }

        foreach (var row in rows)
        {
            events.PublishHere(new StationEvent(row.TenantId, row.Identity, kind, now));
        }
    }

    private async Task BeatAsync(DateTimeOffset now, CancellationToken ct)
    {
        await store.HeartbeatAsync(node.NodeId, node.Settings.AdvertisedAddress, _startedAt, now, ct);
        _lastBeat = now;
    }

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster node {Node} is {State}; {Count} station(s) it held")]
    private static partial void LogNodeChanged(ILogger logger, string node, string state, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Removed {Count} long-dead cluster node(s) and their presence rows")]
    private static partial void LogPurged(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cluster heartbeat in the database failed; retrying")]
    private static partial void LogTickFailed(ILogger logger, Exception error);
}
