using System.Text.Json;
using StackExchange.Redis;

namespace Voltgate.Server.Cluster;

/// <summary>
/// Keeps this node in the cluster: subscribes to its node channel and the change channel, advertises the node and
/// refreshes its station claims every third of the TTL, and after a backplane outage drops its caches (messages may
/// have been missed) and re-claims its stations (Redis may have lost them). Checks once a second, and keeps
/// <see cref="ClusterStatus"/> (what the pages' "local view" banner shows) up to date.
/// </summary>
internal sealed partial class ClusterService(
    ClusterNode node,
    RedisStationRegistry registry,
    RedisStationCommandRouter router,
    ClusterCacheInvalidator invalidator,
    RedisStationEvents events,
    ClusterStatus status,
    TimeProvider time,
    ILogger<ClusterService> logger) : BackgroundService
{
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();
    private volatile bool _resync;
    private bool _subscribed;
    private bool _nodeChannel;
    private bool _eventsChannel;
    private DateTimeOffset _lastRefresh = DateTimeOffset.MinValue;

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        node.Redis.ConnectionFailed += OnConnectionFailed;
        // Subscribe before the listeners open, so the first forwarded call finds us listening.
        await TrySubscribeAsync();
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        node.Redis.ConnectionFailed -= OnConnectionFailed;
        await base.StopAsync(cancellationToken);
        try
        {
            await node.Db.KeyDeleteAsync(node.NodeKey(node.NodeId));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The entry expires by itself.
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        LogJoined(logger, node.NodeId, node.RedisEndpoints, node.Settings.ClaimTtl.TotalSeconds);
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(1), time);
        do
        {
            try
            {
                await TickAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException)
            {
                _resync = true;
                status.Set(false);
                LogTickFailed(logger, ex);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task TickAsync(CancellationToken ct)
    {
        if (!node.IsConnected)
        {
            _resync = true;
            status.Set(false);
            return;
        }

        if (!_subscribed && !await TrySubscribeAsync())
        {
            status.Set(false);
            return;
        }

        var now = time.GetUtcNow();
        if (_resync)
        {
            await invalidator.ResetAllAsync(ct);
            var count = await RefreshAsync(now);
            _resync = false;
            LogResynced(logger, count);
        }
        else if (now - _lastRefresh >= node.Settings.RefreshInterval)
        {
            await RefreshAsync(now);
        }

        // Only now, caches dropped and claims back: the pages drop their "local view" banner and reload.
        status.Set(true);
    }

    private async Task<int> RefreshAsync(DateTimeOffset now)
    {
        var entry = JsonSerializer.Serialize(new NodeEntry(node.NodeId, node.Settings.AdvertisedAddress, _startedAt), ClusterJson.Default.NodeEntry);
        await node.Db.StringSetAsync(node.NodeKey(node.NodeId), entry, node.Settings.ClaimTtl);
        var count = await registry.RefreshAllAsync();
        _lastRefresh = now;
        return count;
    }

    private async Task<bool> TrySubscribeAsync()
    {
        if (_subscribed || !node.IsConnected)
        {
            return _subscribed;
        }

        try
        {
            // Each channel once (a retry after a half-done attempt must not add a second handler); StackExchange.Redis
            // re-subscribes both by itself after a reconnect.
            if (!_nodeChannel)
            {
                await node.Bus.SubscribeAsync(node.NodeChannel(node.NodeId), (_, value) => OnNodeMessage(value));
                _nodeChannel = true;
            }

            if (!_eventsChannel)
            {
                await node.Bus.SubscribeAsync(node.EventsChannel, (_, value) => events.OnRemote(value));
                _eventsChannel = true;
            }

            await node.Bus.SubscribeAsync(node.ChangesChannel, (_, value) => OnChange(value));
            _subscribed = true;
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            LogTickFailed(logger, ex);
        }

        return _subscribed;
    }

    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e)
    {
        _resync = true;
        status.Set(false);
        router.FailPending();
        LogBackplaneLost(logger, e.ConnectionType.ToString(), e.FailureType.ToString());
    }

    private void OnNodeMessage(RedisValue value)
    {
        var message = ClusterNode.ParseMessage(value);
        switch (message?.Type)
        {
            case ClusterMessage.Call:
                // Off the subscriber's thread: the station may take seconds to answer.
                _ = Task.Run(() => router.OnCallAsync(message));
                break;
            case ClusterMessage.Reply:
                router.OnReply(message);
                break;
            case ClusterMessage.Supersede:
                _ = Task.Run(() => registry.OnSupersededAsync(message));
                break;
        }
    }

    private void OnChange(RedisValue value)
    {
        if (ClusterNode.ParseMessage(value) is { } message && message.From != node.NodeId)
        {
            invalidator.Apply(message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster node {Node} on Redis {Redis}; station claims live {Ttl} s without a refresh")]
    private static partial void LogJoined(ILogger logger, string node, string redis, double ttl);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis backplane lost ({ConnectionType}: {Failure}); local stations keep working, cross-node commands fail until it is back")]
    private static partial void LogBackplaneLost(ILogger logger, string connectionType, string failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis backplane available; caches dropped and {Count} local station(s) claimed")]
    private static partial void LogResynced(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Cluster heartbeat failed; retrying")]
    private static partial void LogTickFailed(ILogger logger, Exception error);
}
