using Voltgate.Core.Cluster;
using Voltgate.Core.Stations;
using Voltgate.Server.Ocpp;

namespace Voltgate.Server.Cluster;

/// <summary>
/// The station registry of a cluster node: the Redis claim (command routing, the reconnect rule across nodes) plus
/// the presence row in the database (lists, filters and counts of the whole network). Once the row is committed,
/// the other nodes' pages hear of the connect or disconnect, so that what they reload already shows it.
/// </summary>
internal sealed partial class ClusterStationRegistry(
    RedisStationRegistry redis,
    ClusterPresenceStore store,
    RedisStationEvents events,
    ClusterNode node,
    TimeProvider time,
    ILogger<ClusterStationRegistry> logger) : IStationRegistry
{
    public async Task ClaimAsync(StationConnection connection, CancellationToken ct)
    {
        await redis.ClaimAsync(connection, ct);
        var context = connection.Context;
        try
        {
            await store.ConnectedAsync(new ConnectionPresence
            {
                ConnectionId = connection.ConnectionId,
                TenantId = context.TenantId,
                Identity = context.Identity,
                NodeId = node.NodeId,
                Since = connection.ConnectedAt,
                Protocol = context.Protocol,
                Variant = context.Variant,
            }, ct);
            events.PublishToOtherNodes(new StationEvent(context.TenantId, context.Identity, StationEventKind.Connected, time.GetUtcNow()));
        }
        catch (Exception ex)
        {
            // Never fails the connection: the station works, only the other nodes' lists miss it (the Redis claim
            // still shows it online on its own page and routes its commands).
            LogPresenceFailed(logger, context.Identity, "connect", ex.GetType().Name);
        }
    }

    public async Task ReleaseAsync(StationConnection connection)
    {
        await redis.ReleaseAsync(connection);
        var context = connection.Context;
        try
        {
            await store.DisconnectedAsync(connection.ConnectionId, CancellationToken.None);
            events.PublishToOtherNodes(new StationEvent(context.TenantId, context.Identity, StationEventKind.Disconnected, time.GetUtcNow()));
        }
        catch (Exception ex)
        {
            // The row goes with the node's rows when it stops, or stops counting when its heartbeat does.
            LogPresenceFailed(logger, context.Identity, "disconnect", ex.GetType().Name);
        }
    }

    public Task<IReadOnlyDictionary<(Guid Tenant, string Identity), StationClaim>> FindElsewhereAsync(
        IReadOnlyCollection<(Guid Tenant, string Identity)> stations, CancellationToken ct) => redis.FindElsewhereAsync(stations, ct);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not record the {Change} of station {Identity} in the cluster presence ({Error})")]
    private static partial void LogPresenceFailed(ILogger logger, string identity, string change, string error);
}
