using Voltgate.Core.Cluster;
using Voltgate.Core.Stations;
using Voltgate.Server.Ocpp;

namespace Voltgate.Server.Cluster;

/// <summary>
/// Which stations are online anywhere in the cluster: this node's sockets, the other nodes' presence rows in the
/// database, and (for single stations, where it is one Redis round trip) their Redis claims, which exist a moment
/// before the row is committed. Rows and claims of nodes known to be dead do not count.
/// </summary>
internal sealed class ClusterStationPresence(
    StationSessions sessions,
    IStationRegistry registry,
    ClusterPresenceStore store,
    ClusterPresenceService nodes,
    ClusterNode node) : IStationPresence
{
    public LivePresence? OnThisNode(Guid tenantId, string identity) =>
        sessions.Find(tenantId, identity) is { } l ? new LivePresence(l.ConnectedAt, l.LastSeen, l.Context.Protocol, l.Context.Variant) : null;

    public async Task<IReadOnlyDictionary<(Guid Tenant, string Identity), LivePresence>> ElsewhereAsync(
        IReadOnlyCollection<(Guid Tenant, string Identity)> stations, CancellationToken ct)
    {
        var dead = nodes.DeadNodes;
        var found = new Dictionary<(Guid Tenant, string Identity), LivePresence>();
        foreach (var (key, row) in await store.FindAsync(stations, dead, ct))
        {
            if (row.NodeId != node.NodeId)
            {
                found[key] = new LivePresence(row.Since, null, row.Protocol, row.Variant);
            }
        }

        foreach (var (key, claim) in await registry.FindElsewhereAsync(stations, ct))
        {
            if (!dead.Contains(claim.Node))
            {
                // The claim is the newest word on where the socket is.
                found[key] = new LivePresence(claim.Since, null, claim.Protocol, claim.Variant);
            }
        }

        return found;
    }

    public async Task<Func<string, bool>> OnlineNowAsync(Guid tenantId, CancellationToken ct)
    {
        // This node's own rows may lag its sockets by a commit; its sockets are the truth for it.
        var online = await store.OnlineIdentitiesAsync(tenantId, [.. nodes.DeadNodes, node.NodeId], ct);
        return identity => online.Contains(identity) || sessions.Find(tenantId, identity) is not null;
    }
}
