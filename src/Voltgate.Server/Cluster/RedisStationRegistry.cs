using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using StackExchange.Redis;
using Voltgate.Server.Ocpp;

namespace Voltgate.Server.Cluster;

/// <summary>
/// Station → node registry in Redis. Connecting claims the station (SET … PX ttl GET: the newest connection wins,
/// and the previous holder, if another node, is told to close its socket). The holding node refreshes its claims
/// every third of the TTL; a node that dies stops refreshing and its claims expire, freeing its stations.
/// </summary>
internal sealed partial class RedisStationRegistry(ClusterNode node, StationSessions sessions, ILogger<RedisStationRegistry> logger) : IStationRegistry
{
    // Refresh my claim; re-create it when it is gone (Redis restarted, or the TTL ran out while Redis was away);
    // report 0 when another node holds it now.
    private static readonly LuaScript Refresh = LuaScript.Prepare(
        "local v = redis.call('GET', @key) " +
        "if v == @value then redis.call('PEXPIRE', @key, @ttl) return 1 end " +
        "if not v then redis.call('SET', @key, @value, 'PX', @ttl) return 2 end " +
        "return 0");

    // Delete only my own claim: a newer connection on another node may hold the key already.
    private static readonly LuaScript Release = LuaScript.Prepare(
        "if redis.call('GET', @key) == @value then return redis.call('DEL', @key) end return 0");

    private readonly ConcurrentDictionary<Guid, Claim> _claims = new();

    private sealed record Claim(RedisKey Key, string Value, StationConnection Connection);

    public int Count => _claims.Count;

    public async Task ClaimAsync(StationConnection connection, CancellationToken ct)
    {
        var context = connection.Context;
        var value = JsonSerializer.Serialize(new StationClaim(node.NodeId, connection.ConnectionId, connection.ConnectedAt, context.Protocol, context.Variant),
            ClusterJson.Default.StationClaim);
        var claim = new Claim(node.StationKey(context.TenantId, context.Identity), value, connection);
        _claims[connection.ConnectionId] = claim;
        try
        {
            var previous = await node.Db.StringSetAndGetAsync(claim.Key, value, node.Settings.ClaimTtl);
            if (Parse(previous) is { } old && old.Node != node.NodeId)
            {
                LogSupersedeRemote(logger, context.Identity, old.Node);
                await node.PublishAsync(node.NodeChannel(old.Node), new ClusterMessage(ClusterMessage.Supersede, node.NodeId)
                {
                    Tenant = context.TenantId,
                    Identity = context.Identity,
                    ConnectionId = old.ConnectionId,
                });
            }
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The heartbeat re-claims every local station once Redis answers again.
            LogClaimDeferred(logger, context.Identity, ex.GetType().Name);
        }
    }

    public async Task ReleaseAsync(StationConnection connection)
    {
        if (!_claims.TryRemove(connection.ConnectionId, out var claim))
        {
            return;
        }

        try
        {
            await Release.EvaluateAsync(node.Db, new { key = claim.Key, value = claim.Value });
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // The claim expires by itself after the TTL; until then calls routed here answer "offline".
            LogReleaseFailed(logger, ex, connection.Context.Identity);
        }
    }

    public async Task<IReadOnlyDictionary<(Guid Tenant, string Identity), StationClaim>> FindElsewhereAsync(
        IReadOnlyCollection<(Guid Tenant, string Identity)> stations, CancellationToken ct)
    {
        var found = new Dictionary<(Guid, string), StationClaim>();
        if (stations.Count == 0 || !node.IsConnected)
        {
            return found;
        }

        var list = stations.ToList();
        RedisValue[] values;
        try
        {
            values = await node.Db.StringGetAsync([.. list.Select(s => node.StationKey(s.Tenant, s.Identity))]);
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            return found;
        }

        for (var i = 0; i < list.Count; i++)
        {
            if (Parse(values[i]) is { } claim && claim.Node != node.NodeId)
            {
                found[list[i]] = claim;
            }
        }

        return found;
    }

    /// <summary>The claim of a station (any node); throws <see cref="ClusterUnavailableException"/> when Redis is away.</summary>
    public async Task<StationClaim?> FindOwnerAsync(Guid tenant, string identity)
    {
        try
        {
            return Parse(await node.Db.StringGetAsync(node.StationKey(tenant, identity)));
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            throw new ClusterUnavailableException("The Redis backplane does not answer.", ex);
        }
    }

    /// <summary>Refreshes (or re-creates) every claim of this node; closes local sockets another node has claimed since.</summary>
    public async Task<int> RefreshAllAsync()
    {
        var ttl = (long)node.Settings.ClaimTtl.TotalMilliseconds;
        var refreshed = 0;
        foreach (var chunk in _claims.Values.Chunk(1000))
        {
            var results = await Task.WhenAll(chunk.Select(c => Refresh.EvaluateAsync(node.Db, new { key = c.Key, value = c.Value, ttl })));
            for (var i = 0; i < chunk.Length; i++)
            {
                if ((int)results[i] == 0 && _claims.ContainsKey(chunk[i].Connection.ConnectionId))
                {
                    LogLostClaim(logger, chunk[i].Connection.Context.Identity);
                    _ = chunk[i].Connection.CloseAsync(WebSocketCloseStatus.NormalClosure, "Replaced by a newer connection of the same station.");
                }
                else
                {
                    refreshed++;
                }
            }
        }

        return refreshed;
    }

    /// <summary>Another node now holds this station: close our socket if it is still the one that node replaced.</summary>
    public async Task OnSupersededAsync(ClusterMessage message)
    {
        if (message is { Tenant: { } tenant, Identity: { } identity, ConnectionId: { } connectionId }
            && sessions.Find(tenant, identity) is { } connection && connection.ConnectionId == connectionId)
        {
            LogSupersededHere(logger, identity, message.From);
            // Out of the local map at once, so commands here go to the new node while the old socket closes.
            sessions.Unregister(connection);
            await connection.CloseAsync(WebSocketCloseStatus.NormalClosure, "Replaced by a newer connection of the same station.");
        }
    }

    private static StationClaim? Parse(RedisValue value)
    {
        if (value.IsNullOrEmpty)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize((string)value!, ClusterJson.Default.StationClaim);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Station {Identity} connected here while node {Node} held it; telling that node to close its socket")]
    private static partial void LogSupersedeRemote(ILogger logger, string identity, string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "Station {Identity} reconnected to node {Node}; closing its socket here")]
    private static partial void LogSupersededHere(ILogger logger, string identity, string node);

    [LoggerMessage(Level = LogLevel.Information, Message = "Station {Identity} is claimed by another node; closing its socket here")]
    private static partial void LogLostClaim(ILogger logger, string identity);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not claim station {Identity} in the registry ({Error}); it is re-claimed when the backplane is back")]
    private static partial void LogClaimDeferred(ILogger logger, string identity, string error);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Could not release station {Identity}; the claim expires by itself")]
    private static partial void LogReleaseFailed(ILogger logger, Exception error, string identity);
}
