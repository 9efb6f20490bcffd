using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Voltgate.Core.Data;

namespace Voltgate.Core.Cluster;

/// <summary>
/// The cluster's connection presence in the database: which node holds which station's socket, and each node's
/// heartbeat. Writes of connects and disconnects go through the group commit; reads leave out the nodes the caller
/// knows to be dead (heartbeat too old), so a dead node's stations drop out without waiting for anyone to delete
/// its rows. A node too new to be in the caller's list of nodes counts as alive.
/// </summary>
public sealed class ClusterPresenceStore
{
    private readonly PresenceBatch _batch;
    private readonly IServiceScopeFactory _scopes;

    internal ClusterPresenceStore(PresenceBatch batch, IServiceScopeFactory scopes)
    {
        _batch = batch;
        _scopes = scopes;
    }

    /// <summary>Records a new socket; completes once committed.</summary>
    public Task ConnectedAsync(ConnectionPresence row, CancellationToken ct) => _batch.ConnectedAsync(row, ct);

    /// <summary>Removes a closed socket's row; completes once committed.</summary>
    public Task DisconnectedAsync(Guid connectionId, CancellationToken ct) => _batch.DisconnectedAsync(connectionId, ct);

    /// <summary>Writes (or creates) the node's heartbeat.</summary>
    public async Task HeartbeatAsync(string nodeId, string address, DateTimeOffset startedAt, DateTimeOffset now, CancellationToken ct)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        var updated = await db.Set<ClusterNodeRecord>().Where(n => n.NodeId == nodeId)
            .ExecuteUpdateAsync(s => s.SetProperty(n => n.HeartbeatAt, now).SetProperty(n => n.Address, address).SetProperty(n => n.StartedAt, startedAt), ct);
        if (updated == 0)
        {
            db.Set<ClusterNodeRecord>().Add(new ClusterNodeRecord { NodeId = nodeId, Address = address, StartedAt = startedAt, HeartbeatAt = now });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another start of the same node id raced us; its row is as good as ours, the next beat updates it.
            }
        }
    }

    /// <summary>Every node with its last heartbeat.</summary>
    public async Task<IReadOnlyList<ClusterNodeRecord>> NodesAsync(CancellationToken ct)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        return await db.Set<ClusterNodeRecord>().AsNoTracking().ToListAsync(ct);
    }

    /// <summary>The identities of a tenant with a socket on a node not in <paramref name="deadNodes"/>.</summary>
    public async Task<IReadOnlySet<string>> OnlineIdentitiesAsync(Guid tenantId, IReadOnlyCollection<string> deadNodes, CancellationToken ct)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        var dead = deadNodes.ToList();
        var identities = await db.Set<ConnectionPresence>().AsNoTracking()
            .Where(p => p.TenantId == tenantId && !dead.Contains(p.NodeId)).Select(p => p.Identity).ToListAsync(ct);
        return identities.ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The newest socket of each given station on a node not in <paramref name="deadNodes"/>.</summary>
    public async Task<IReadOnlyDictionary<(Guid Tenant, string Identity), ConnectionPresence>> FindAsync(
        IReadOnlyCollection<(Guid Tenant, string Identity)> stations, IReadOnlyCollection<string> deadNodes, CancellationToken ct)
    {
        var found = new Dictionary<(Guid, string), ConnectionPresence>();
        if (stations.Count == 0)
        {
            return found;
        }

        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        var tenants = stations.Select(s => s.Tenant).Distinct().ToList();
        var identities = stations.Select(s => s.Identity).Distinct().ToList();
        var dead = deadNodes.ToList();
        var rows = await db.Set<ConnectionPresence>().AsNoTracking()
            .Where(p => tenants.Contains(p.TenantId) && identities.Contains(p.Identity) && !dead.Contains(p.NodeId)).ToListAsync(ct);
        var wanted = stations.ToHashSet();
        foreach (var row in rows.Where(r => wanted.Contains((r.TenantId, r.Identity))).OrderBy(r => r.Since))
        {
            found[(row.TenantId, row.Identity)] = row;
        }

        return found;
    }

    /// <summary>The sockets that <paramref name="nodeIds"/> held, as their rows say (to tell the live views they are gone).</summary>
    public async Task<IReadOnlyList<ConnectionPresence>> OfNodesAsync(IReadOnlyCollection<string> nodeIds, CancellationToken ct)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        var list = nodeIds.ToList();
        return await db.Set<ConnectionPresence>().AsNoTracking().Where(p => list.Contains(p.NodeId)).ToListAsync(ct);
    }

    /// <summary>Deletes the node's rows and its entry (a node starting again under its old id, or stopping).</summary>
    public async Task ForgetNodeAsync(string nodeId, bool entryToo, CancellationToken ct)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        await db.Set<ConnectionPresence>().Where(p => p.NodeId == nodeId).ExecuteDeleteAsync(ct);
        if (entryToo)
        {
            await db.Set<ClusterNodeRecord>().Where(n => n.NodeId == nodeId).ExecuteDeleteAsync(ct);
        }
    }

    /// <summary>Deletes nodes (and their rows) whose heartbeat is older than <paramref name="deadBefore"/>; returns how many nodes.</summary>
    public async Task<int> PurgeAsync(DateTimeOffset deadBefore, CancellationToken ct)
    {
        await using var scope = _scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<VoltgateDbContext>();
        var dead = await db.Set<ClusterNodeRecord>().Where(n => n.HeartbeatAt < deadBefore).Select(n => n.NodeId).ToListAsync(ct);
        if (dead.Count == 0)
        {
            return 0;
        }

        await db.Set<ConnectionPresence>().Where(p => dead.Contains(p.NodeId)).ExecuteDeleteAsync(ct);
        await db.Set<ClusterNodeRecord>().Where(n => dead.Contains(n.NodeId)).ExecuteDeleteAsync(ct);
        return dead.Count;
    }
}
